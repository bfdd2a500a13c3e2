package dev.tufsh.errors;

/**
 * Base of every error tufsh reports to a person. {@link #getMessage()} is always one line; only the
 * command layer maps these to exit codes.
 */
public class TufshException extends RuntimeException {
  public TufshException(String message) {
    super(oneLine(message));
  }

  public TufshException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
  }
}
