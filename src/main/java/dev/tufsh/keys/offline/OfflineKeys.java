package dev.tufsh.keys.offline;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.RegisteredKey;
import dev.tufsh.keys.SignerFactory;
import java.util.Map;
import java.util.Optional;

/**
 * The backend of keys held elsewhere. It knows their public keys (for key ids, plans and the
 * {@code key list} of who trusts what) and never signs: its signers are always empty.
 */
public final class OfflineKeys implements SignerFactory {
  public static final String BACKEND = "offline";

  @Override
  public String backend() {
    return BACKEND;
  }

  /** The registry entry for an offline key named {@code name}. */
  public static RegisteredKey entry(String name, Key key) {
    return new RegisteredKey(name, BACKEND, uri(key), key, Map.of());
  }

  /** {@code offline:KEYID}: says where the key is not. */
  public static String uri(Key key) {
    return BACKEND + ":" + key.keyId();
  }

  @Override
  public Optional<Signer> signer(RegisteredKey entry, Key presented) {
    return Optional.empty();
  }
}
