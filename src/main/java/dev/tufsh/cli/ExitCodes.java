package dev.tufsh.cli;

import java.util.List;

/**
 * Exit statuses of tufsh: the one table that help, the man pages, the README and the JSON error
 * envelope are written from. {@link Errors} is the only place an exception becomes one of them.
 */
public final class ExitCodes {
  public static final int OK = 0;
  /** The command ran and failed: verification, unmet threshold at publish, key backend, I/O. */
  public static final int FAILED = 1;
  /** The command line was wrong: unknown command or option, a missing or bad value. */
  public static final int USAGE = 2;
  /** The command ran and found what needs a person: expired or short roles, unmet thresholds, lint errors. */
  public static final int ATTENTION = 3;
  /** Another writer holds the repository lock (and {@code --wait} ran out, if given). */
  public static final int LOCKED = 4;
  /** A confirmation was declined, or was needed without a terminal and without {@code --yes}. */
  public static final int NOT_CONFIRMED = 5;
  /** Interrupted: Ctrl-C, SIGINT, a dropped SSH channel, or a prompt left unanswered. */
  public static final int CANCELLED = 130;

  /** One documented exit status. {@code kind} is the error kind in JSON output. */
  public record Code(int status, String kind, String meaning) {}

  public static final List<Code> TABLE =
      List.of(
          new Code(OK, "ok", "success"),
          new Code(FAILED, "failed",
              "the command failed (verification, unmet threshold at publish, key backend, I/O)"),
          new Code(USAGE, "usage", "usage error: unknown command or option, a missing or bad value"),
          new Code(ATTENTION, "attention",
              "the command ran and found something that needs a person: status saw expired or short roles,"
                  + " plan unmet thresholds, lint an error-level finding"),
          new Code(LOCKED, "locked", "another writer holds the repository lock (after --wait, if given)"),
          new Code(NOT_CONFIRMED, "not_confirmed",
              "a confirmation was declined, or needed --yes without a terminal"),
          new Code(CANCELLED, "cancelled", "interrupted (Ctrl-C, SIGINT, a dropped SSH channel)"));

  /** The table as text lines, for help footers and man pages. */
  public static List<String> lines() {
    return TABLE.stream().map(c -> String.format(java.util.Locale.ROOT, "%3d  %s", c.status(), c.meaning())).toList();
  }

  /** The JSON error kind for {@code status}. */
  public static String kind(int status) {
    return TABLE.stream().filter(c -> c.status() == status).map(Code::kind).findFirst().orElse("failed");
  }

  private ExitCodes() {}
}
