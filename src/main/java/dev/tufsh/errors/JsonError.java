package dev.tufsh.errors;

/** Bytes that are not acceptable JSON, or a value canonical JSON cannot represent. */
public final class JsonError extends TufshException {
  public JsonError(String message) {
    super(message);
  }

  public JsonError(String message, Throwable cause) {
    super(message, cause);
  }
}
