package dev.tufsh.crypto;

import dev.tufsh.errors.SignatureError;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A signer whose private key is in this process's memory (decrypted from a key file, generated, or
 * imported). Ed25519 goes through BouncyCastle's low-level API, or AWS-LC's once {@link
 * Ed25519Engine} has it loaded for a bulk line (the same bytes: Ed25519 is deterministic); ECDSA and
 * RSA-PSS go through the JDK's providers.
 *
 * <p>Measured over 30 KB bins (sign + verify, 16,384 of them on 2 cores): Tink's pure-Java Ed25519,
 * which hashes with the JDK's faster SHA-512, signs a third faster on one thread but costs as much
 * CPU on all cores and verifies slower; AWS-LC takes 45% less CPU but its load costs ~0.3 s, hence
 * bulk lines only. Ed25519CrossCheckTest is what an engine must pass.
 */
public final class LocalSigner implements Signer {
  private final Key key;
  private final Scheme scheme;
  private final Ed25519PrivateKeyParameters ed25519;
  private final PrivateKey jcaKey;
  /** The key inside AWS-LC, made from this process's unlocked key at its first native signature. */
  private volatile NativeEd25519.Signing nativeKey;
  private volatile boolean nativeRefused;

  private LocalSigner(Key key, Scheme scheme, Ed25519PrivateKeyParameters ed25519, PrivateKey jcaKey) {
    this.key = key;
    this.scheme = scheme;
    this.ed25519 = ed25519;
    this.jcaKey = jcaKey;
  }

  static LocalSigner ed25519(Ed25519PrivateKeyParameters priv) {
    String pub = Hex.encode(priv.generatePublicKey().getEncoded());
    return new LocalSigner(Key.of(Scheme.ED25519, pub), Scheme.ED25519, priv, null);
  }

  static LocalSigner jca(Key key, Scheme scheme, PrivateKey priv) {
    return new LocalSigner(key, scheme, null, priv);
  }

  @Override
  public Key key() {
    return key;
  }

  public Scheme scheme() {
    return scheme;
  }

  @Override
  public byte[] sign(byte[] message) {
    if (ed25519 != null) {
      byte[] made = signNatively(message);
      if (made != null) {
        return made;
      }
      byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
      ed25519.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, sig, 0);
      return sig;
    }
    try {
      Signature s =
          Signature.getInstance(scheme == Scheme.ECDSA_P256 ? "SHA256withECDSA" : "RSASSA-PSS");
      if (scheme == Scheme.RSA_PSS_SHA256) {
        s.setParameter(Verifiers.PSS_SHA256);
      }
      s.initSign(jcaKey, Crypto.random());
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new SignatureError("signing with " + key + " failed: " + e.getMessage(), e);
    }
  }

  /** The native engine's signature, or null when it is not ready or cannot take this key. */
  private byte[] signNatively(byte[] message) {
    if (message.length > NativeEd25519.MAX_MESSAGE) {
      return null;
    }
    NativeEd25519 engine = nativeRefused ? null : Ed25519Engine.forOne();
    if (engine == null) {
      return null;
    }
    try {
      NativeEd25519.Signing k = nativeKey;
      if (k == null) {
        synchronized (this) {
          k = nativeKey;
          if (k == null) {
            k = engine.signing(ed25519.getEncoded()); // a copy of the seed, zeroed once read
            nativeKey = k;
          }
        }
      }
      return k.sign(message);
    } catch (GeneralSecurityException | RuntimeException e) {
      nativeRefused = true; // BouncyCastle signs with this key from now on; no key bytes in any message
      return null;
    }
  }

  /**
   * The private key as unencrypted PKCS#8 DER, for a keystore to encrypt. Handle with care. Always
   * version 1 (RFC 5208): BouncyCastle writes Ed25519 as version 2 with the public key attached
   * (RFC 5958), which pyca/cryptography and OpenSSL 3.0 refuse inside an encrypted key.
   */
  public byte[] privateKeyPkcs8() {
    try {
      if (ed25519 == null) {
        return jcaKey.getEncoded();
      }
      PrivateKeyInfo v2 = PrivateKeyInfoFactory.createPrivateKeyInfo(ed25519);
      return new PrivateKeyInfo(v2.getPrivateKeyAlgorithm(), v2.parsePrivateKey()).getEncoded();
    } catch (java.io.IOException e) {
      throw new SignatureError("cannot encode private key: " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "local " + key;
  }
}
