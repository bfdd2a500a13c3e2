package dev.tufsh.errors;

/** A key or signature that cannot be used: unknown scheme, malformed key material, signing failure. */
public final class SignatureError extends TufshException {
  public SignatureError(String message) {
    super(message);
  }

  public SignatureError(String message, Throwable cause) {
    super(message, cause);
  }
}
