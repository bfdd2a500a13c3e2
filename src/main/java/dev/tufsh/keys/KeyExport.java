package dev.tufsh.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Pem;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Secret;
import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfoBuilder;

/**
 * Writes keys out: the public key as a TUF key object or as PEM SubjectPublicKeyInfo, and the
 * private key only as encrypted PKCS#8 (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC), which OpenSSL,
 * pyca/cryptography and Go all read. There is deliberately no unencrypted private export.
 */
public final class KeyExport {
  /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about half a second here, once per export. */
  public static final int PBKDF2_ITERATIONS = 600_000;

  private KeyExport() {}

  /** The key object exactly as metadata lists it (its key id hashes this). */
  public static ObjectNode publicJson(Key key) {
    return key.toJson();
  }

  /** The public key as PEM SubjectPublicKeyInfo, whatever form the metadata uses. */
  public static String publicPem(Key key) {
    String value = key.publicValue();
    if (value.contains("-----BEGIN")) {
      return Pem.encode("PUBLIC KEY", Pem.decode(value, "PUBLIC KEY", "public key of " + key));
    }
    Scheme scheme =
        key.supportedScheme()
            .orElseThrow(() -> new KeyStoreError("cannot export " + key + ": unsupported key type"));
    byte[] raw = Hex.decode(value, "public key of " + key);
    try {
      byte[] der =
          switch (scheme) {
            case ED25519 ->
                new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), raw)
                    .getEncoded();
            // Legacy tough wrote ECDSA keys as hex: the raw point, or SPKI DER.
            case ECDSA_P256 ->
                raw.length == 65
                    ? new SubjectPublicKeyInfo(
                            new AlgorithmIdentifier(
                                X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1),
                            raw)
                        .getEncoded()
                    : raw;
            case RSA_PSS_SHA256 -> raw;
          };
      return Pem.encode("PUBLIC KEY", der);
    } catch (IOException e) {
      throw new KeyStoreError("cannot export " + key + ": " + e.getMessage(), e);
    }
  }

  /** The private key as {@code ENCRYPTED PRIVATE KEY} PEM under {@code passphrase}. */
  public static String encryptedPrivatePem(KeyMaterial material, Secret passphrase) {
    return encryptedPrivatePem(material, passphrase, PBKDF2_ITERATIONS);
  }

  static String encryptedPrivatePem(KeyMaterial material, Secret passphrase, int iterations) {
    if (passphrase.isEmpty()) {
      throw new KeyStoreError("an empty passphrase is not allowed for an exported private key");
    }
    byte[] der = material.privateKeyPkcs8();
    char[] pass = passphrase.chars();
    try {
      // The openssl-package builder derives the key as OpenSSL does (UTF-8 password into
      // PBKDF2); the generic PKCS builder, with the BC provider, derives a key others reject.
      OutputEncryptor enc =
          new JceOpenSSLPKCS8EncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
              .setProvider(Crypto.bc())
              .setRandom(Crypto.random())
              .setPRF(PKCS8Generator.PRF_HMACSHA256)
              .setIterationCount(iterations)
              .setPassword(pass)
              .build();
      byte[] out =
          new PKCS8EncryptedPrivateKeyInfoBuilder(PrivateKeyInfo.getInstance(der)).build(enc).getEncoded();
      return Pem.encode("ENCRYPTED PRIVATE KEY", out);
    } catch (OperatorCreationException | IOException e) {
      throw new KeyStoreError("cannot encrypt private key " + material.key() + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(der, (byte) 0);
      Arrays.fill(pass, '\0');
    }
  }
}
