package dev.tufsh.keys;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import java.nio.charset.StandardCharsets;

/**
 * A private key in memory together with the exact public key object it signs for. The public form
 * may carry members the bare key lacks (legacy {@code keyid_hash_algorithms}, say): key ids hash
 * the whole object, so adopting a root's form is what makes an imported key match that root.
 */
public final class KeyMaterial implements Signer {
  private static final byte[] PROBE =
      "tufsh key material check".getBytes(StandardCharsets.US_ASCII);

  private final LocalSigner local;
  private final Key key;

  private KeyMaterial(LocalSigner local, Key key) {
    this.local = local;
    this.key = key;
  }

  /** The signer with its own public key form. */
  public static KeyMaterial of(LocalSigner local) {
    return new KeyMaterial(local, local.key());
  }

  /**
   * The signer presenting {@code publicForm} as its key, after checking that the form names the
   * same scheme and that a signature of the private key verifies under it.
   */
  public static KeyMaterial adopt(LocalSigner local, Key publicForm) {
    if (publicForm == null || publicForm.equals(local.key())) {
      return of(local);
    }
    Scheme scheme = local.scheme();
    if (publicForm.supportedScheme().filter(s -> s == scheme).isEmpty()) {
      throw new KeyStoreError("public key " + publicForm + " (key type '" + publicForm.keyType()
          + "') does not fit the private key, which is " + scheme.wireName());
    }
    if (!publicForm.verifies(PROBE, local.sign(PROBE))) {
      throw new KeyStoreError("public key " + publicForm + " is not the public half of the "
          + scheme.wireName() + " private key " + local.key().shortId());
    }
    return new KeyMaterial(local, publicForm);
  }

  @Override
  public Key key() {
    return key;
  }

  public Scheme scheme() {
    return local.scheme();
  }

  @Override
  public byte[] sign(byte[] message) {
    return local.sign(message);
  }

  /** Unencrypted PKCS#8 DER; the caller encrypts it and wipes the array. */
  public byte[] privateKeyPkcs8() {
    return local.privateKeyPkcs8();
  }

  @Override
  public String describe() {
    return "local " + key;
  }
}
