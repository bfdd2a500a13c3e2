package dev.tufsh.keys;

import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import dev.tufsh.crypto.SignerResolver;
import java.util.List;
import java.util.Optional;

/**
 * Where a workspace keeps the keys it can sign with. The embedded default is an encrypted file
 * keystore under {@code .tufsh/keys/}; other backends (PKCS#11, Vault, offline) are registered
 * alongside it in a {@link SignerRegistry}. Names are unique per store.
 */
public interface KeyStore extends SignerResolver {
  /** Generates a key, stores it as {@code name} (refusing to overwrite) and returns its signer. */
  Signer generate(Scheme scheme, String name);

  /**
   * Stores an existing private key as {@code name} under its public form (which may be an adopted
   * one, see {@link KeyMaterial#adopt}); {@code overwrite} must be explicit.
   */
  Signer importKey(KeyMaterial material, String name, boolean overwrite);

  /** Stores an existing private key under its own public form. */
  default Signer importKey(LocalSigner signer, String name, boolean overwrite) {
    return importKey(KeyMaterial.of(signer), name, overwrite);
  }

  /**
   * Deletes the key stored as {@code name}: an operation that generated it and then failed takes
   * it back, so a refused incident leaves no key nobody trusts.
   */
  void remove(String name);

  /** Every key this store knows, private half present or not, sorted by name. */
  List<KeyEntry> list();

  /** The key stored as {@code name}, if any. */
  default Optional<KeyEntry> find(String name) {
    return list().stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /**
   * Starts, where this store can, the unlocking its signatures will need before the keys are known
   * (a file keystore whose keys share one passphrase:
   * {@link dev.tufsh.keys.file.FileKeyStore#unlockGroupAhead}).
   * Changes no outcome, only how soon a signature finds its key unlocked; by default nothing.
   */
  default void unlockAhead() {}
}
