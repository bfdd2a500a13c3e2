package dev.tufsh.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What publish reads of the audit log to keep the high-water mark up: from a kept position, only the
 * lines after it, while the log still holds the line the position names; the whole log when it does
 * not (replaced, truncated, rewritten) or when no position was kept. A long log is written line by
 * line as {@link AuditLog} would (same JSON, chain and hashes), without a sync per line; its length
 * is {@code -Daudit.scan.lines} (default 2000; 100000 for the measurement in the report).
 */
class AuditScanTest {
  private static final int LINES = Integer.getInteger("audit.scan.lines", 2000);

  @TempDir Path dir;
  private Path file;
  private AuditLog log;
  private AuditLog.Position afterLong;

  @BeforeEach
  void longLog() throws IOException {
    file = dir.resolve("audit.log");
    log = new AuditLog(file);
    AuditLog.Head head = AuditLog.Head.EMPTY;
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 1; i <= LINES; i++) {
        Map<String, Integer> published = i % 10 == 0 ? Map.of("timestamp", i / 10, "snapshot", i / 20) : Map.of();
        var o = AuditLog.toJson(new AuditEntry("2026-12-01T00:00:00Z", "ops@local", "s", "publish", "ok", published),
            head.seq() + 1, head.hash());
        String hash = AuditLog.hashOf(o);
        o.put("hash", hash);
        out.write(dev.tufsh.json.CanonicalJson.encodeFile(o));
        out.write('\n');
        head = new AuditLog.Head(head.seq() + 1, hash);
      }
    }
    afterLong = new AuditLog.Position(Files.size(file), head);
  }

  private void publishRecorded(int timestampVersion) {
    log.append(new AuditEntry("2026-12-01T01:00:00Z", "ops@local", "s", "publish", "ok",
        Map.of("timestamp", timestampVersion)));
  }

  /** A situation, the position publish starts from, and what the scan must read and find. */
  record Case(String name, Situation situation, long linesRead, int timestamp) {
    @Override
    public String toString() {
      return name;
    }
  }

  interface Situation {
    /** Changes the log as the case says; returns the position a high-water file would hold. */
    AuditLog.Position apply(AuditScanTest t) throws Exception;
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("no position kept (high-water file lost): the whole log", t -> {
          t.publishRecorded(LINES);
          return null;
        }, LINES + 1, LINES),
        new Case("position at the end before one publish: one line", t -> {
          t.publishRecorded(LINES);
          return t.afterLong;
        }, 1, LINES),
        new Case("nothing since: no line", t -> t.afterLong, 0, 0),
        new Case("an older position (high-water file from a backup): every line since", t -> {
          var old = t.log.highestPublishedSince(null).end();
          t.publishRecorded(LINES + 1);
          t.publishRecorded(LINES + 2);
          return old;
        }, 2, LINES + 2),
        new Case("log replaced by a shorter one: the whole log", t -> {
          AuditLog.Position kept = t.afterLong;
          Files.delete(t.file);
          t.publishRecorded(7);
          return kept;
        }, 1, 7),
        new Case("log rewritten to the same length: the whole log", t -> {
          AuditLog.Position kept = t.afterLong;
          String text = Files.readString(t.file, StandardCharsets.ISO_8859_1);
          Files.writeString(t.file, text.replace("ops@local", "xyz@local"), StandardCharsets.ISO_8859_1);
          return kept;
        }, LINES, LINES / 10),
        new Case("position not at a line's end: the whole log", t -> new AuditLog.Position(t.afterLong.offset() - 5,
            t.afterLong.head()), LINES, LINES / 10));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reads_only_what_the_log_gained_since_a_position_it_still_holds(Case c) throws Exception {
    AuditLog.Position from = c.situation().apply(this);
    long t0 = System.nanoTime();
    AuditLog.Scan scan = log.highestPublishedSince(from);
    long nanos = System.nanoTime() - t0;
    assertEquals(c.linesRead(), scan.linesRead(), c.name());
    assertEquals(c.timestamp(), scan.highest().getOrDefault("timestamp", 0), c.name() + ": " + scan.highest());
    // Where it stopped is the log's end, which the next scan starts from and reads nothing after
    // (unless the last line no longer hashes to itself: then no position in the log is trusted).
    assertEquals(Files.size(file), scan.end().offset());
    assertEquals(c.name().contains("rewritten") ? LINES : 0,
        log.highestPublishedSince(AuditLog.Position.parse(scan.end().toString())).linesRead());
    System.out.printf(java.util.Locale.ROOT, "audit scan, %d-line log, %s: %d lines in %.2f ms%n", LINES,
        c.name(), scan.linesRead(), nanos / 1e6);
  }
}
