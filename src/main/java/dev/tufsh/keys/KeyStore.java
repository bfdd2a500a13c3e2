package dev.tufsh.keys;

import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import dev.tufsh.crypto.SignerResolver;
import java.util.List;

/**
 * Where a workspace keeps the keys it can sign with. The embedded default is an encrypted file
 * keystore under {@code .tufsh/keys/}; other backends (PKCS#11, Vault, offline) are registered
 * alongside it. Names are unique per store.
 */
public interface KeyStore extends SignerResolver {
  /** Generates a key, stores it as {@code name} (refusing to overwrite) and returns its signer. */
  Signer generate(Scheme scheme, String name);

  /** Stores an existing private key as {@code name}; {@code overwrite} must be explicit. */
  Signer importKey(LocalSigner signer, String name, boolean overwrite);

  /** Every key this store knows, private half present or not. */
  List<KeyEntry> list();
}
