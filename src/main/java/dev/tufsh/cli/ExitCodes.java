package dev.tufsh.cli;

/** Exit statuses of tufsh, documented in the man page. */
public final class ExitCodes {
  public static final int OK = 0;
  /** The command ran and failed: bad input, unmet threshold, verification failure, lock held. */
  public static final int FAILED = 1;
  /** The command line itself was wrong: unknown command or option, missing argument. */
  public static final int USAGE = 2;
  /** Cancelled by Ctrl-C or refused confirmation. */
  public static final int CANCELLED = 130;

  private ExitCodes() {}
}
