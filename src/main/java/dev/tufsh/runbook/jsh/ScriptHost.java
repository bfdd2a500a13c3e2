package dev.tufsh.runbook.jsh;

/**
 * What a Java script can ask of tufsh: run a command line, or run it with {@code --json} and get
 * its output. Implemented by the command layer, so scripts go through the same commands,
 * permissions and audit trail as a person at the shell.
 */
public interface ScriptHost {
  /** Runs {@code commandLine}; returns its exit status. Output goes to the console. */
  int run(String commandLine);

  /**
   * Runs {@code commandLine} quietly and returns the operation's result (a {@code dev.tufsh.ops} or
   * {@code dev.tufsh.repo} record); throws when the command fails.
   */
  Object result(String commandLine);

  /** Runs {@code commandLine} with {@code --json}; returns standard output, or throws on failure. */
  String json(String commandLine);
}
