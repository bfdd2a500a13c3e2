package dev.tufsh.crypto;

import java.util.Optional;

/**
 * Finds a signer for a public key, wherever its private half lives. The repository layer asks
 * through this interface; the key backends implement it and the application wires them in.
 */
public interface SignerResolver {
  /** The signer for {@code key}, or empty when no backend here holds its private half. */
  Optional<Signer> signerFor(Key key);

  SignerResolver NONE = key -> Optional.empty();
}
