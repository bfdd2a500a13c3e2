package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.json.Json;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Workspace;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.JsonResults;
import dev.tufsh.testing.PassphraseFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incident-day fixes of issue 15, each against a real published repository. */
class OperatorDayTest {
  @TempDir Path dir;
  Path repo;
  Path pass;

  @BeforeEach
  void published() throws Exception {
    repo = dir.resolve("repo");
    pass = PassphraseFiles.write(dir.resolve("pass"), "operator passphrase\n");
    tufsh("init", "--bins", "2").assertOk();
    tufsh("publish").assertOk();
  }

  private Cli.Result tufsh(String... args) {
    List<String> all = new ArrayList<>(List.of("--repo", repo.toString(), "--passphrase-file", pass.toString()));
    all.addAll(Arrays.asList(args));
    return Cli.run(all.toArray(String[]::new));
  }

  private int staged() {
    return JsonResults.result(tufsh("--json", "status").out()).get("staged").size();
  }

  private JsonNode row(JsonNode status, String role) {
    for (JsonNode r : status.get("roles")) {
      if (r.get("role").asText().equals(role)) {
        return r;
      }
    }
    throw new AssertionError("no row for " + role + " in " + status);
  }

  @Test
  void published_rows_are_judged_by_the_published_root_while_a_rotation_is_staged() {
    tufsh("rotate", "timestamp").assertOk(); // root 2 staged, trusting a new timestamp key
    Cli.Result r = tufsh("--json", "status");
    assertEquals(0, r.status(), r.toString());
    JsonNode ts = row(JsonResults.result(r.out()), "timestamp");
    assertTrue(ts.get("threshold_met").asBoolean(), "clients verify the published timestamp by root 1: " + ts);
    assertEquals("ok", ts.get("health").asText());
    tufsh("verify").assertOk();
  }

  @Test
  void changed_content_for_a_listed_path_is_refused_unless_asked() throws Exception {
    Path f = Files.writeString(dir.resolve("demo-1.0.tar.gz"), "first bytes");
    tufsh("target", "add", "--prefix", "packages", f.toString()).assertOk();
    tufsh("publish").assertOk();
    Files.writeString(f, "other bytes");
    Cli.Result refused = tufsh("target", "add", "--prefix", "packages", f.toString());
    assertEquals(ExitCodes.USAGE, refused.status(), refused.toString());
    assertTrue(refused.err().contains("packages/demo-1.0.tar.gz is already listed"), refused.err());
    assertEquals(0, staged(), "nothing staged");

    Cli.Result skipped = tufsh("--json", "target", "add", "--prefix", "packages", "--if-exists", "skip", f.toString());
    assertEquals(0, skipped.status(), skipped.toString());
    assertEquals(0, JsonResults.result(skipped.out()).get("staged").size(), skipped.out());

    tufsh("target", "add", "--prefix", "packages", "--if-exists", "replace", f.toString()).assertOk();
    JsonNode shown = JsonResults.result(tufsh("--json", "target", "show", "packages/demo-1.0.tar.gz").out());
    assertEquals("changed", shown.get("state").asText(), shown.toString());
    assertEquals(11, shown.get("staged").get("length").asInt());
  }

  @Test
  void bump_never_moves_an_expiry_earlier_without_allow_shorter() {
    Cli.Result r = tufsh("bump", "targets", "--by", "30d");
    assertEquals(ExitCodes.USAGE, r.status(), r.toString());
    assertTrue(r.err().contains("move role 'targets' expiry earlier"), r.err());
    tufsh("bump", "targets", "--by", "30d", "--allow-shorter").assertOk();
    tufsh("bump", "targets", "--by", "400d").assertOk();
  }

  @Test
  void a_held_lock_is_refused_at_once_or_after_wait_naming_its_holder() {
    try (PublishLock held = PublishLock.acquire(Workspace.open(repo), "alice at a prompt")) {
      Cli.Result now = tufsh("resign", "bin-0");
      assertEquals(ExitCodes.LOCKED, now.status(), now.toString());
      assertTrue(now.err().contains("locked by alice at a prompt"), now.err());
      assertFalse(now.err().contains("waiting"), now.err());

      long start = System.nanoTime();
      Cli.Result waited = tufsh("--wait", "1s", "resign", "bin-0");
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1000), "it waited");
      assertEquals(ExitCodes.LOCKED, waited.status(), waited.toString());
      assertTrue(waited.err().contains("waiting up to 0m") || waited.err().contains("waiting up to"), waited.err());
      assertTrue(waited.err().contains("waited 1 s"), waited.err());
    }
    tufsh("--wait", "1s", "resign", "bin-0").assertOk();
  }

  @Test
  void sigint_on_a_one_shot_command_is_audited_and_exits_130() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try (PublishLock held = PublishLock.acquire(Workspace.open(repo), "the test")) {
      // Through timeout(1), which passes SIGINT on and starts the JVM with default signal dispositions:
      // a suite started in the background (`mvn test &`) would hand the child an ignored SIGINT, which
      // the JVM then keeps ignoring (as nohup relies on), and the child would never see the kill.
      Process child = new ProcessBuilder("timeout", "-s", "KILL", "300", java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          "dev.tufsh.app.Main", "--repo", repo.toString(), "--passphrase-file", pass.toString(),
          "--wait", "120s", "resign", "bin-0").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      BufferedReader err = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8));
      String line = err.readLine(); // the child is waiting for the lock when it says so
      assertTrue(line != null && line.contains("waiting up to"), String.valueOf(line));
      new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ends after SIGINT");
      assertEquals(ExitCodes.CANCELLED, child.exitValue());
    }
    List<String> audit = Files.readAllLines(repo.resolve(".tufsh/audit.log"));
    JsonNode last = Json.parse(audit.get(audit.size() - 1), "audit.log");
    assertEquals("resign bin-0", last.get("command").asText().replaceAll("^.*(resign bin-0)$", "$1"), last.toString());
    assertTrue(last.get("outcome").asText().startsWith("failed (exit 130)"), last.toString());
  }

  @Test
  void a_line_that_is_not_a_command_never_reaches_the_audit_log() throws Exception {
    Cli.Result r = tufsh("correct-horse-battery-staple");
    assertEquals(ExitCodes.USAGE, r.status());
    String audit = Files.readString(repo.resolve(".tufsh/audit.log"));
    assertFalse(audit.contains("correct-horse"), audit);
    assertTrue(audit.contains("word(s) withheld"), audit);
  }

  @Test
  void discard_with_nothing_staged_asks_nothing_and_succeeds() {
    Cli.Result r = tufsh("discard");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("discarded 0"), r.out());
  }

  @Test
  void plan_needs_no_passphrase_and_names_the_keys_that_will_sign() {
    tufsh("resign", "bin-0").assertOk();
    Cli.Result r = Cli.run("--repo", repo.toString(), "plan"); // no passphrase file, no terminal
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("timestamp") && r.out().contains("1/1 at publish"), r.out());
  }

  @Test
  void a_runbook_is_parsed_whole_before_its_first_line_runs() throws Exception {
    Path book = Files.writeString(dir.resolve("b.tufsh"), "resign bin-0\nrotate --thresold 2 snapshot\n");
    Cli.Result r = tufsh("run", book.toString());
    assertEquals(ExitCodes.USAGE, r.status(), r.toString());
    assertTrue(r.err().contains(book + ":2: unknown option '--thresold' for 'rotate'; did you mean '--threshold'?"),
        r.err());
    assertEquals(0, staged(), "line 1 did not run");
  }
}
