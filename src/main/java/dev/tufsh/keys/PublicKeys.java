package dev.tufsh.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Pem;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.errors.TufshException;
import dev.tufsh.json.Json;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Public keys that arrive from outside (a token's public key object, Vault, a file an offline key
 * holder sends) turned into TUF key objects the way tufsh writes its own: Ed25519 as 64 hex digits,
 * ECDSA P-256 and RSA as SubjectPublicKeyInfo PEM in {@link Pem}'s layout. Key ids hash these
 * exact characters, so one material always gets one key id.
 */
public final class PublicKeys {
  private PublicKeys() {}

  /** The TUF key for a SubjectPublicKeyInfo; {@code what} names it in errors. */
  public static Key fromSpki(byte[] der, String what) {
    SubjectPublicKeyInfo info;
    try {
      info = SubjectPublicKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new KeyStoreError(what + " is not a DER SubjectPublicKeyInfo");
    }
    ASN1ObjectIdentifier alg = info.getAlgorithm().getAlgorithm();
    Key key;
    if (alg.equals(EdECObjectIdentifiers.id_Ed25519)) {
      key = Key.of(Scheme.ED25519, Hex.encode(info.getPublicKeyData().getOctets()));
    } else if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      if (!SECObjectIdentifiers.secp256r1.equals(info.getAlgorithm().getParameters())) {
        throw new KeyStoreError(what + " is an EC key on a curve other than P-256, which TUF clients do not accept");
      }
      key = Key.of(Scheme.ECDSA_P256, Pem.encode("PUBLIC KEY", der));
    } else if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      key = Key.of(Scheme.RSA_PSS_SHA256, Pem.encode("PUBLIC KEY", der));
    } else {
      throw new KeyStoreError(what + " has key algorithm " + alg.getId()
          + "; tufsh signs with ed25519, ECDSA P-256 and RSA only");
    }
    try {
      key.verifier();
    } catch (TufshException e) {
      throw new KeyStoreError(what + ": " + e.getMessage(), e);
    }
    return key;
  }

  /**
   * A public key from text: a TUF or securesystemslib key object (JSON; a {@code keyid} member, if
   * present, must match) or PEM SubjectPublicKeyInfo.
   */
  public static Key read(String text, String source) {
    String t = text.strip();
    if (t.startsWith("{")) {
      JsonNode node = Json.parse(t, source);
      if (!node.isObject()) {
        throw new KeyStoreError(source + " is not a key object");
      }
      ObjectNode copy = ((ObjectNode) node).deepCopy();
      JsonNode id = copy.remove("keyid");
      if (copy.path("keyval").has("private")) {
        throw new KeyStoreError(source + " holds a private key; give only the public key");
      }
      Key key;
      try {
        key = Key.fromJson(copy, "key");
      } catch (TufshException e) {
        throw new KeyStoreError(source + ": " + e.getMessage(), e);
      }
      if (id != null && !id.asText().equals(key.keyId())) {
        throw new KeyStoreError(source + ": field 'keyid' " + id + " is not the key id of its public key ("
            + key.keyId() + ")");
      }
      if (key.supportedScheme().isEmpty()) {
        throw new KeyStoreError(source + ": scheme '" + key.scheme() + "' with key type '" + key.keyType()
            + "' is not one TUF clients accept (ed25519, ecdsa-sha2-nistp256, rsassa-pss-sha256)");
      }
      return key;
    }
    if ("PUBLIC KEY".equals(Pem.label(t))) {
      try {
        return fromSpki(Pem.decode(t, "PUBLIC KEY", source), source);
      } catch (KeyStoreError e) {
        throw e;
      } catch (TufshException e) {
        throw new KeyStoreError(source + ": " + e.getMessage(), e);
      }
    }
    throw new KeyStoreError(source + " is neither a JSON key object nor a PEM PUBLIC KEY");
  }

  /** SHA-256 of the key's SubjectPublicKeyInfo, the same for every form of one material. */
  public static String fingerprint(Key key) {
    byte[] der = Pem.decode(KeyExport.publicPem(key), "PUBLIC KEY", "public key of " + key);
    return "SHA256:" + Hex.encode(Crypto.sha256(der));
  }

  /** Whether two keys are the same material for the same scheme, whatever their form. */
  public static boolean sameMaterial(Key a, Key b) {
    if (a.keyId().equals(b.keyId())) {
      return true;
    }
    if (a.supportedScheme().isEmpty() || !a.supportedScheme().equals(b.supportedScheme())) {
      return false;
    }
    try {
      return KeyExport.publicPem(a).equals(KeyExport.publicPem(b));
    } catch (TufshException e) {
      return false;
    }
  }
}
