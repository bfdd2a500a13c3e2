package dev.tufsh.errors;

/**
 * The audit log cannot record what is about to happen (unwritable, full disk, a damaged line): the
 * command that needed the record does not run.
 */
public final class AuditError extends TufshException {
  public AuditError(String message) {
    super(message);
  }

  public AuditError(String message, Throwable cause) {
    super(message, cause);
  }
}
