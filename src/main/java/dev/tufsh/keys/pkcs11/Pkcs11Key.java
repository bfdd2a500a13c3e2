package dev.tufsh.keys.pkcs11;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.keys.KeyBackendError;
import dev.tufsh.keys.PublicKeys;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * One key pair on a token: its TUF public key, read from the public key object (or, for RSA, the
 * private key's modulus and exponent), and the mechanism that makes TUF's signature encoding.
 */
final class Pkcs11Key {
  private final Pkcs11Token token;
  private final Pkcs11Uri uri;
  private final long privateKey;
  private final Scheme scheme;
  private final Key publicKey;
  private final long mechanism;

  Pkcs11Key(Pkcs11Token token, Pkcs11Uri uri) {
    this.token = token;
    this.uri = uri;
    this.privateKey = token.object(uri, Cryptoki.CKO_PRIVATE_KEY, "private key");
    long type = token.ulongAttribute(privateKey, Cryptoki.CKA_KEY_TYPE);
    if (type == Cryptoki.CKK_EC) {
      scheme = Scheme.ECDSA_P256;
      mechanism = require(Cryptoki.CKM_ECDSA, "CKM_ECDSA", "ECDSA keys");
    } else if (type == Cryptoki.CKK_EC_EDWARDS) {
      scheme = Scheme.ED25519;
      mechanism = require(Cryptoki.CKM_EDDSA, "CKM_EDDSA", "Ed25519 keys (the JDK's SunPKCS11 has no Ed25519 on"
          + " Java 17 either; use an ECDSA P-256 key on this token)");
    } else if (type == Cryptoki.CKK_RSA) {
      scheme = Scheme.RSA_PSS_SHA256;
      if (token.offers(Cryptoki.CKM_RSA_PKCS_PSS)) {
        mechanism = Cryptoki.CKM_RSA_PKCS_PSS;
      } else {
        mechanism = require(Cryptoki.CKM_SHA256_RSA_PKCS_PSS, "CKM_RSA_PKCS_PSS or CKM_SHA256_RSA_PKCS_PSS",
            "RSA-PSS keys");
      }
    } else {
      throw new KeyBackendError(uri.uri(), "key '" + uri.object() + "' on " + token.name() + " has key type 0x"
          + Long.toHexString(type) + "; tufsh signs with EC P-256, Ed25519 and RSA keys");
    }
    this.publicKey = readPublicKey();
  }

  private long require(long mech, String name, String forWhat) {
    if (!token.offers(mech)) {
      throw new KeyBackendError(uri.uri(), "unsupported mechanism: " + token.name() + " does not offer " + name
          + ", which " + forWhat + " need");
    }
    return mech;
  }

  Key publicKey() {
    return publicKey;
  }

  Scheme scheme() {
    return scheme;
  }

  /** Signs {@code message}, in TUF's encoding for the scheme. */
  byte[] sign(byte[] message) {
    try {
      return switch (scheme) {
        case ECDSA_P256 -> der(token.sign(privateKey, mechanism, new long[0], Crypto.sha256(message)));
        case ED25519 -> token.sign(privateKey, mechanism, new long[0], message);
        case RSA_PSS_SHA256 -> {
          long[] pss = {Cryptoki.CKM_SHA256, Cryptoki.CKG_MGF1_SHA256, 32};
          byte[] data = mechanism == Cryptoki.CKM_RSA_PKCS_PSS ? Crypto.sha256(message) : message;
          yield token.sign(privateKey, mechanism, pss, data);
        }
      };
    } catch (CryptokiError e) {
      if (e.rv() == Ckr.MECHANISM_INVALID || e.rv() == Ckr.MECHANISM_PARAM_INVALID) {
        throw new KeyBackendError(uri.uri(), "unsupported mechanism: " + token.name() + " refused to sign with "
            + scheme.wireName() + " (" + Ckr.name(e.rv()) + ")");
      }
      if (e.rv() == Ckr.KEY_FUNCTION_NOT_PERMITTED) {
        throw new KeyBackendError(uri.uri(), "key '" + uri.object() + "' on " + token.name()
            + " may not sign (CKA_SIGN is false)");
      }
      throw new KeyBackendError(uri.uri(), "signing on " + token.name() + " failed (" + e.getMessage() + ")");
    }
  }

  /** PKCS#11 ECDSA gives r||s; TUF (and securesystemslib) want a DER SEQUENCE of two INTEGERs. */
  /** Signs each message in turn; a token session does one operation at a time. */
  java.util.List<byte[]> signAll(java.util.List<byte[]> messages) {
    return messages.stream().map(this::sign).toList();
  }

  private byte[] der(byte[] raw) {
    if (raw.length != 64) {
      throw new KeyBackendError(uri.uri(), "the token's P-256 signature is " + raw.length + " bytes, not 64");
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64));
    try {
      return new DERSequence(new ASN1Encodable[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
    } catch (IOException e) {
      throw new KeyBackendError(uri.uri(), "cannot encode an ECDSA signature: " + e.getMessage(), e);
    }
  }

  private Key readPublicKey() {
    String what = "public key '" + uri.object() + "' on " + token.name();
    try {
      byte[] spki = switch (scheme) {
        case ECDSA_P256 -> ecSpki(publicObject(), what);
        case ED25519 -> edSpki(publicObject(), what);
        case RSA_PSS_SHA256 -> rsaSpki(what);
      };
      return PublicKeys.fromSpki(spki, what);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new KeyBackendError(uri.uri(), what + " cannot be read: " + e.getMessage(), e);
    }
  }

  private long publicObject() {
    return token.object(uri, Cryptoki.CKO_PUBLIC_KEY, "public key");
  }

  private byte[] ecSpki(long pub, String what) throws IOException {
    ASN1Primitive params = ASN1Primitive.fromByteArray(need(token.attribute(pub, Cryptoki.CKA_EC_PARAMS), "EC params", what));
    if (!SECObjectIdentifiers.secp256r1.equals(params)) {
      throw new KeyBackendError(uri.uri(), what + " is not on curve P-256 (" + params
          + "); TUF clients accept ECDSA on P-256 only");
    }
    byte[] point = point(need(token.attribute(pub, Cryptoki.CKA_EC_POINT), "EC point", what), 65);
    return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, params), point)
        .getEncoded();
  }

  private byte[] edSpki(long pub, String what) throws IOException {
    ASN1Primitive params = ASN1Primitive.fromByteArray(need(token.attribute(pub, Cryptoki.CKA_EC_PARAMS), "EC params", what));
    boolean ed25519 = params instanceof ASN1ObjectIdentifier oid
        ? oid.equals(EdECObjectIdentifiers.id_Ed25519)
        : params instanceof ASN1String s && s.getString().equals("edwards25519");
    if (!ed25519) {
      throw new KeyBackendError(uri.uri(), what + " is an Edwards key other than Ed25519 (" + params + ")");
    }
    byte[] point = point(need(token.attribute(pub, Cryptoki.CKA_EC_POINT), "EC point", what), 32);
    return new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), point).getEncoded();
  }

  /** Public exponent and modulus are attributes of the RSA private key too, so no public object is needed. */
  private byte[] rsaSpki(String what) throws GeneralSecurityException {
    byte[] n = need(token.attribute(privateKey, Cryptoki.CKA_MODULUS), "modulus", what);
    byte[] e = need(token.attribute(privateKey, Cryptoki.CKA_PUBLIC_EXPONENT), "public exponent", what);
    return KeyFactory.getInstance("RSA")
        .generatePublic(new RSAPublicKeySpec(new BigInteger(1, n), new BigInteger(1, e)))
        .getEncoded();
  }

  /** CKA_EC_POINT is a DER OCTET STRING around the point; some tokens give the bare point. */
  private static byte[] point(byte[] value, int rawLength) throws IOException {
    if (value.length == rawLength) {
      return value;
    }
    return ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(value)).getOctets();
  }

  private byte[] need(byte[] value, String attribute, String what) {
    if (value == null || value.length == 0) {
      throw new KeyBackendError(uri.uri(), what + " has no " + attribute);
    }
    return value;
  }
}
