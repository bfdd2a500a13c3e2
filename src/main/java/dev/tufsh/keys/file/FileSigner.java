package dev.tufsh.keys.file;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.KeyMaterial;
import java.util.List;

/**
 * A signer for a key in a {@link FileKeyStore}. The private key is decrypted on the first
 * signature (so resolving signers for keys that end up unused asks for no passphrase) and then
 * kept by the store for every later signature.
 */
final class FileSigner implements Signer {
  private final FileKeyStore store;
  private final String name;
  private final String storedKeyId;
  private final Key presented;

  /**
   * {@code presented} is the key as the caller asked for it; it has the stored key's material but
   * may differ in form (legacy members), so the stored key id is kept apart.
   */
  FileSigner(FileKeyStore store, String name, String storedKeyId, Key presented) {
    this.store = store;
    this.name = name;
    this.storedKeyId = storedKeyId;
    this.presented = presented;
  }

  @Override
  public String label() {
    return name();
  }

  String name() {
    return name;
  }

  @Override
  public Key key() {
    return presented;
  }

  @Override
  public byte[] sign(byte[] message) {
    return store.unlock(name, storedKeyId).sign(message);
  }

  @Override
  public void prepare() {
    store.unlock(name, storedKeyId);
  }

  @Override
  public void prepareAhead() {
    store.unlockAhead(name, storedKeyId);
  }

  @Override
  public List<byte[]> signAll(List<byte[]> messages) {
    KeyMaterial m = store.unlock(name, storedKeyId);
    return messages.stream().map(m::sign).toList();
  }

  @Override
  public String describe() {
    return "file:" + store.fileFor(name) + " (" + presented + ")";
  }
}
