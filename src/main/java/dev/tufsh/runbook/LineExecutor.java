package dev.tufsh.runbook;

/**
 * Runs one command line of a runbook and returns its exit status. Implemented by the command layer
 * (a replayed line is a command line), so runbooks need no knowledge of picocli.
 */
@FunctionalInterface
public interface LineExecutor {
  int execute(String line);
}
