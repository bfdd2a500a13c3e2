package dev.tufsh.keys;

import dev.tufsh.errors.TufshException;

/**
 * A key backend (PKCS#11 token, Vault Transit) refused or failed: a wrong PIN, a sealed Vault, a
 * missing key. The message names the key's URI and what to do about it.
 */
public final class KeyBackendError extends TufshException {
  private final String uri;

  public KeyBackendError(String uri, String problem) {
    super(uri + ": " + problem);
    this.uri = uri;
  }

  public KeyBackendError(String uri, String problem, Throwable cause) {
    super(uri + ": " + problem, cause);
    this.uri = uri;
  }

  /** The key the backend failed for, as its URI ({@code pkcs11:...}, {@code vault:...}). */
  public String uri() {
    return uri;
  }
}
