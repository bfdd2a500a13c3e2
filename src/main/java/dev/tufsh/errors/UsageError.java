package dev.tufsh.errors;

/** A request that cannot be carried out as asked: an unknown role or key, a bad option value. */
public final class UsageError extends TufshException {
  public UsageError(String message) {
    super(message);
  }
}
