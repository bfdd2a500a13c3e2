package dev.tufsh.keys;

/** A passphrase that does not open the key it was given for (the file itself is sound). */
public final class WrongPassphraseError extends KeyStoreError {
  public WrongPassphraseError(String message) {
    super(message);
  }
}
