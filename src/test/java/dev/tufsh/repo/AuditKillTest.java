package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.audit.AuditEntry;
import dev.tufsh.audit.AuditVerifier;
import dev.tufsh.json.Json;
import dev.tufsh.ops.AuditAnchor;
import dev.tufsh.testing.PassphraseFiles;
import dev.tufsh.testing.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments while one child JVM, through the real command line, bumps and
 * publishes, generates keys, and appends audit records ({@link PublishChild} {@code audited}). In
 * half the runs the log then also loses a random part of its last line, as a power cut loses an
 * unflushed page. Afterwards: the log verifies, or its only fault is that torn last line, which the
 * next command repairs and names; the published timestamp's head is a line of the log, the intent
 * of the publish that made it (every published version has its audit record); the repository
 * verifies as a client would, and takes the next change. -Dtufsh.auditkill.iterations and
 * -Dtufsh.auditkill.seed change the run.
 */
class AuditKillTest {
  @TempDir Path tmp;

  private static Cli.Result cli(Path repo, Path pass, String... words) {
    return Cli.inRepo(repo, pass, words);
  }

  @Test
  void kill_9_during_audit_appends_key_generation_and_publish() throws Exception {
    int iterations = Integer.getInteger("tufsh.auditkill.iterations", 8);
    long seed = Long.getLong("tufsh.auditkill.seed", System.nanoTime());
    Random rnd = new Random(seed);
    Path pass = PassphraseFiles.write(tmp.resolve("pass"), "s3cret passphrase\n");
    Path base = tmp.resolve("base");
    cli(base, pass, "init", "--bins", "16").assertOk();
    cli(base, pass, "publish").assertOk();
    long publishMillis = calibrate(base, pass);
    int torn = 0;
    int published = 0;
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      Path work = tmp.resolve("run-" + i);
      KillHarness.copy(base, work);
      Path err = tmp.resolve("child-" + i + ".err");
      Process p = KillHarness.startAudited(work, pass, err);
      // Killed during (or just after) a publish: the child says when bins are bumped and staged.
      if (await(lines(p), "bumped") < 0) {
        p.destroyForcibly();
        throw new AssertionError("the audited child staged nothing within 2 minutes: " + Files.readString(err));
      }
      long delay = (long) (rnd.nextDouble() * 1.6 * publishMillis);
      delays.add(delay);
      Thread.sleep(delay);
      p.destroyForcibly();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      String when = "run " + i + " (seed " + seed + ", killed " + delay + " ms after bins were staged)";
      Path log = work.resolve(".tufsh/audit.log");
      if (rnd.nextBoolean()) {
        cutLastLine(log, rnd);
      }
      AuditVerifier.Result r = AuditVerifier.verify(log);
      int tornLine = 0;
      if (!r.ok()) {
        assertEquals(r.lines(), r.brokenLine(), when + ": only the last line may be broken: " + r.problem());
        assertTrue(r.problem().startsWith("line is torn"), when + ": " + r.problem());
        tornLine = r.brokenLine();
        torn++;
      }
      checkAnchor(work, when);
      if (Json.parse(Files.readString(work.resolve("metadata/timestamp.json")), "ts").path("signed").path("version")
          .asInt() > 1) { // the child's publish reached timestamp.json before the kill
        published++;
      }
      // The next commands: a verify as a client would (its record repairs a torn line), then a change.
      cli(work, pass, "verify").assertOk();
      Cli.Result v = cli(work, pass, "audit", "verify").assertOk();
      if (tornLine > 0) {
        assertTrue(v.out().contains("note: line " + tornLine + ": repaired torn line " + tornLine + ":"),
            when + ": " + v.out());
      }
      cli(work, pass, "bump", "timestamp", "--by", "1d").assertOk();
      cli(work, pass, "publish").assertOk();
      cli(work, pass, "audit", "verify").assertOk();
      cli(work, pass, "key", "list").assertOk();
      KillHarness.delete(work);
    }
    System.out.printf("audit kill test: publish %d ms; %d iterations, seed %d, kills %s ms into a publish, %d torn line(s) repaired,"
        + " %d run(s) published before the kill%n", publishMillis, iterations, seed, delays, torn, published);
    assertEquals(iterations, delays.size());
  }

  /** How long the child's first publish takes, from "bumped" to "published" (the one every run kills). */
  private long calibrate(Path base, Path pass) throws Exception {
    Path work = tmp.resolve("calibrate");
    KillHarness.copy(base, work);
    Path err = tmp.resolve("calibrate.err");
    Process p = KillHarness.startAudited(work, pass, err);
    try {
      var lines = lines(p);
      long start = await(lines, "bumped");
      long end = await(lines, "published");
      if (start < 0 || end < 0) {
        throw new AssertionError("the audited child did not publish twice within minutes: " + Files.readString(err));
      }
      return Math.max(100, (end - start) / 1_000_000);
    } finally {
      p.destroyForcibly();
      p.waitFor(60, TimeUnit.SECONDS);
      KillHarness.delete(work);
    }
  }

  /** Waits (at most 2 minutes) for {@code line}; System.nanoTime() when it came, or -1. */
  private static long await(java.util.concurrent.BlockingQueue<String> lines, String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (line.equals(l)) {
        return System.nanoTime();
      }
      if ("<eof>".equals(l)) {
        return -1;
      }
    }
    return -1;
  }

  /** The child's output lines, read on a thread of their own; "<eof>" when it ends. */
  private static java.util.concurrent.BlockingQueue<String> lines(Process p) {
    var lines = new java.util.concurrent.LinkedBlockingQueue<String>();
    Thread reader = new Thread(() -> {
      try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String l = out.readLine(); l != null; l = out.readLine()) {
          lines.add(l);
        }
      } catch (java.io.IOException e) {
        // the child was killed
      }
      lines.add("<eof>");
    });
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  /**
   * The published timestamp names a line of the log at or after the intent of the publish that
   * wrote it (other sessions append in between), and that publish's outcome is not before it.
   */
  private static void checkAnchor(Path work, String when) throws Exception {
    var anchor = AuditAnchor.published(work).orElseThrow(() -> new AssertionError(when + ": no head published"));
    AuditVerifier.Result r = AuditVerifier.verify(work.resolve(".tufsh/audit.log"), List.of(anchor));
    assertTrue(r.ok() || r.problem().startsWith("line is torn"), when + ": " + r.problem());
    List<String> lines = Files.readAllLines(work.resolve(".tufsh/audit.log"), StandardCharsets.ISO_8859_1);
    long intent = 0;
    boolean ended = false;
    for (int n = 1; n <= anchor.head().seq(); n++) {
      JsonNode line = Json.parse(lines.get(n - 1), "line " + n);
      if (line.path("command").asText().endsWith(" publish") && AuditEntry.INTENT.equals(line.path("outcome").asText())) {
        intent = n;
        ended = false;
      } else if (intent > 0 && line.path("intent").asLong() == intent) {
        ended = true;
      }
    }
    assertTrue(intent > 0, when + ": no publish intent at or before the published head " + anchor.head());
    assertTrue(!ended, when + ": the publish of line " + intent + " ended before the head it published");
  }

  /** Drops a random tail of the last line (keeping at least one byte of it), as a lost page would. */
  private static void cutLastLine(Path log, Random rnd) throws Exception {
    byte[] b = Files.readAllBytes(log);
    int start = b.length - 1;
    while (start > 0 && b[start - 1] != '\n') {
      start--;
    }
    int lineLength = b.length - start;
    if (lineLength < 3) {
      return;
    }
    int keep = start + 1 + rnd.nextInt(lineLength - 2);
    try (var ch = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(keep);
    }
  }
}
