package dev.tufsh.crypto;

import dev.tufsh.errors.SignatureError;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

/** Generates key pairs and reads private keys, producing {@link LocalSigner}s. */
public final class KeyPairs {
  public static final int RSA_BITS = 3072;

  private static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

  private KeyPairs() {}

  public static LocalSigner generate(Scheme scheme) {
    try {
      return switch (scheme) {
        case ED25519 -> LocalSigner.ed25519(new Ed25519PrivateKeyParameters(Crypto.random()));
        case ECDSA_P256 -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
          g.initialize(new ECGenParameterSpec("secp256r1"), Crypto.random());
          yield fromJca(scheme, g.generateKeyPair());
        }
        case RSA_PSS_SHA256 -> {
          KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
          g.initialize(RSA_BITS, Crypto.random());
          yield fromJca(scheme, g.generateKeyPair());
        }
      };
    } catch (GeneralSecurityException e) {
      throw new SignatureError("cannot generate " + scheme.wireName() + " key: " + e.getMessage(), e);
    }
  }

  /** An Ed25519 signer from its 32-byte seed (test vectors, imports). */
  public static LocalSigner ed25519FromSeed(byte[] seed) {
    return LocalSigner.ed25519(new Ed25519PrivateKeyParameters(seed, 0));
  }

  private static LocalSigner fromJca(Scheme scheme, KeyPair kp) {
    String pem = Pem.encode("PUBLIC KEY", kp.getPublic().getEncoded());
    return LocalSigner.jca(Key.of(scheme, pem), scheme, kp.getPrivate());
  }

  /**
   * Reads an unencrypted PKCS#8 private key. For RSA the scheme is RSA-PSS; for EC it must be a
   * P-256 key.
   */
  public static LocalSigner fromPkcs8(byte[] der) {
    PrivateKeyInfo info;
    try {
      info = PrivateKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new SignatureError("not a PKCS#8 private key");
    }
    ASN1ObjectIdentifier alg = info.getPrivateKeyAlgorithm().getAlgorithm();
    try {
      if (alg.equals(ID_ED25519)) {
        return LocalSigner.ed25519((Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(info));
      }
      if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
        PrivateKey pk = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        return LocalSigner.jca(ecPublicKey((ECPrivateKey) pk), Scheme.ECDSA_P256, pk);
      }
      if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
        PrivateKey pk = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        RSAPrivateCrtKey crt = (RSAPrivateCrtKey) pk;
        var pub =
            KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        Key key = Key.of(Scheme.RSA_PSS_SHA256, Pem.encode("PUBLIC KEY", pub.getEncoded()));
        return LocalSigner.jca(key, Scheme.RSA_PSS_SHA256, pk);
      }
    } catch (GeneralSecurityException | IOException | ClassCastException e) {
      throw new SignatureError("cannot read private key: " + e.getMessage(), e);
    }
    throw new SignatureError("unsupported private key algorithm " + alg.getId());
  }

  /** Reads a PEM {@code PRIVATE KEY} (unencrypted PKCS#8), as python-tuf's test keystore holds. */
  public static LocalSigner fromPem(String pem) {
    return fromPkcs8(Pem.decode(pem, "PRIVATE KEY", "private key"));
  }

  private static Key ecPublicKey(ECPrivateKey priv) throws GeneralSecurityException {
    var curve = CustomNamedCurves.getByName("secp256r1");
    if (!priv.getParams().getOrder().equals(curve.getN())) {
      throw new SignatureError("ECDSA key is not on curve P-256");
    }
    var q = curve.getG().multiply(priv.getS()).normalize();
    ECPoint w =
        new ECPoint(
            new BigInteger(1, q.getAffineXCoord().getEncoded()),
            new BigInteger(1, q.getAffineYCoord().getEncoded()));
    var pub = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, priv.getParams()));
    return Key.of(Scheme.ECDSA_P256, Pem.encode("PUBLIC KEY", pub.getEncoded()));
  }
}
