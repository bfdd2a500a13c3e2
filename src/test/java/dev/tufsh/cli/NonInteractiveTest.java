package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.json.Json;
import dev.tufsh.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One command, -c, and standard input: exit statuses, one-line errors, clean stdout. */
class NonInteractiveTest {
  @TempDir Path dir;

  @Test
  void unknown_command_is_a_usage_error_with_one_line_on_stderr() {
    Cli.Result r = Cli.run("--repo", dir.toString(), "frobnicate");
    assertEquals(ExitCodes.USAGE, r.status());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("tufsh: unknown command 'frobnicate'"), r.err());
  }

  @Test
  void dash_c_runs_commands_in_order_and_stops_at_the_first_failure() throws Exception {
    Files.createDirectories(dir.resolve(".tufsh"));
    Cli.Result r = Cli.run("--repo", dir.toString(), "-c", "audit verify; bogus; audit show");
    assertEquals(ExitCodes.USAGE, r.status());
    assertTrue(r.out().contains("audit log intact"), r.out());
    // audit show never ran: the log has the two commands that did run, and nothing printed them.
    assertEquals(2, Files.readAllLines(dir.resolve(".tufsh/audit.log")).size());
  }

  @Test
  void commands_on_standard_input_one_a_line_with_comments() throws Exception {
    Files.createDirectories(dir.resolve(".tufsh"));
    Cli.Result r = Cli.runWithInput("# a comment\naudit verify\n\naudit verify --json\n", "--repo", dir.toString());
    r.assertOk();
    assertTrue(r.out().contains("\"lines\""), r.out());
  }

  @Test
  void json_output_parses_and_carries_the_result() throws Exception {
    Files.createDirectories(dir.resolve(".tufsh"));
    Cli.run("--repo", dir.toString(), "audit", "verify").assertOk();
    Cli.Result r = Cli.run("--repo", dir.toString(), "audit", "verify", "--json").assertOk();
    var node = dev.tufsh.testing.JsonResults.result(r.out());
    assertEquals(1, node.get("lines").asInt());
    assertTrue(node.get("ok").asBoolean());
  }

  @Test
  void version_prints_one_line() {
    Cli.Result r = Cli.run("--version").assertOk();
    assertTrue(r.out().matches("tufsh \\S+\\R"), r.out());
  }

  @Test
  void unterminated_quote_is_reported_not_guessed() {
    Cli.Result r = Cli.run("--repo", dir.toString(), "-c", "audit 'verify");
    assertEquals(ExitCodes.USAGE, r.status());
    assertTrue(r.err().contains("unterminated single quote"), r.err());
  }
}
