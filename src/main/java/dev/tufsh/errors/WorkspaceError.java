package dev.tufsh.errors;

/** The workspace folder is missing, unreadable, unwritable or inconsistent. */
public final class WorkspaceError extends TufshException {
  public WorkspaceError(String message) {
    super(message);
  }

  public WorkspaceError(String message, Throwable cause) {
    super(message, cause);
  }
}
