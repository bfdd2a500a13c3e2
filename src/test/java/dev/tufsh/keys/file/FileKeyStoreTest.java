package dev.tufsh.keys.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import dev.tufsh.json.Json;
import dev.tufsh.keys.KeyEntry;
import dev.tufsh.keys.KeyStoreError;
import dev.tufsh.keys.ScriptedSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FileKeyStoreTest {
  static final ScryptParams FAST = ScryptParams.withLog2N(10);
  static final String PASS = "correct horse battery staple";
  static final byte[] MSG = "{\"_type\":\"timestamp\"}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  private Path keys() {
    return tmp.resolve("repo/.tufsh/keys");
  }

  private FileKeyStore store(ScriptedSecrets secrets) {
    return new FileKeyStore(keys(), secrets, FAST);
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void generated_key_is_listed_signs_and_survives_a_new_store(Scheme scheme) {
    ScriptedSecrets secrets = new ScriptedSecrets(PASS);
    Signer s = store(secrets).generate(scheme, "timestamp-1");
    assertEquals(List.of(new ScriptedSecrets.Ask("new passphrase for key timestamp-1", true)), secrets.asked());
    assertEquals(scheme.wireName(), s.key().scheme());
    assertTrue(s.key().verifies(MSG, s.sign(MSG)));

    ScriptedSecrets later = new ScriptedSecrets(PASS);
    FileKeyStore reopened = store(later);
    List<KeyEntry> entries = reopened.list();
    assertEquals(1, entries.size());
    assertEquals("timestamp-1", entries.get(0).name());
    assertEquals(s.key(), entries.get(0).key());
    assertEquals("file:" + keys().resolve("timestamp-1.key.json"), entries.get(0).backend());
    assertEquals(0, later.count(), "listing needs no passphrase");

    Signer again = reopened.signerFor(s.key()).orElseThrow();
    byte[] sig = again.sign(MSG);
    assertTrue(s.key().verifies(MSG, sig));
    assertEquals(List.of(new ScriptedSecrets.Ask("passphrase for key timestamp-1", false)), later.asked());
  }

  @Test
  void key_file_is_0600_and_folder_0700_from_creation() throws IOException {
    store(new ScriptedSecrets(PASS)).generate(Scheme.ED25519, "k");
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys())));
    assertEquals("rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(keys().getParent())));
    assertEquals("rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(keys().resolve("k.key.json"))));
    try (var files = Files.list(keys())) {
      assertEquals(List.of("k.key.json"), files.map(p -> p.getFileName().toString()).toList(),
          "no temp file is left behind");
    }
  }

  @Test
  void existing_name_is_refused_unless_overwrite_is_explicit() throws IOException {
    ScriptedSecrets secrets = new ScriptedSecrets(PASS);
    FileKeyStore store = store(secrets);
    Signer first = store.generate(Scheme.ED25519, "snapshot");
    Map<String, String> before = snapshot();
    KeyStoreError e =
        assertThrows(KeyStoreError.class, () -> store.generate(Scheme.ED25519, "snapshot"));
    assertEquals("key file " + keys().resolve("snapshot.key.json")
        + " already exists; choose another name ('key import --overwrite' replaces an imported key)", e.getMessage());
    LocalSigner other = KeyPairs.generate(Scheme.ED25519);
    assertThrows(KeyStoreError.class, () -> store.importKey(other, "snapshot", false));
    assertEquals(before, snapshot());
    assertEquals(1, secrets.count(), "refused before asking for a passphrase");

    Signer replaced = store.importKey(other, "snapshot", true);
    assertEquals(other.key(), replaced.key());
    assertEquals(List.of(other.key()), store.list().stream().map(KeyEntry::key).toList());
    assertTrue(store.signerFor(first.key()).isEmpty());
    assertTrue(store.signerFor(other.key()).isPresent());
  }

  @Test
  void bad_names_are_refused() {
    FileKeyStore store = store(new ScriptedSecrets(PASS));
    for (String bad : List.of("", "..", "a..b", "../x", "a/b", ".hidden", "sp ace", "é")) {
      assertThrows(KeyStoreError.class, () -> store.generate(Scheme.ED25519, bad), bad);
    }
    assertFalse(Files.exists(keys()));
  }

  @Test
  void wrong_passphrase_is_one_line_naming_key_and_file_and_changes_nothing() throws IOException {
    Signer s = store(new ScriptedSecrets(PASS)).generate(Scheme.ED25519, "targets");
    Map<String, String> before = snapshot();
    ScriptedSecrets wrong = ScriptedSecrets.answering("not it", PASS);
    FileKeyStore store = store(wrong);
    Signer lazy = store.signerFor(s.key()).orElseThrow();
    KeyStoreError e = assertThrows(KeyStoreError.class, () -> lazy.sign(MSG));
    assertEquals("wrong passphrase for key targets (" + keys().resolve("targets.key.json") + ")",
        e.getMessage());
    assertEquals(before, snapshot());
    // Nothing was cached: the next attempt asks again and succeeds.
    assertTrue(s.key().verifies(MSG, lazy.sign(MSG)));
    assertEquals(2, wrong.count());
  }

  @Test
  void key_file_others_can_read_or_a_link_is_refused_before_any_passphrase() throws IOException {
    Signer s = store(new ScriptedSecrets(PASS)).generate(Scheme.ED25519, "t");
    Path f = keys().resolve("t.key.json");
    Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    ScriptedSecrets secrets = new ScriptedSecrets(PASS);
    KeyStoreError loose = assertThrows(KeyStoreError.class, () -> store(secrets).list());
    assertEquals("key file " + f + " is accessible by group or others (mode 0644); it must be owner-only: chmod 600 "
        + f, loose.getMessage());
    assertThrows(KeyStoreError.class, () -> store(secrets).signerFor(s.key()));

    Path elsewhere = tmp.resolve("elsewhere.key.json");
    Files.move(f, elsewhere);
    Files.setPosixFilePermissions(elsewhere, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(f, elsewhere);
    KeyStoreError link = assertThrows(KeyStoreError.class, () -> store(secrets).list());
    assertEquals("key file " + f + " is a symbolic link; give the file itself", link.getMessage());
    assertEquals(0, secrets.count());

    Files.delete(f);
    Files.move(elsewhere, f);
    store(secrets).signerFor(s.key()).orElseThrow().sign(MSG); // owner-only again: it signs
  }

  @Test
  void truncated_file_is_reported_as_corrupt() throws IOException {
    Signer s = store(new ScriptedSecrets(PASS)).generate(Scheme.ED25519, "t");
    Path f = keys().resolve("t.key.json");
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Map<String, String> before = snapshot();
    ScriptedSecrets secrets = new ScriptedSecrets(PASS);
    FileKeyStore store = store(secrets);
    KeyStoreError e = assertThrows(KeyStoreError.class, store::list);
    assertTrue(e.getMessage().startsWith("key file " + f + " is corrupt: not valid JSON, perhaps truncated"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertThrows(KeyStoreError.class, () -> store.signerFor(s.key()));
    assertEquals(0, secrets.count());
    assertEquals(before, snapshot());
  }

  @Test
  void truncated_ciphertext_is_reported_as_corrupt() throws IOException {
    Signer s = store(new ScriptedSecrets(PASS)).generate(Scheme.ED25519, "t");
    Path f = keys().resolve("t.key.json");
    editPrivate(f, priv -> {
      byte[] ct = Base64.getDecoder().decode(priv.get("ciphertext").asText());
      priv.put("ciphertext", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(ct, 10)));
    });
    assertEquals("key file " + f + " is corrupt: field 'private.ciphertext': too short to hold a key, "
        + "perhaps truncated", signFails(store(new ScriptedSecrets(PASS)), s.key()));
  }

  @Test
  void flipped_ciphertext_byte_is_corrupt_not_wrong_passphrase() throws IOException {
    Signer s = store(new ScriptedSecrets(PASS)).generate(Scheme.ECDSA_P256, "t");
    Path f = keys().resolve("t.key.json");
    editPrivate(f, priv -> {
      byte[] ct = Base64.getDecoder().decode(priv.get("ciphertext").asText());
      ct[ct.length / 2] ^= 0x01;
      priv.put("ciphertext", Base64.getEncoder().encodeToString(ct));
    });
    Map<String, String> before = snapshot();
    assertEquals(doesNotDecrypt(f), signFails(store(new ScriptedSecrets(PASS)), s.key()));
    assertEquals(before, snapshot());
  }

  /** Rewrites key file {@code f} with {@code edit} applied to its {@code private} object. */
  static void editPrivate(Path f, java.util.function.Consumer<ObjectNode> edit) throws IOException {
    ObjectNode o = (ObjectNode) Json.parse(Files.readAllBytes(f), "test");
    edit.accept((ObjectNode) o.get("private"));
    Files.writeString(f, Json.pretty(o));
  }

  /** The one-line error signing with {@code key} from {@code store} fails with. */
  static String signFails(FileKeyStore store, Key key) {
    return assertThrows(KeyStoreError.class, () -> store.signerFor(key).orElseThrow().sign(MSG)).getMessage();
  }

  static String doesNotDecrypt(Path f) {
    return "key file " + f + " is corrupt: private key does not decrypt: the ciphertext, nonce or public key "
        + "was altered";
  }

  @Test
  void swapped_public_key_is_detected() throws IOException {
    Signer victim = store(new ScriptedSecrets(PASS)).generate(Scheme.ED25519, "t");
    Path f = keys().resolve("t.key.json");
    Key attacker = KeyPairs.generate(Scheme.ED25519).key();

    // Public half replaced, key id left alone: the key id no longer matches.
    ObjectNode o = (ObjectNode) Json.parse(Files.readAllBytes(f), "test");
    o.set("public", attacker.toJson());
    Files.writeString(f, Json.pretty(o));
    KeyStoreError e1 = assertThrows(KeyStoreError.class, () -> store(new ScriptedSecrets(PASS)).list());
    assertTrue(e1.getMessage().startsWith("key file " + f + " is corrupt: field 'keyid': "),
        e1.getMessage());

    // Public half and key id both replaced: the GCM associated data no longer matches.
    o.put("keyid", attacker.keyId());
    Files.writeString(f, Json.pretty(o));
    FileKeyStore store = store(new ScriptedSecrets(PASS));
    assertTrue(store.signerFor(victim.key()).isEmpty());
    Signer forged = store.signerFor(attacker).orElseThrow();
    KeyStoreError e2 = assertThrows(KeyStoreError.class, () -> forged.sign(MSG));
    assertEquals("key file " + f + " is corrupt: private key does not decrypt: the ciphertext, "
        + "nonce or public key was altered", e2.getMessage());
  }

  @Test
  void hostile_scrypt_cost_is_refused_before_deriving() throws IOException {
    store(new ScriptedSecrets(PASS)).generate(Scheme.ED25519, "t");
    Path f = keys().resolve("t.key.json");
    ObjectNode o = (ObjectNode) Json.parse(Files.readAllBytes(f), "test");
    ((ObjectNode) o.get("private").get("kdf")).put("n", 1L << 30);
    Files.writeString(f, Json.pretty(o));
    KeyStoreError e = assertThrows(KeyStoreError.class, () -> store(new ScriptedSecrets(PASS)).unlock("t"));
    assertTrue(e.getMessage().contains("field 'private.kdf': scrypt N must be a power of two"),
        e.getMessage());
  }

  @Test
  void many_signatures_ask_for_the_passphrase_once() throws Exception {
    Signer made = store(new ScriptedSecrets(PASS)).generate(Scheme.ED25519, "bins");
    ScriptedSecrets secrets = new ScriptedSecrets(PASS);
    FileKeyStore store = store(secrets);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        byte[] msg = ("bin-" + i).getBytes(StandardCharsets.UTF_8);
        results.add(pool.submit(() -> {
          Signer s = store.signerFor(made.key()).orElseThrow();
          return made.key().verifies(msg, s.sign(msg));
        }));
      }
      for (Future<Boolean> r : results) {
        assertTrue(r.get());
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(1, secrets.count());
    assertSame(store.signerFor(made.key()).orElseThrow(), store.signerFor(made.key()).orElseThrow());
  }

  @Test
  void unknown_key_gives_empty_and_asks_nothing() {
    ScriptedSecrets secrets = new ScriptedSecrets(PASS);
    FileKeyStore store = store(secrets);
    assertTrue(store.signerFor(KeyPairs.generate(Scheme.ED25519).key()).isEmpty(), "no folder yet");
    store.generate(Scheme.ED25519, "a");
    assertTrue(store.signerFor(KeyPairs.generate(Scheme.ED25519).key()).isEmpty());
    assertEquals(1, secrets.count());
  }

  @Test
  void key_listed_in_a_legacy_form_is_found_and_signs_under_that_form() {
    ScriptedSecrets secrets = new ScriptedSecrets(PASS);
    FileKeyStore store = store(secrets);
    Signer s = store.generate(Scheme.ED25519, "legacy");
    ObjectNode legacyJson = s.key().toJson();
    legacyJson.putArray("keyid_hash_algorithms").add("sha256").add("sha512");
    Key legacy = Key.fromJson(legacyJson, "key");
    assertNotEquals(s.key().keyId(), legacy.keyId());
    Signer found = store.signerFor(legacy).orElseThrow();
    assertEquals(legacy.keyId(), found.keyId());
    assertTrue(legacy.verifies(MSG, found.sign(MSG)));
  }

  @Test
  void change_passphrase_reencrypts_and_old_passphrase_stops_working() throws IOException {
    ScriptedSecrets gen = new ScriptedSecrets(PASS);
    Signer s = store(gen).generate(Scheme.RSA_PSS_SHA256, "root-1");
    Path f = keys().resolve("root-1.key.json");
    JsonNode before = Json.parse(Files.readAllBytes(f), "before");

    ScriptedSecrets change = ScriptedSecrets.answering(PASS, "a new passphrase");
    store(change).changePassphrase("root-1");
    assertEquals(List.of(
        new ScriptedSecrets.Ask("current passphrase for key root-1", false),
        new ScriptedSecrets.Ask("new passphrase for key root-1", true)), change.asked());
    JsonNode after = Json.parse(Files.readAllBytes(f), "after");
    assertEquals(before.get("public"), after.get("public"));
    assertNotEquals(before.get("private").get("kdf").get("salt"), after.get("private").get("kdf").get("salt"));
    assertNotEquals(before.get("private").get("nonce"), after.get("private").get("nonce"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));

    KeyStoreError e = assertThrows(KeyStoreError.class, () -> store(new ScriptedSecrets(PASS)).unlock("root-1"));
    assertTrue(e.getMessage().startsWith("wrong passphrase for key root-1"));
    Signer reopened = store(new ScriptedSecrets("a new passphrase")).signerFor(s.key()).orElseThrow();
    assertTrue(s.key().verifies(MSG, reopened.sign(MSG)));
  }

  @Test
  void change_passphrase_with_wrong_current_passphrase_changes_nothing() throws IOException {
    store(new ScriptedSecrets(PASS)).generate(Scheme.ED25519, "k");
    Map<String, String> before = snapshot();
    ScriptedSecrets change = ScriptedSecrets.answering("guess", "new one");
    assertThrows(KeyStoreError.class, () -> store(change).changePassphrase("k"));
    assertEquals(1, change.count(), "no new passphrase asked after a wrong current one");
    assertEquals(before, snapshot());
  }

  @Test
  void empty_passphrase_is_refused() {
    KeyStoreError e = assertThrows(KeyStoreError.class,
        () -> store(new ScriptedSecrets("")).generate(Scheme.ED25519, "k"));
    assertEquals("an empty passphrase is not allowed for key k", e.getMessage());
    assertFalse(Files.exists(keys().resolve("k.key.json")));
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void file_holds_neither_passphrase_nor_plaintext_key(Scheme scheme) throws IOException {
    LocalSigner local = KeyPairs.generate(scheme);
    store(new ScriptedSecrets(PASS)).importKey(local, "k", false);
    byte[] file = Files.readAllBytes(keys().resolve("k.key.json"));
    String text = new String(file, StandardCharsets.UTF_8);
    byte[] pkcs8 = local.privateKeyPkcs8();
    assertFalse(text.contains(PASS));
    assertFalse(indexOf(file, pkcs8) >= 0);
    byte[] secret = secretPart(pkcs8);
    assertTrue(secret.length >= 32);
    assertFalse(indexOf(file, secret) >= 0);
    assertFalse(text.contains(Hex.encode(secret)));
    assertFalse(text.contains(Base64.getEncoder().encodeToString(secret).substring(0, 40)));
    assertFalse(text.contains(Base64.getEncoder().encodeToString(pkcs8).substring(0, 40)));
    assertFalse(text.contains("PRIVATE KEY"));
    assertTrue(text.contains("\"keyid\" : \"" + local.keyId() + "\""));
  }

  @Test
  void default_cost_is_2_to_the_15_and_recorded_in_the_file() throws IOException {
    assertEquals(new ScryptParams(32768, 8, 1), ScryptParams.DEFAULT);
    FileKeyStore store = new FileKeyStore(keys(), new ScriptedSecrets(PASS));
    Signer s = store.generate(Scheme.ED25519, "default-cost");
    JsonNode kdf = Json.parse(Files.readAllBytes(keys().resolve("default-cost.key.json")), "t")
        .get("private").get("kdf");
    assertEquals(32768, kdf.get("n").intValue());
    assertEquals(8, kdf.get("r").intValue());
    assertEquals(1, kdf.get("p").intValue());
    assertEquals(32, kdf.get("salt").asText().length());
    // A store with another default still opens it: the cost comes from the file.
    Signer reopened = store(new ScriptedSecrets(PASS)).signerFor(s.key()).orElseThrow();
    long t0 = System.nanoTime();
    byte[] sig = reopened.sign(MSG);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(s.key().verifies(MSG, sig));
    System.out.println("[measure] one key decryption at scrypt N=2^15 r=8 p=1: " + ms + " ms");
  }

  @Test
  void private_export_is_encrypted_and_reimports() {
    ScriptedSecrets secrets = ScriptedSecrets.answering(PASS, "export pass");
    FileKeyStore store = store(secrets);
    Signer s = store.generate(Scheme.ECDSA_P256, "k");
    String pem = store.exportPrivatePem("k");
    assertTrue(pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
    assertEquals(new ScriptedSecrets.Ask("passphrase for the exported copy of key k", true),
        secrets.asked().get(1));
    var back = dev.tufsh.keys.KeyImport.read(pem, "export", new ScriptedSecrets("export pass"), null);
    assertEquals(s.key(), back.key());
    assertThrows(KeyStoreError.class,
        () -> dev.tufsh.keys.KeyImport.read(pem, "export", new ScriptedSecrets(PASS), null));
  }

  private Map<String, String> snapshot() throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (var files = Files.walk(tmp)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        m.put(tmp.relativize(p).toString(), Hex.encode(Files.readAllBytes(p))
            + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
      }
    }
    return m;
  }

  /** The secret number inside PKCS#8: the Ed25519 seed, the EC scalar, the RSA private exponent. */
  private static byte[] secretPart(byte[] pkcs8) throws IOException {
    var info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(pkcs8);
    var inner = info.parsePrivateKey();
    if (inner instanceof org.bouncycastle.asn1.ASN1OctetString seed) {
      return seed.getOctets();
    }
    var alg = info.getPrivateKeyAlgorithm().getAlgorithm();
    if (alg.equals(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey)) {
      return org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32,
          org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(inner).getKey());
    }
    return org.bouncycastle.util.BigIntegers.asUnsignedByteArray(
        org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(inner).getPrivateExponent());
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
