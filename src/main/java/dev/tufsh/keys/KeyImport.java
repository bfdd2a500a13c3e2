package dev.tufsh.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.SecretSource;
import dev.tufsh.errors.TufshException;
import dev.tufsh.json.Json;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads private keys made elsewhere: PEM {@code PRIVATE KEY} (PKCS#8, as python-tuf's test
 * keystore holds), {@code ENCRYPTED PRIVATE KEY} (PKCS#8 with PBES2, as pyca/cryptography and
 * OpenSSL write), traditional {@code RSA PRIVATE KEY} / {@code EC PRIVATE KEY}, and
 * securesystemslib JSON key files ({@code keytype, scheme, keyid, keyval.public, keyval.private}).
 * Passphrases for encrypted files come from the {@link SecretSource}.
 *
 * <p>An optional public key object is adopted as the stored form (after checking it is the same
 * key), so an imported key gets exactly the key id a root already lists for it.
 */
public final class KeyImport {
  private KeyImport() {}

  public static KeyMaterial readFile(Path file, SecretSource secrets, Key adopt) {
    String text;
    try {
      if (Files.size(file) > 1 << 20) {
        throw new KeyStoreError("cannot import " + file + ": larger than any key file");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new KeyStoreError("no such file: " + file);
    } catch (IOException e) {
      throw new KeyStoreError("cannot read " + file + ": " + e.getMessage(), e);
    }
    return read(text, file.toString(), secrets, adopt);
  }

  /** Reads key text; {@code source} names it in errors and passphrase prompts. */
  public static KeyMaterial read(String text, String source, SecretSource secrets, Key adopt) {
    String t = text.strip();
    try {
      if (t.startsWith("{")) {
        return fromSslibJson(t, source, secrets, adopt);
      }
      if (!t.contains("-----BEGIN") && t.contains("@@@@")) {
        throw new KeyStoreError("cannot import " + source + ": it is a legacy securesystemslib "
            + "encrypted key (salt@@@@iterations@@@@...); decrypt it with securesystemslib and "
            + "import the PEM or JSON private key");
      }
      return KeyMaterial.adopt(fromPem(t, source, secrets), adopt);
    } catch (KeyStoreError e) {
      throw e;
    } catch (TufshException e) {
      throw new KeyStoreError("cannot import " + source + ": " + e.getMessage(), e);
    }
  }

  /** A signer from PEM text: plain, encrypted or traditional private key formats. */
  static LocalSigner fromPem(String pem, String source, SecretSource secrets) {
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new KeyStoreError("cannot import " + source + ": malformed PEM (" + e.getMessage() + ")");
    }
    PrivateKeyInfo info;
    if (parsed instanceof PrivateKeyInfo p) {
      info = p;
    } else if (parsed instanceof PEMKeyPair kp) {
      info = kp.getPrivateKeyInfo();
    } else if (parsed instanceof PKCS8EncryptedPrivateKeyInfo enc) {
      info = decrypt(enc, source, secrets);
    } else if (parsed instanceof PEMEncryptedKeyPair enc) {
      info = decrypt(enc, source, secrets);
    } else if (parsed instanceof SubjectPublicKeyInfo) {
      throw new KeyStoreError("cannot import " + source + ": it holds a public key, not a private key");
    } else if (parsed == null) {
      throw new KeyStoreError("cannot import " + source + ": no PEM private key found");
    } else {
      throw new KeyStoreError("cannot import " + source + ": PEM block '" + dev.tufsh.crypto.Pem.label(pem)
          + "' is not a private key");
    }
    byte[] der;
    try {
      der = info.getEncoded();
    } catch (IOException e) {
      throw new KeyStoreError("cannot import " + source + ": " + e.getMessage(), e);
    }
    try {
      return KeyPairs.fromPkcs8(der);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo enc, String source, SecretSource secrets) {
    char[] pass = askPassphrase(source, secrets);
    try {
      return enc.decryptPrivateKeyInfo(
          new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Crypto.bc()).build(pass));
    } catch (Exception e) {
      // CBC padding usually catches a wrong passphrase; a damaged file fails the same way.
      throw new KeyStoreError("wrong passphrase for " + source + " (or the encrypted key is damaged)");
    } finally {
      Arrays.fill(pass, '\0');
    }
  }

  private static PrivateKeyInfo decrypt(PEMEncryptedKeyPair enc, String source, SecretSource secrets) {
    char[] pass = askPassphrase(source, secrets);
    try {
      return enc.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(Crypto.bc()).build(pass))
          .getPrivateKeyInfo();
    } catch (Exception e) {
      throw new KeyStoreError("wrong passphrase for " + source + " (or the encrypted key is damaged)");
    } finally {
      Arrays.fill(pass, '\0');
    }
  }

  private static char[] askPassphrase(String source, SecretSource secrets) {
    try (Secret s = secrets.secret("passphrase for " + source, false)) {
      return s.chars();
    }
  }

  /**
   * securesystemslib's private key dictionary. Its public form is the object without {@code keyid}
   * and {@code keyval.private}; legacy members such as {@code keyid_hash_algorithms} stay, because
   * the key id securesystemslib recorded covers them.
   */
  static KeyMaterial fromSslibJson(String text, String source, SecretSource secrets, Key adopt) {
    JsonNode root = Json.parse(text, source);
    if (!root.isObject() || !root.path("keyval").isObject()) {
      throw new KeyStoreError("cannot import " + source + ": expected a securesystemslib key object "
          + "with keytype, scheme and keyval");
    }
    JsonNode priv = root.path("keyval").get("private");
    if (priv == null || !priv.isTextual() || priv.textValue().isEmpty()) {
      throw new KeyStoreError("cannot import " + source + ": field 'keyval.private' is missing, "
          + "so this is a public key only");
    }
    ObjectNode pub = root.deepCopy();
    pub.remove("keyid");
    ((ObjectNode) pub.get("keyval")).remove("private");
    Key form = Key.fromJson(pub, "key");
    if (form.supportedScheme().isEmpty()) {
      throw new KeyStoreError("cannot import " + source + ": key type '" + form.keyType()
          + "' with scheme '" + form.scheme() + "' is not one tufsh signs with "
          + "(ed25519, ecdsa-sha2-nistp256, rsassa-pss-sha256)");
    }
    JsonNode keyId = root.get("keyid");
    if (keyId != null && (!keyId.isTextual() || !keyId.textValue().equals(form.keyId()))) {
      throw new KeyStoreError("cannot import " + source + ": field 'keyid' " + keyId
          + " is not the key id of its public key (" + form.keyId() + ")");
    }
    LocalSigner local;
    if (form.supportedScheme().get() == Scheme.ED25519) {
      byte[] raw = Hex.decode(priv.textValue(), "ed25519 private key");
      if (raw.length != 32 && raw.length != 64) {
        throw new KeyStoreError("cannot import " + source + ": ed25519 private key is " + raw.length
            + " bytes, expected a 32-byte seed");
      }
      local = KeyPairs.ed25519FromSeed(Arrays.copyOf(raw, 32));
      Arrays.fill(raw, (byte) 0);
    } else {
      local = fromPem(priv.textValue(), source + " keyval.private", secrets);
    }
    KeyMaterial own = KeyMaterial.adopt(local, form);
    return adopt == null ? own : KeyMaterial.adopt(local, adopt);
  }
}
