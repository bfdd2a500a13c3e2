package dev.tufsh.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.SecretSource;
import dev.tufsh.crypto.Signer;
import dev.tufsh.json.Json;
import dev.tufsh.keys.file.FileKeyStore;
import dev.tufsh.keys.file.ScryptParams;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Imports of the formats other TUF tools write, checked against python-tuf's key ids. */
class KeyImportTest {
  static final String FIXTURE_PASS = "fixture passphrase";
  static final String ROOT_ID = "4e777de0d275f9d28588dd9a1606cc748e548f9e22b6795b7cb3f63f98035fcb";
  static final String SNAPSHOT_ID = "59a4df8af818e9ed7abe0764c0b47b4240952aa0d179b5b78346c470ac30278d";
  static final String TIMESTAMP_ID = "8a1c4a3ac2d515dec982ba9910c5fd79b91ae57f625b9cff25d06bf0a61c1758";
  static final byte[] MSG = "signed bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  static Path fixture(String name) {
    try {
      return Path.of(KeyImportTest.class.getResource("/fixtures/keystore/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key object exactly as python-tuf's root.json lists it. */
  static Key rootKey(String keyId) throws IOException {
    JsonNode root = Json.parse(Files.readAllBytes(fixture("python-tuf-root.json")), "root.json");
    return Key.fromJson(root.get("signed").get("keys").get(keyId), "keys." + keyId);
  }

  @ParameterizedTest
  @CsvSource({
    "root_key, " + ROOT_ID + ", rsassa-pss-sha256",
    "timestamp_key, " + TIMESTAMP_ID + ", ed25519",
    "snapshot_key, " + SNAPSHOT_ID + ", ed25519",
  })
  void plain_pkcs8_pem_with_adopted_root_form_gets_python_tuf_key_id(
      String file, String keyId, String scheme) throws IOException {
    Key listed = rootKey(keyId);
    assertEquals(keyId, listed.keyId(), "the fixture's key id is what python-tuf computed");
    KeyMaterial m = KeyImport.readFile(fixture(file), SecretSource.NONE, listed);
    assertEquals(keyId, m.keyId());
    assertEquals(scheme, m.key().scheme());
    assertTrue(listed.verifies(MSG, m.sign(MSG)));

    // Without adopting, the key gets today's form (no keyid_hash_algorithms), hence another id.
    KeyMaterial bare = KeyImport.readFile(fixture(file), SecretSource.NONE, null);
    assertEquals(KeyExport.publicPem(listed), KeyExport.publicPem(bare.key()));
    assertNotEquals(keyId, bare.keyId());
    assertTrue(bare.key().extras().isEmpty());
  }

  @Test
  void adopting_another_keys_public_form_is_refused() throws IOException {
    KeyStoreError e = assertThrows(KeyStoreError.class,
        () -> KeyImport.readFile(fixture("timestamp_key"), SecretSource.NONE, rootKey(SNAPSHOT_ID)));
    assertTrue(e.getMessage().contains("is not the public half of the ed25519 private key"), e.getMessage());
    KeyStoreError e2 = assertThrows(KeyStoreError.class,
        () -> KeyImport.readFile(fixture("timestamp_key"), SecretSource.NONE, rootKey(ROOT_ID)));
    assertTrue(e2.getMessage().contains("does not fit the private key, which is ed25519"), e2.getMessage());
  }

  @Test
  void encrypted_pkcs8_from_pyca_cryptography_asks_the_secret_source() throws IOException {
    ScriptedSecrets secrets = new ScriptedSecrets(FIXTURE_PASS);
    Path f = fixture("timestamp_key.encrypted.pem");
    KeyMaterial m = KeyImport.readFile(f, secrets, rootKey(TIMESTAMP_ID));
    assertEquals(TIMESTAMP_ID, m.keyId());
    assertEquals(List.of(new ScriptedSecrets.Ask("passphrase for " + f, false)), secrets.asked());

    KeyMaterial ec = KeyImport.readFile(fixture("ecdsa_key.encrypted.pem"), secrets, null);
    assertEquals(Scheme.ECDSA_P256, ec.scheme());
    assertEquals(Files.readString(fixture("ecdsa_key.pub.pem")), ec.key().publicValue());
  }

  @Test
  void encrypted_pkcs8_with_scrypt_from_openssl() throws IOException {
    KeyMaterial m = KeyImport.readFile(fixture("snapshot_key.scrypt.pem"),
        new ScriptedSecrets(FIXTURE_PASS), rootKey(SNAPSHOT_ID));
    assertEquals(SNAPSHOT_ID, m.keyId());
  }

  @Test
  void encrypted_pkcs8_with_wrong_passphrase_is_one_line() {
    Path f = fixture("timestamp_key.encrypted.pem");
    KeyStoreError e = assertThrows(KeyStoreError.class,
        () -> KeyImport.readFile(f, new ScriptedSecrets("nope"), null));
    assertEquals("wrong passphrase for " + f + " (or the encrypted key is damaged)", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "timestamp_key.sslib.json, " + TIMESTAMP_ID,
    "root_key.sslib.json, " + ROOT_ID,
  })
  void securesystemslib_json_keeps_its_own_legacy_form_and_key_id(String file, String keyId)
      throws IOException {
    KeyMaterial m = KeyImport.readFile(fixture(file), SecretSource.NONE, null);
    assertEquals(keyId, m.keyId());
    assertEquals(rootKey(keyId), m.key());
    assertTrue(rootKey(keyId).verifies(MSG, m.sign(MSG)));
  }

  @Test
  void stored_bare_form_signs_for_the_legacy_root_entry() throws IOException {
    // python-tuf's RSA PEM lacks the final newline and its entry has keyid_hash_algorithms, yet
    // a key stored in today's form is found for it.
    FileKeyStore store = new FileKeyStore(tmp, new ScriptedSecrets("pw"), ScryptParams.withLog2N(10));
    store.importKey(KeyImport.readFile(fixture("root_key"), SecretSource.NONE, null), "root", false);
    Key listed = rootKey(ROOT_ID);
    Signer s = store.signerFor(listed).orElseThrow();
    assertEquals(ROOT_ID, s.keyId());
    assertTrue(listed.verifies(MSG, s.sign(MSG)));
  }

  @Test
  void securesystemslib_json_ecdsa_with_sec1_pem() throws IOException {
    KeyMaterial m = KeyImport.readFile(fixture("ecdsa_key.sslib.json"), SecretSource.NONE, null);
    assertEquals("ecdsa", m.key().keyType());
    assertEquals(Files.readString(fixture("ecdsa_key.pub.pem")), m.key().publicValue());
    assertTrue(m.key().verifies(MSG, m.sign(MSG)));
  }

  @Test
  void securesystemslib_json_with_wrong_keyid_or_mismatched_halves_is_refused() throws IOException {
    String json = Files.readString(fixture("timestamp_key.sslib.json"));
    String badId = json.replace(TIMESTAMP_ID, SNAPSHOT_ID);
    KeyStoreError e = assertThrows(KeyStoreError.class,
        () -> KeyImport.read(badId, "bad.json", SecretSource.NONE, null));
    assertTrue(e.getMessage().startsWith("cannot import bad.json: field 'keyid'"), e.getMessage());

    JsonNode ts = Json.parse(json, "t");
    String otherPublic = rootKey(SNAPSHOT_ID).publicValue();
    String swapped = json.replace(ts.get("keyval").get("public").asText(), otherPublic)
        .replace(TIMESTAMP_ID, rootKey(SNAPSHOT_ID).keyId());
    KeyStoreError e2 = assertThrows(KeyStoreError.class,
        () -> KeyImport.read(swapped, "swapped.json", SecretSource.NONE, null));
    assertTrue(e2.getMessage().contains("is not the public half"), e2.getMessage());

    String publicOnly = "{\"keytype\":\"ed25519\",\"scheme\":\"ed25519\",\"keyval\":{\"public\":\""
        + otherPublic + "\"}}";
    KeyStoreError e3 = assertThrows(KeyStoreError.class,
        () -> KeyImport.read(publicOnly, "pub.json", SecretSource.NONE, null));
    assertEquals("cannot import pub.json: field 'keyval.private' is missing, so this is a public "
        + "key only", e3.getMessage());
  }

  @Test
  void legacy_encrypted_securesystemslib_key_and_public_pem_get_clear_errors() {
    KeyStoreError e = assertThrows(KeyStoreError.class,
        () -> KeyImport.readFile(fixture("root_key2"), SecretSource.NONE, null));
    assertTrue(e.getMessage().contains("legacy securesystemslib encrypted key"), e.getMessage());
    KeyStoreError e2 = assertThrows(KeyStoreError.class,
        () -> KeyImport.readFile(fixture("ecdsa_key.pub.pem"), SecretSource.NONE, null));
    assertTrue(e2.getMessage().endsWith("it holds a public key, not a private key"), e2.getMessage());
  }

  @Test
  void imported_key_is_stored_encrypted_and_signs_for_the_root_entry() throws IOException {
    ScriptedSecrets secrets = new ScriptedSecrets("store pass");
    FileKeyStore store = new FileKeyStore(tmp.resolve("keys"), secrets, ScryptParams.withLog2N(10));
    Key listed = rootKey(ROOT_ID);
    Signer s = store.importKey(KeyImport.readFile(fixture("root_key"), SecretSource.NONE, listed), "root", false);
    assertEquals(ROOT_ID, s.keyId());

    FileKeyStore reopened = new FileKeyStore(tmp.resolve("keys"), new ScriptedSecrets("store pass"));
    assertEquals(List.of(ROOT_ID), reopened.list().stream().map(e -> e.key().keyId()).toList());
    Signer found = reopened.signerFor(listed).orElseThrow();
    assertTrue(listed.verifies(MSG, found.sign(MSG)));
  }
}
