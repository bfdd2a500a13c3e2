package dev.tufsh.keys.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.errors.TufshException;
import dev.tufsh.json.Json;
import dev.tufsh.keys.KeyMaterial;
import dev.tufsh.keys.KeyStoreError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

/**
 * One key file's contents:
 *
 * <pre>{@code
 * {"format": "tufsh-key/1", "name": ..., "keyid": ..., "public": {TUF key object},
 *  "private": {"encoding": "pkcs8-der", "cipher": "aes-256-gcm",
 *              "kdf": {"name": "scrypt", "n": ..., "r": ..., "p": ..., "salt": hex, "shared": true},
 *              "check": hex, "nonce": hex, "ciphertext": base64}}
 * }</pre>
 *
 * The GCM associated data is {@code "tufsh-key/1\n" + keyid}, and the key id is recomputed from the
 * public object on reading, so replacing the public half fails either the key id check or the tag.
 *
 * <p>{@code "shared": true} marks a salt that every key this store sealed under the same passphrase
 * and cost uses (a passphrase group, see {@link PassphraseGroups}): one scrypt run opens them all.
 * Files without it (tufsh before groups) have a salt of their own; both read the same way, and
 * tufsh versions that predate the member ignore it.
 */
record KeyFile(
    String name,
    Key key,
    ScryptParams kdf,
    byte[] salt,
    byte[] check,
    byte[] nonce,
    byte[] ciphertext,
    boolean shared) {
  static final String FORMAT = "tufsh-key/1";
  /** Far above an RSA-4096 key file (about 4 KiB); refuses to parse anything larger. */
  static final int MAX_FILE_BYTES = 64 * 1024;

  /**
   * Encrypts {@code material} under the passphrase group {@code group} (its salt and cost, derived
   * once) with a fresh nonce.
   */
  static KeyFile seal(String name, KeyMaterial material, PassphraseGroups.Unlocked group) {
    byte[] nonce = random(KeyFileCipher.NONCE_BYTES);
    byte[] plain = material.privateKeyPkcs8();
    try {
      byte[] ct = KeyFileCipher.seal(group.derived(), nonce, aad(material.keyId()), plain);
      return new KeyFile(name, material.key(), group.params(), group.salt().clone(), group.derived().check(), nonce,
          ct, true);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** Wrong-passphrase error for this file, the same words whichever way the passphrase failed. */
  dev.tufsh.keys.WrongPassphraseError wrongPassphrase(Path file) {
    return new dev.tufsh.keys.WrongPassphraseError("wrong passphrase for key " + name + " (" + file + ")");
  }

  /**
   * Decrypts the private key with {@code d}, the scrypt result whose check value matched this file's
   * (so a failing tag means a damaged or altered file); the decrypted key must be the public key's
   * other half.
   */
  KeyMaterial open(KeyFileCipher.Derived d, Path file) {
    byte[] plain = KeyFileCipher.open(d, nonce, aad(key.keyId()), ciphertext);
    if (plain == null) {
      throw corrupt(file, "private key does not decrypt: the ciphertext, nonce or public key "
          + "was altered");
    }
    try {
      LocalSigner local = KeyPairs.fromPkcs8(plain);
      return KeyMaterial.adopt(local, key);
    } catch (TufshException e) {
      throw corrupt(file, "decrypted private key is unusable: " + e.getMessage());
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** This file under another name: the encrypted contents stay (the name is not bound to them). */
  KeyFile renamed(String to) {
    return new KeyFile(to, key, kdf, salt, check, nonce, ciphertext, shared);
  }

  byte[] toBytes() {
    ObjectNode o = Json.object();
    o.put("format", FORMAT);
    o.put("name", name);
    o.put("keyid", key.keyId());
    o.set("public", key.toJson());
    ObjectNode p = o.putObject("private");
    p.put("encoding", "pkcs8-der");
    p.put("cipher", "aes-256-gcm");
    ObjectNode kdfJson = kdf.toJson(salt);
    if (shared) {
      kdfJson.put("shared", true);
    }
    p.set("kdf", kdfJson);
    p.put("check", Hex.encode(check));
    p.put("nonce", Hex.encode(nonce));
    p.put("ciphertext", Base64.getEncoder().encodeToString(ciphertext));
    return (Json.pretty(o) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Reads a key file; {@code name} comes from the file name, which is what people rename. */
  static KeyFile parse(byte[] bytes, String name, Path file) {
    if (bytes.length == 0) {
      throw corrupt(file, "the file is empty");
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw corrupt(file, "the file is " + bytes.length + " bytes, more than a key file holds");
    }
    JsonNode root;
    try {
      root = Json.parse(bytes, "JSON");
    } catch (TufshException e) {
      throw corrupt(file, "not valid JSON, perhaps truncated (" + e.getMessage() + ")");
    }
    if (!root.isObject()) {
      throw corrupt(file, "expected a JSON object");
    }
    String format = text(root, "format", file);
    if (format.matches("tufsh-key/[0-9]{1,9}") && Integer.parseInt(format.substring(10)) > 1) {
      JsonNode w = root.get("written_by");
      throw new dev.tufsh.errors.NewerFormatError(file.toString(), "key file", Integer.parseInt(format.substring(10)), 1,
          w != null && w.isTextual() ? w.asText() : null);
    }
    if (!FORMAT.equals(format)) {
      throw corrupt(file, "field 'format': unsupported key file format '" + format + "'");
    }
    Key key;
    try {
      key = Key.fromJson(root.get("public"), "public");
    } catch (TufshException e) {
      throw corrupt(file, e.getMessage());
    }
    String keyId = text(root, "keyid", file);
    if (!keyId.equals(key.keyId())) {
      throw corrupt(file, "field 'keyid': " + keyId + " is not the key id of the public key ("
          + key.keyId() + "); the public key was altered");
    }
    JsonNode priv = root.get("private");
    if (priv == null || !priv.isObject()) {
      throw corrupt(file, "field 'private': missing or not an object");
    }
    expect(priv, "encoding", "pkcs8-der", file);
    expect(priv, "cipher", "aes-256-gcm", file);
    JsonNode kdfNode = priv.get("kdf");
    if (kdfNode == null || !kdfNode.isObject()) {
      throw corrupt(file, "field 'private.kdf': missing or not an object");
    }
    expect(kdfNode, "name", "scrypt", file);
    String problem =
        ScryptParams.problem(
            integer(kdfNode, "n", file), integer(kdfNode, "r", file), integer(kdfNode, "p", file));
    if (problem != null) {
      throw corrupt(file, "field 'private.kdf': " + problem);
    }
    ScryptParams kdf =
        new ScryptParams(kdfNode.get("n").intValue(), kdfNode.get("r").intValue(), kdfNode.get("p").intValue());
    byte[] salt = hex(kdfNode, "salt", file, KeyFileCipher.SALT_BYTES, 64);
    byte[] check = hex(priv, "check", file, KeyFileCipher.CHECK_BYTES, KeyFileCipher.CHECK_BYTES);
    byte[] nonce = hex(priv, "nonce", file, KeyFileCipher.NONCE_BYTES, KeyFileCipher.NONCE_BYTES);
    byte[] ct;
    try {
      ct = Base64.getDecoder().decode(text(priv, "ciphertext", file));
    } catch (IllegalArgumentException e) {
      throw corrupt(file, "field 'private.ciphertext': not valid base64");
    }
    if (ct.length <= KeyFileCipher.TAG_BITS / 8) {
      throw corrupt(file, "field 'private.ciphertext': too short to hold a key, perhaps truncated");
    }
    JsonNode sharedNode = kdfNode.get("shared");
    if (sharedNode != null && !sharedNode.isBoolean()) {
      throw corrupt(file, "field 'private.kdf.shared': not true or false");
    }
    return new KeyFile(name, key, kdf, salt, check, nonce, ct, sharedNode != null && sharedNode.booleanValue());
  }

  static KeyStoreError corrupt(Path file, String problem) {
    return new KeyStoreError("key file " + file + " is corrupt: " + problem);
  }

  private static byte[] aad(String keyId) {
    return (FORMAT + "\n" + keyId).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    Crypto.random().nextBytes(b);
    return b;
  }

  private static String text(JsonNode node, String field, Path file) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw corrupt(file, "field '" + field + "': missing or not a string");
    }
    return v.textValue();
  }

  private static void expect(JsonNode node, String field, String value, Path file) {
    String v = text(node, field, file);
    if (!value.equals(v)) {
      throw corrupt(file, "field '" + field + "': unsupported value '" + v + "', expected '"
          + value + "'");
    }
  }

  private static long integer(JsonNode node, String field, Path file) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw corrupt(file, "field 'kdf." + field + "': missing or not an integer");
    }
    return v.longValue();
  }

  private static byte[] hex(JsonNode node, String field, Path file, int min, int max) {
    String s = text(node, field, file);
    byte[] b;
    try {
      b = Hex.decode(s, field);
    } catch (TufshException e) {
      throw corrupt(file, "field '" + field + "': not hex");
    }
    if (b.length < min || b.length > max) {
      throw corrupt(file, "field '" + field + "': " + b.length + " bytes, expected "
          + (min == max ? String.valueOf(min) : min + " to " + max));
    }
    return b;
  }
}
