package dev.tufsh.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.errors.AuditError;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  @TempDir Path dir;

  private Path write(int n) {
    Path f = dir.resolve("audit.log");
    AuditLog log = new AuditLog(f);
    for (int i = 0; i < n; i++) {
      log.append(new AuditEntry("2026-11-24T00:00:0" + i + "Z", "alice@local", "s1", "bump bin-* --by 1d",
          i % 2 == 0 ? "ok" : "failed: threshold", Map.of("timestamp", i + 1)));
    }
    return f;
  }

  @Test
  void an_untouched_log_verifies() throws Exception {
    Path f = write(5);
    AuditVerifier.Result r = AuditVerifier.verify(f);
    assertTrue(r.ok(), r.problem());
    assertEquals(5, r.lines());
  }

  @Test
  void editing_any_line_is_detected_at_that_line() throws Exception {
    for (int target = 0; target < 5; target++) {
      Path f = write(5);
      List<String> lines = new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
      lines.set(target, lines.get(target).replace("alice", "mallory"));
      Files.write(f, lines, StandardCharsets.UTF_8);
      AuditVerifier.Result r = AuditVerifier.verify(f);
      assertFalse(r.ok());
      assertEquals(target + 1, r.brokenLine(), r.problem());
      Files.delete(f);
    }
  }

  @Test
  void removing_a_line_is_detected_at_the_next_line() throws Exception {
    for (int target = 0; target < 4; target++) {
      Path f = write(5);
      List<String> lines = new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
      lines.remove(target);
      Files.write(f, lines, StandardCharsets.UTF_8);
      AuditVerifier.Result r = AuditVerifier.verify(f);
      assertFalse(r.ok());
      assertEquals(target + 1, r.brokenLine(), r.problem());
      Files.delete(f);
    }
  }

  @Test
  void concurrent_appenders_keep_one_chain() throws Exception {
    Path f = dir.resolve("audit.log");
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int id = t;
      Thread th = new Thread(() -> {
        AuditLog log = new AuditLog(f);
        for (int i = 0; i < 25; i++) {
          log.append(new AuditEntry("2026-11-24T00:00:00Z", "u" + id, "s" + id, "status", "ok", Map.of()));
        }
      });
      th.start();
      threads.add(th);
    }
    for (Thread t : threads) {
      t.join();
    }
    AuditVerifier.Result r = AuditVerifier.verify(f);
    assertTrue(r.ok(), r.problem());
    assertEquals(100, r.lines());
  }

  private static AuditEntry entry(String command) {
    return new AuditEntry("2026-11-24T00:00:00Z", "alice@local", "s1", command, "ok", Map.of());
  }

  @Test
  void a_torn_last_line_is_repaired_by_the_next_append_and_the_fragment_kept() throws Exception {
    Path f = write(3);
    byte[] fragment = "{\"seq\":4,\"time\":\"2026-11-2".getBytes(StandardCharsets.UTF_8);
    Files.write(f, fragment, java.nio.file.StandardOpenOption.APPEND);
    AuditVerifier.Result torn = AuditVerifier.verify(f);
    assertFalse(torn.ok());
    assertEquals(4, torn.brokenLine(), torn.problem());
    assertTrue(torn.problem().contains("torn"), torn.problem());

    AuditLog.Head head = new AuditLog(f).append(entry("bump bin-00 --by 1d"));
    assertEquals(5, head.seq(), "the repair is line 4, the entry line 5");
    AuditVerifier.Result r = AuditVerifier.verify(f);
    assertTrue(r.ok(), r.problem());
    assertEquals(5, r.lines());
    assertEquals(List.of("line 4: repaired torn line 4: " + fragment.length
        + " byte(s) without a final newline moved to audit.log.torn-line-4"), r.notes());
    assertArrayEquals(fragment, Files.readAllBytes(dir.resolve("audit.log.torn-line-4")));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("audit.log.torn-line-4"))));
  }

  @Test
  void a_damaged_whole_last_line_stops_appends() throws Exception {
    Path f = write(2);
    Files.write(f, "not json\n".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
    byte[] before = Files.readAllBytes(f);
    AuditError e = assertThrows(AuditError.class, () -> new AuditLog(f).append(entry("publish")));
    assertTrue(e.getMessage().contains("last line is damaged"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(f), "nothing appended after a line it cannot chain to");
  }

  @Test
  void an_unwritable_log_is_an_error_not_a_warning() throws Exception {
    Path f = dir.resolve("audit.log");
    Files.createDirectory(f); // what no permission bit can stop root from writing: a folder in its place
    AuditError e = assertThrows(AuditError.class, () -> new AuditLog(f).append(entry("publish")));
    assertTrue(e.getMessage().startsWith("cannot append to audit log " + f), e.getMessage());
  }

  @Test
  void invalid_utf8_is_named_by_line_and_byte() throws Exception {
    Path f = write(3);
    List<byte[]> lines = new ArrayList<>();
    for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      lines.add((l + "\n").getBytes(StandardCharsets.UTF_8));
    }
    byte[] second = lines.get(1);
    int at = new String(second, StandardCharsets.UTF_8).indexOf("alice");
    second[at] = (byte) 0xC3;
    second[at + 1] = (byte) 0x28; // 0xC3 must be followed by a continuation byte
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] l : lines) {
      out.write(l);
    }
    Files.write(f, out.toByteArray());
    AuditVerifier.Result r = AuditVerifier.verify(f);
    assertEquals(2, r.brokenLine());
    assertEquals("line is not valid UTF-8 (bad byte 0xc3 at byte " + (at + 1) + " of the line)", r.problem());
  }

  @Test
  void long_command_text_is_cut_so_every_line_is_bounded() throws Exception {
    Path f = dir.resolve("audit.log");
    new AuditLog(f).append(entry("target add " + "x/".repeat(100_000)));
    byte[] b = Files.readAllBytes(f);
    assertTrue(b.length <= AuditLog.MAX_LINE, b.length + " bytes");
    assertTrue(new String(b, StandardCharsets.UTF_8).contains("more bytes)"));
    assertTrue(AuditVerifier.verify(f).ok());
  }

  @Test
  void an_overlong_line_is_named() throws Exception {
    Path f = write(1);
    Files.write(f, ("{" + "\"a\":1,".repeat(AuditLog.MAX_LINE) + "}\n").getBytes(StandardCharsets.UTF_8),
        java.nio.file.StandardOpenOption.APPEND);
    AuditVerifier.Result r = AuditVerifier.verify(f);
    assertEquals(2, r.brokenLine());
    assertEquals("line is longer than " + AuditLog.MAX_LINE + " bytes", r.problem());
  }

  /** What an attacker's 15 lines of Python do: drop a line and recompute every later hash. */
  private static void dropAndRehash(Path f, int drop) throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
    lines.remove(drop - 1);
    String prev = AuditLog.GENESIS;
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      var o = (com.fasterxml.jackson.databind.node.ObjectNode) dev.tufsh.json.Json.parse(lines.get(i), "x");
      o.put("seq", i + 1);
      o.put("prev", prev);
      o.remove("hash");
      prev = AuditLog.hashOf(o);
      o.put("hash", prev);
      out.add(new String(dev.tufsh.json.CanonicalJson.encodeFile(o), StandardCharsets.UTF_8));
    }
    Files.write(f, out, StandardCharsets.UTF_8);
  }

  /** The attacks on a log whose head was kept elsewhere (the published timestamp, a --head copy). */
  @Test
  void emptied_truncated_and_rehashed_logs_miss_the_anchored_head() throws Exception {
    Path f = write(6);
    AuditLog.Head head = new AuditLog(f).head();
    assertEquals(6, head.seq());
    List<AuditVerifier.Anchor> anchor = List.of(new AuditVerifier.Anchor(head, "--head " + head));
    assertTrue(AuditVerifier.verify(f, anchor).ok());

    dropAndRehash(f, 3);
    assertTrue(AuditVerifier.verify(f).ok(), "the chain alone cannot see a rehashed log");
    AuditVerifier.Result rehashed = AuditVerifier.verify(f, anchor);
    assertFalse(rehashed.ok());
    assertTrue(rehashed.problem().contains("lines were removed"), rehashed.problem());

    Files.delete(f);
    write(6);
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    Files.write(f, lines.subList(0, 4), StandardCharsets.UTF_8);
    assertTrue(AuditVerifier.verify(f).ok(), "a truncated chain is a valid shorter chain");
    assertEquals(5, AuditVerifier.verify(f, anchor).brokenLine());

    Files.write(f, new byte[0]);
    assertFalse(AuditVerifier.verify(f, anchor).ok(), "an emptied log");

    Files.delete(f);
    write(6);
    lines = new ArrayList<>(Files.readAllLines(f, StandardCharsets.UTF_8));
    dropAndRehash(f, 6);
    new AuditLog(f).append(entry("forged"));
    AuditVerifier.Result forged = AuditVerifier.verify(f, anchor);
    assertEquals(6, forged.brokenLine(), "a rewritten line 6 is not the anchored line 6");
    assertTrue(forged.problem().contains("rewritten"), forged.problem());
  }

  @Test
  void intents_left_without_an_outcome_are_noted() throws Exception {
    Path f = dir.resolve("audit.log");
    AuditLog log = new AuditLog(f);
    long a = log.append(AuditEntry.intent("t", "alice", "s1", "publish")).seq();
    log.append(AuditEntry.intent("t", "bob", "s2", "bump bin-00")).seq();
    log.append(entry("publish").outcomeOf(a));
    AuditVerifier.Result r = AuditVerifier.verify(f);
    assertTrue(r.ok(), r.problem());
    assertEquals(List.of("line 2: 'bump bin-00' has no outcome (interrupted)"), r.notes());
  }

  @Test
  void heads_parse_and_print_as_seq_colon_hash() {
    AuditLog.Head h = AuditLog.Head.parse("12:" + "ab".repeat(32));
    assertEquals(12, h.seq());
    assertEquals("12:" + "ab".repeat(32), h.toString());
    for (String bad : List.of("12", ":" + "ab".repeat(32), "x:" + "ab".repeat(32), "12:AB" + "ab".repeat(31))) {
      assertThrows(IllegalArgumentException.class, () -> AuditLog.Head.parse(bad), bad);
    }
  }
}
