package dev.tufsh.cli;

import dev.tufsh.errors.TufshException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * The one place exceptions become exit statuses and one-line messages on stderr. Stack traces
 * appear only with {@code --debug}.
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
    if (ex instanceof CancelledException) {
      err.println("tufsh: cancelled" + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
      err.flush();
      return ExitCodes.CANCELLED;
    }
    err.println("tufsh: error: " + message(ex));
    if (debug) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.FAILED;
  }

  /** A one-line description of {@code ex} for a person. */
  public static String message(Throwable ex) {
    Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
    if (t instanceof TufshException) {
      return t.getMessage();
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

  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    if (session != null) {
      session.noteError(firstLine(ex.getMessage()));
    }
    err.println("tufsh: " + firstLine(ex.getMessage()));
    CommandLine cmd = ex.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName(" ").replaceFirst("^tufsh ?", "");
    err.println("Try 'help" + (name.isEmpty() ? "" : " " + name) + "' for usage.");
    err.flush();
    return ExitCodes.USAGE;
  }
}
