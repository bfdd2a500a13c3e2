package dev.tufsh.keys;

import dev.tufsh.errors.TufshException;

/**
 * A key store that cannot do what was asked: a wrong passphrase, a corrupt or missing key file, a
 * name already taken. The message names the key and the file.
 */
public class KeyStoreError extends TufshException {
  public KeyStoreError(String message) {
    super(message);
  }

  public KeyStoreError(String message, Throwable cause) {
    super(message, cause);
  }
}
