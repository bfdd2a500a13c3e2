package dev.tufsh.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runbook replay and Java scripts through the real command path. */
class RunbookTest {
  @TempDir Path dir;

  @Test
  void a_failing_line_stops_the_runbook_and_the_error_names_file_and_line() throws Exception {
    Path book = dir.resolve("b.tufsh");
    Files.writeString(book, "# header\naudit verify\n\nno-such-command ${X}\naudit show\n");
    Cli.Result r = Cli.run("--repo", dir.toString(), "run", book.toString(), "--var", "X=1");
    assertEquals(2, r.status());
    // The whole runbook is parsed before its first line runs.
    assertTrue(r.err().contains(book + ":4: unknown command 'no-such-command'"), r.err());
    assertTrue(r.err().contains("nothing ran"), r.err());
  }

  @Test
  void an_unset_variable_is_an_error_naming_the_line() throws Exception {
    Path book = dir.resolve("b.tufsh");
    Files.writeString(book, "audit show --last ${COUNT}\n");
    Cli.Result r = Cli.run("--repo", dir.toString(), "run", book.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().contains(book + ":1: variable ${COUNT} is not set"), r.err());
  }

  @Test
  void a_java_script_error_reports_the_line_and_the_compiler_message() throws Exception {
    Path script = dir.resolve("s.jsh");
    Files.writeString(script, "// report\nvar n = 1;\n\nint x = \"abc\";\n");
    Cli.Result r = Cli.run("--repo", dir.toString(), "run", script.toString());
    assertEquals(1, r.status());
    assertTrue(r.err().contains(script + ":4: incompatible types"), r.err());
  }

  @Test
  void a_java_script_gets_command_results_as_values() throws Exception {
    Files.createDirectories(dir.resolve(".tufsh"));
    Path script = dir.resolve("s.jsh");
    Files.writeString(script,
        "var v = tufsh.json(\"audit verify\");\n"
            + "if (!v.get(\"ok\").asBoolean()) throw new IllegalStateException(\"broken\");\n"
            + "tufsh.run(\"record stop\");\n");
    Cli.Result r = Cli.run("--repo", dir.toString(), "run", script.toString());
    assertEquals(1, r.status(), "record stop fails when not recording, and the script stops there");
    assertTrue(r.err().contains(script + ":3: ") && r.err().contains("'record stop' failed"), r.err());
  }
}
