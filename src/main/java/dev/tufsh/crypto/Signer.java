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

  /** Where the key lives, for people: {@code file:...}, {@code pkcs11:...}, {@code vault:...}. */
  default String describe() {
    return key().toString();
  }
}
