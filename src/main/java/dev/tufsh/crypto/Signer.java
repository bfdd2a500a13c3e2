package dev.tufsh.crypto;

import java.util.ArrayList;
import java.util.List;

/**
 * Something that can sign with one key: a key file, a PKCS#11 token, Vault Transit, or an offline
 * holder. Operations never learn where the private half lives.
 */
public interface Signer {
  /** The public key whose signatures this signer makes. */
  Key key();

  /** What a person calls this key in progress lines: its name where the store has one. */
  default String label() {
    return key().shortId();
  }

  default String keyId() {
    return key().keyId();
  }

  /** Signs {@code message}, returning the signature bytes in TUF's encoding for the scheme. */
  byte[] sign(byte[] message);

  /**
   * Signs many messages. Backends with a network round trip (Vault's {@code batch_input}) override
   * this to make few requests; the default signs one after another.
   */
  default List<byte[]> signAll(List<byte[]> messages) {
    List<byte[]> out = new ArrayList<>(messages.size());
    for (byte[] m : messages) {
      out.add(sign(m));
    }
    return out;
  }

  /**
   * Makes the key ready to sign without signing anything (a file key is decrypted), so that keys
   * needed together can get ready side by side. Backends with nothing to prepare do nothing.
   */
  default void prepare() {}

  /**
   * Starts {@link #prepare} on another thread when that needs no one (a file key whose passphrase
   * comes from a file or the environment), so a one-shot command's key derivation runs while it
   * reads and stages; the first signature waits for it. Its outcome is never reported from here: a
   * failure is met again, and reported as always, by the signature that needs the key.
   */
  default void prepareAhead() {}

  /**
   * How many messages one {@link #signAll} call should carry at least, when there are that many:
   * 1 for keys at hand; a backend with a round trip per call (Vault) asks for its batch size, so
   * splitting work across cores does not multiply its requests.
   */
  default int preferredBatch() {
    return 1;
  }

  /** Where the key lives, for people: {@code file:...}, {@code pkcs11:...}, {@code vault:...}. */
  default String describe() {
    return key().toString();
  }
}
