package dev.tufsh.keys;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Signer;
import java.util.Optional;

/**
 * Makes signers for the registered keys of one backend ({@code pkcs11}, {@code vault},
 * {@code offline}). A signer should not touch its token or server until it signs, so resolving
 * signers for keys that end up unused asks for no PIN and makes no request.
 */
public interface SignerFactory {
  /** The backend name in {@code keys.json} and the URI scheme. */
  String backend();

  /**
   * The signer for {@code entry}, presenting {@code presented} (the same material, perhaps in
   * another form); empty when the private half is not reachable from here (offline keys).
   */
  Optional<Signer> signer(RegisteredKey entry, Key presented);
}
