package dev.tufsh.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
