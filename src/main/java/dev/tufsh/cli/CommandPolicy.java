package dev.tufsh.cli;

import picocli.CommandLine.ParseResult;

/**
 * Decides, on the very parse that is about to run, whether a command line may run at all: which
 * commands, options and arguments a caller may use (the SSH frontend's remote policy). It may
 * rewrite argument values it has checked (a file name to its real path). Runs before the command's
 * own {@link Permissions} check.
 */
@FunctionalInterface
public interface CommandPolicy {
  /** Throws a {@link dev.tufsh.errors.TufshException} naming what is refused. */
  void check(ParseResult parsed);

  /** The local operator: everything the commands themselves accept. */
  CommandPolicy ANY = parsed -> {};
}
