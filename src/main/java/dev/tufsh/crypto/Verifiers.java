package dev.tufsh.crypto;

import dev.tufsh.errors.SignatureError;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** Builds a {@link Verifier} from a key's metadata form. */
final class Verifiers {
  static final PSSParameterSpec PSS_SHA256 =
      new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

  private static final byte[] ED25519_SPKI_PREFIX = Hex.decode("302a300506032b6570032100", "prefix");
  private static final byte[] P256_SPKI_PREFIX =
      Hex.decode("3059301306072a8648ce3d020106082a8648ce3d030107034200", "prefix");

  private Verifiers() {}

  static Verifier forKey(Key key) {
    Scheme scheme =
        Scheme.fromWire(key.scheme())
            .orElseThrow(() -> new SignatureError("unsupported signature scheme '" + key.scheme() + "'"));
    if (!scheme.acceptsKeyType(key.keyType())) {
      throw new SignatureError(
          "key type '" + key.keyType() + "' does not match scheme '" + key.scheme() + "'");
    }
    return switch (scheme) {
      case ED25519 -> new Ed25519Verifier(ed25519PublicBytes(key.publicValue()));
      case ECDSA_P256 -> jca("SHA256withECDSA", null, ecPublicKey(key.publicValue()));
      case RSA_PSS_SHA256 -> {
        PublicKey pk = spki("RSA", key.publicValue(), "RSA public key");
        if (((RSAPublicKey) pk).getModulus().bitLength() < 2048) {
          throw new SignatureError("RSA key " + key.shortId() + " is shorter than 2048 bits");
        }
        yield jca("RSASSA-PSS", PSS_SHA256, pk);
      }
    };
  }

  static byte[] ed25519PublicBytes(String value) {
    byte[] raw;
    if (value.contains("-----BEGIN")) {
      byte[] der = Pem.decode(value, "PUBLIC KEY", "ed25519 public key");
      if (der.length != 44) {
        throw new SignatureError("ed25519 public key PEM is not a 32-byte key");
      }
      raw = java.util.Arrays.copyOfRange(der, 12, 44);
    } else {
      raw = Hex.decode(value, "ed25519 public key");
    }
    if (raw.length != Ed25519.PUBLIC_KEY_SIZE) {
      throw new SignatureError("ed25519 public key must be 32 bytes, got " + raw.length);
    }
    return raw;
  }

  private static PublicKey ecPublicKey(String value) {
    if (value.contains("-----BEGIN")) {
      return spki("EC", value, "ECDSA public key");
    }
    // Legacy tough wrote ECDSA keys as hex: either SPKI DER or the raw uncompressed point.
    byte[] bytes = Hex.decode(value, "ECDSA public key");
    byte[] der = bytes.length == 65 ? concat(P256_SPKI_PREFIX, bytes) : bytes;
    return fromDer("EC", der, "ECDSA public key");
  }

  static PublicKey spki(String algorithm, String pem, String what) {
    return fromDer(algorithm, Pem.decode(pem, "PUBLIC KEY", what), what);
  }

  static PublicKey fromDer(String algorithm, byte[] der, String what) {
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SignatureError(what + " is not a valid " + algorithm + " SubjectPublicKeyInfo");
    }
  }

  static byte[] ed25519Spki(byte[] raw) {
    return concat(ED25519_SPKI_PREFIX, raw);
  }

  private static Verifier jca(String algorithm, PSSParameterSpec params, PublicKey pk) {
    return (message, signature) -> {
      try {
        Signature s = Signature.getInstance(algorithm);
        if (params != null) {
          s.setParameter(params);
        }
        s.initVerify(pk);
        s.update(message);
        return s.verify(signature);
      } catch (java.security.SignatureException e) {
        return false;
      } catch (GeneralSecurityException e) {
        throw new SignatureError("cannot verify with " + algorithm + ": " + e.getMessage(), e);
      }
    };
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
