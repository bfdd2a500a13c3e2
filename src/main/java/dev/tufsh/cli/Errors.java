package dev.tufsh.cli;

import dev.tufsh.errors.LockedError;
import dev.tufsh.errors.TufshException;
import dev.tufsh.errors.UsageError;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import picocli.CommandLine;

/**
 * The one place exceptions become exit statuses ({@link ExitCodes}) and one-line messages on
 * stderr. Stack traces appear only with {@code --debug}.
 */
public final class Errors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
  private final PrintWriter err;
  private final boolean debug;
  private final Session session;

  public Errors(PrintWriter err, boolean debug) {
    this(err, debug, null);
  }

  public Errors(PrintWriter err, boolean debug, Session session) {
    this.err = err;
    this.debug = debug;
    this.session = session;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    if (session != null) {
      session.noteError(message(ex));
    }
    return report(ex);
  }

  /** Prints {@code ex} as one line and returns the exit status for it. */
  public int report(Throwable ex) {
    int status = status(ex);
    if (status == ExitCodes.CANCELLED) {
      err.println("tufsh: cancelled" + (ex.getMessage() == null || ex.getMessage().isEmpty() ? ""
          : ": " + message(ex)));
    } else {
      err.println("tufsh: error: " + message(ex));
    }
    if (debug) {
      ex.printStackTrace(err);
    }
    err.flush();
    return status;
  }

  /** The exit status for {@code ex}: the one mapping from failures to {@link ExitCodes}. */
  public static int status(Throwable ex) {
    if (ex instanceof dev.tufsh.runbook.RunbookRunner.StepFailed f) {
      return f.status(); // a runbook fails as its failed line did
    }
    if (ex instanceof CancelledException || interrupted(ex)) {
      return ExitCodes.CANCELLED;
    }
    if (ex instanceof NotConfirmedException) {
      return ExitCodes.NOT_CONFIRMED;
    }
    if (ex instanceof LockedError) {
      return ExitCodes.LOCKED;
    }
    if (ex instanceof UsageError || ex instanceof CommandLine.ParameterException
        || ex instanceof CommandLine.TypeConversionException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.FAILED;
  }

  private static boolean interrupted(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
          || t instanceof InterruptedIOException) {
        return true;
      }
    }
    return Thread.currentThread().isInterrupted();
  }

  /** A one-line description of {@code ex} for a person. */
  public static String message(Throwable ex) {
    Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
    if (t instanceof TufshException || t instanceof CommandLine.TypeConversionException) {
      return t.getMessage();
    }
    if (interrupted(t)) {
      return "interrupted";
    }
    if (t instanceof NoSuchFileException e) {
      return "no such file: " + e.getFile();
    }
    if (t instanceof AccessDeniedException e) {
      return "permission denied: " + e.getFile();
    }
    if (t instanceof FileSystemException e) {
      return e.getFile() + ": " + (e.getReason() == null ? "file system error" : e.getReason());
    }
    if (t instanceof java.io.IOException) {
      String m = t.getMessage();
      return "I/O error: " + (m == null ? t.getClass().getSimpleName() : firstLine(m));
    }
    String m = t.getMessage();
    return "internal error (" + t.getClass().getSimpleName() + (m == null ? "" : ": " + firstLine(m))
        + "); run with --debug for details";
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The command a parse error is about, as typed after "tufsh" ("" for the root). */
  static String commandName(CommandLine cmd) {
    return cmd.getCommandSpec().qualifiedName(" ").replaceFirst("^tufsh ?", "");
  }

  /** A parse error in words: what is unknown, where, and the nearest valid names. */
  static String parseMessage(CommandLine.ParameterException ex) {
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String word = u.getUnmatched().get(0);
      String where = commandName(ex.getCommandLine());
      List<String> near = u.getSuggestions().stream().filter(n -> close(word, n)).limit(2).toList();
      String what = word.startsWith("-") ? "unknown option '" + word + "'"
          : ex.getCommandLine().getSubcommands().isEmpty() ? "unexpected argument '" + word + "'"
              : "unknown command '" + (where.isEmpty() ? "" : where + " ") + word + "'";
      String in = word.startsWith("-") && !where.isEmpty() ? " for '" + where + "'" : "";
      String hint = near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near.stream()
          .map(s -> "'" + s + "'").toList()) + "?";
      return what + in + hint;
    }
    String where = commandName(ex.getCommandLine());
    String m = firstLine(ex.getMessage());
    if (ex instanceof CommandLine.MissingParameterException) {
      m = m.replaceFirst("^Missing required (parameter|option)s?: ", "missing ").replace("'", "");
    }
    return (where.isEmpty() ? "" : where + ": ") + Character.toLowerCase(m.charAt(0)) + m.substring(1);
  }

  /** Whether {@code candidate} is a plausible typo of {@code word}: few edits for its length. */
  static boolean close(String word, String candidate) {
    String a = word.replaceFirst("^-+", "");
    String b = candidate.replaceFirst("^-+", "");
    // Edit distance counting a swap of neighbours as one edit ("kye" for "key").
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        if (i == 0 || j == 0) {
          d[i][j] = i + j;
          continue;
        }
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    int distance = d[a.length()][b.length()];
    return distance <= Math.max(1, Math.min(a.length(), b.length()) / 3) || b.startsWith(a) && a.length() >= 2;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    String message = parseMessage(ex);
    if (session != null) {
      session.noteError(message);
      session.noteCommand(commandName(ex.getCommandLine()));
    }
    err.println("tufsh: " + message);
    String name = commandName(ex.getCommandLine());
    err.println("Try 'help" + (name.isEmpty() ? "" : " " + name) + "' for usage.");
    err.flush();
    return ExitCodes.USAGE;
  }
}
