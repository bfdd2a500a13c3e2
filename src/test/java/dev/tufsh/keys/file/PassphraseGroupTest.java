package dev.tufsh.keys.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.SecretSource;
import dev.tufsh.crypto.Signer;
import dev.tufsh.json.Json;
import dev.tufsh.keys.KeyEntry;
import dev.tufsh.keys.KeyStoreError;
import dev.tufsh.keys.ScriptedSecrets;
import dev.tufsh.keys.WrongPassphraseError;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passphrase groups: keys sealed under one passphrase share a salt, so a command signing with them
 * runs scrypt once per passphrase, while each key still needs its own correct passphrase, files
 * written before groups still open, and {@code changePassphrase} moves them into a group.
 */
class PassphraseGroupTest {
  static final ScryptParams FAST = FileKeyStoreTest.FAST;
  static final String PASS = FileKeyStoreTest.PASS;
  static final byte[] MSG = FileKeyStoreTest.MSG;
  static final String LEGACY_PASS = "legacy passphrase";
  static final List<String> LEGACY = List.of("legacy-ecdsa", "legacy-ed25519", "legacy-rsa");

  @TempDir Path tmp;

  private Path keys() {
    return tmp.resolve("keys");
  }

  private FileKeyStore store(SecretSource secrets) {
    return new FileKeyStore(keys(), secrets, FAST);
  }

  /** scrypt runs {@code action} makes. */
  private static long runs(Runnable action) {
    long before = KeyFileCipher.SCRYPT_RUNS.get();
    action.run();
    return KeyFileCipher.SCRYPT_RUNS.get() - before;
  }

  private JsonNode kdf(String name) throws IOException {
    return Json.parse(Files.readAllBytes(keys().resolve(name + FileKeyStore.SUFFIX)), name).get("private").get("kdf");
  }

  @Test
  void keys_sharing_a_passphrase_cost_one_scrypt_run_per_process_and_each_is_still_asked() throws IOException {
    List<Key> made = new ArrayList<>();
    FileKeyStore maker = store(new ScriptedSecrets(PASS));
    assertEquals(1, runs(() -> {
      for (String n : List.of("bins", "snapshot", "timestamp")) {
        made.add(maker.generate(Scheme.ED25519, n).key());
      }
    }), "three keys generated under one passphrase");
    assertEquals(kdf("bins").get("salt"), kdf("snapshot").get("salt"));
    assertEquals(kdf("bins").get("salt"), kdf("timestamp").get("salt"));
    assertTrue(kdf("bins").get("shared").booleanValue());

    ScriptedSecrets secrets = new ScriptedSecrets(PASS);
    FileKeyStore fresh = store(secrets);
    assertEquals(1, runs(() -> {
      for (Key k : made) {
        assertTrue(k.verifies(MSG, fresh.signerFor(k).orElseThrow().sign(MSG)));
      }
    }), "a new process signing with all three");
    assertEquals(3, secrets.count(), "every key still asks its own source");
  }

  @Test
  void snapshot_and_timestamp_unlocking_side_by_side_run_scrypt_once() {
    FileKeyStore maker = store(new ScriptedSecrets(PASS));
    List<Signer> made = List.of(maker.generate(Scheme.ED25519, "snapshot"), maker.generate(Scheme.ED25519, "timestamp"));
    FileKeyStore fresh = store(new ScriptedSecrets(PASS));
    List<Signer> signers = made.stream().map(s -> fresh.signerFor(s.key()).orElseThrow()).toList();
    assertEquals(1, runs(() -> signers.parallelStream().forEach(Signer::prepare)));
  }

  @Test
  void a_key_made_in_a_later_process_joins_the_group_on_disk() throws IOException {
    store(new ScriptedSecrets(PASS)).generate(Scheme.ED25519, "first");
    FileKeyStore later = store(new ScriptedSecrets(PASS));
    assertEquals(1, runs(() -> later.generate(Scheme.ECDSA_P256, "second")), "one run to open the group");
    assertEquals(kdf("first").get("salt"), kdf("second").get("salt"));
    assertEquals(0, runs(() -> later.unlock("first")), "the group is open in this process");
  }

  @Test
  void each_passphrase_makes_its_own_group_and_a_wrong_one_fails_as_before() throws IOException {
    Map<String, String> own = Map.of("root", "root only", "targets", PASS, "bins", PASS);
    PerKey secrets = new PerKey(own);
    FileKeyStore maker = store(secrets);
    // root's passphrase is tried against the targets group on disk, fails, and starts its own.
    for (String n : List.of("targets", "root", "bins")) {
      maker.generate(Scheme.ED25519, n);
    }
    assertEquals(kdf("targets").get("salt"), kdf("bins").get("salt"));
    assertNotEquals(kdf("targets").get("salt"), kdf("root").get("salt"));

    FileKeyStore fresh = store(new PerKey(own));
    assertEquals(2, runs(() -> own.keySet().forEach(fresh::unlock)), "two passphrases, two runs");

    // The group is open, yet bins with a wrong answer is refused in the same words as ever.
    PerKey wrong = new PerKey(Map.of("targets", PASS, "bins", "not it"));
    FileKeyStore s = store(wrong);
    s.unlock("targets");
    WrongPassphraseError e = assertThrows(WrongPassphraseError.class, () -> s.unlock("bins"));
    assertEquals("wrong passphrase for key bins (" + keys().resolve("bins.key.json") + ")", e.getMessage());
    // Asked again with the same wrong answer: refused without another scrypt run.
    assertEquals(0, runs(() -> assertThrows(WrongPassphraseError.class, () -> s.unlock("bins"))));
    assertFalse(wrong.asked.isEmpty());
  }

  @Test
  void a_wrong_first_answer_is_refused_once_then_costs_nothing_and_the_right_one_still_opens() {
    Map<String, String> own = Map.of("targets", PASS, "bins", PASS);
    for (String n : own.keySet()) {
      store(new PerKey(own)).generate(Scheme.ED25519, n);
    }
    // Nothing unlocked yet, so the first answer is derived before its HMAC is made; a refusal is remembered all the same.
    FileKeyStore s = store(new PerKey(Map.of("targets", "not it", "bins", PASS)));
    assertEquals(1, runs(() -> assertThrows(WrongPassphraseError.class, () -> s.unlock("targets"))));
    assertEquals(0, runs(() -> assertThrows(WrongPassphraseError.class, () -> s.unlock("targets"))));
    assertEquals(1, runs(() -> s.unlock("bins")), "the right answer after a refused one");
  }

  @Test
  void a_new_passphrase_is_tried_against_at_most_three_groups() {
    Map<String, String> own = new java.util.HashMap<>();
    for (int i = 0; i < 5; i++) {
      own.put("k" + i, "passphrase " + i);
    }
    own.put("new", "yet another");
    FileKeyStore maker = store(new PerKey(own));
    for (int i = 0; i < 5; i++) {
      maker.generate(Scheme.ED25519, "k" + i);
    }
    assertEquals(FileKeyStore.GROUPS_TRIED + 1, runs(() -> store(new PerKey(own)).generate(Scheme.ED25519, "new")),
        "five groups on disk: three tried, then a new salt");
  }

  @Test
  void a_group_at_a_lower_cost_is_not_joined() throws IOException {
    store(new ScriptedSecrets(PASS)).generate(Scheme.ED25519, "cheap");
    new FileKeyStore(keys(), new ScriptedSecrets(PASS), ScryptParams.withLog2N(11)).generate(Scheme.ED25519, "dearer");
    assertNotEquals(kdf("cheap").get("salt"), kdf("dearer").get("salt"));
    assertEquals(2048, kdf("dearer").get("n").intValue());
  }

  @Test
  void ciphertext_moved_between_files_of_one_group_is_corrupt_not_a_key() throws IOException {
    FileKeyStore maker = store(new ScriptedSecrets(PASS));
    Signer a = maker.generate(Scheme.ED25519, "a");
    maker.generate(Scheme.ED25519, "b");
    // Same salt, so the same AES key: only the key id bound as associated data stops b's private
    // half from opening as a's.
    Path fa = keys().resolve("a.key.json");
    JsonNode pb = Json.parse(Files.readAllBytes(keys().resolve("b.key.json")), "b").get("private");
    FileKeyStoreTest.editPrivate(fa, pa -> {
      pa.set("nonce", pb.get("nonce"));
      pa.set("ciphertext", pb.get("ciphertext"));
    });
    assertEquals(FileKeyStoreTest.doesNotDecrypt(fa), FileKeyStoreTest.signFails(store(new ScriptedSecrets(PASS)),
        a.key()));
  }

  @Test
  void a_shared_member_that_is_not_a_boolean_is_corrupt() throws IOException {
    store(new ScriptedSecrets(PASS)).generate(Scheme.ED25519, "k");
    Path f = keys().resolve("k.key.json");
    ObjectNode o = (ObjectNode) Json.parse(Files.readAllBytes(f), "k");
    ((ObjectNode) o.get("private").get("kdf")).put("shared", "yes");
    Files.writeString(f, Json.pretty(o));
    KeyStoreError e = assertThrows(KeyStoreError.class, () -> store(new ScriptedSecrets(PASS)).list());
    assertEquals("key file " + f + " is corrupt: field 'private.kdf.shared': not true or false", e.getMessage());
  }

  @Test
  void key_files_from_before_groups_open_and_change_passphrase_moves_them_into_one() throws Exception {
    copyLegacy(keys());
    Map<String, String> publicBefore = publicHalves();
    FileKeyStore old = new FileKeyStore(keys(), new ScriptedSecrets(LEGACY_PASS));
    long t0 = System.nanoTime();
    assertEquals(3, runs(() -> LEGACY.forEach(n -> signs(old, n))), "one run per legacy file, as before");
    long legacyMs = (System.nanoTime() - t0) / 1_000_000;
    for (String n : LEGACY) {
      assertFalse(kdf(n).has("shared"), n);
    }
    // A new key under the same passphrase does not try every legacy salt: it starts a group.
    assertEquals(1, runs(() -> new FileKeyStore(keys(), new ScriptedSecrets(LEGACY_PASS))
        .generate(Scheme.ED25519, "new-key")));

    // The explicit step: change each key's passphrase to the same one (one command per key).
    for (String n : LEGACY) {
      ScriptedSecrets same = new ScriptedSecrets(LEGACY_PASS);
      new FileKeyStore(keys(), same).changePassphrase(n);
      assertEquals(List.of(new ScriptedSecrets.Ask("current passphrase for key " + n, false),
          new ScriptedSecrets.Ask("new passphrase for key " + n, true)), same.asked());
    }
    JsonNode salt = kdf("new-key").get("salt");
    for (String n : LEGACY) {
      assertEquals(salt, kdf(n).get("salt"), n + " joined new-key's group");
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(keys().resolve(n + FileKeyStore.SUFFIX))));
    }
    assertEquals(publicBefore, publicHalves(), "the public halves are unchanged");
    FileKeyStore after = new FileKeyStore(keys(), new ScriptedSecrets(LEGACY_PASS));
    long t1 = System.nanoTime();
    assertEquals(1, runs(() -> LEGACY.forEach(n -> signs(after, n))), "one run for the whole group");
    long groupMs = (System.nanoTime() - t1) / 1_000_000;
    System.out.println("[measure] unlocking 3 keys at scrypt N=2^15: " + legacyMs + " ms from legacy files, "
        + groupMs + " ms from one passphrase group");
  }

  static void copyLegacy(Path dir) throws IOException, URISyntaxException {
    PrivateFiles.createDirectory(dir);
    Path fixtures = Path.of(PassphraseGroupTest.class.getResource("/fixtures/keystore-v1/README.md").toURI()).getParent();
    for (String n : LEGACY) {
      PrivateFiles.write(dir.resolve(n + FileKeyStore.SUFFIX), Files.readAllBytes(fixtures.resolve(n + FileKeyStore.SUFFIX)),
          false);
    }
  }

  private static void signs(FileKeyStore store, String name) {
    KeyEntry e = store.find(name).orElseThrow();
    byte[] sig = store.signerFor(e.key()).orElseThrow().sign(MSG);
    assertTrue(e.key().verifies(MSG, sig), name);
  }

  private Map<String, String> publicHalves() throws IOException {
    Map<String, String> m = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.list(keys())) {
      for (Path f : files.filter(f -> LEGACY.stream().anyMatch(n -> f.endsWith(n + FileKeyStore.SUFFIX))).toList()) {
        JsonNode o = Json.parse(Files.readAllBytes(f), "f");
        m.put(f.getFileName().toString(), o.get("keyid").asText() + o.get("public"));
      }
    }
    return m;
  }

  /** A passphrase per key name, as TUFSH_PASSPHRASE_NAME or a passphrase folder gives them. */
  private static final class PerKey implements SecretSource {
    final Map<String, String> own;
    final List<String> asked = new CopyOnWriteArrayList<>();

    PerKey(Map<String, String> own) {
      this.own = own;
    }

    @Override
    public Secret secret(String purpose, boolean confirm) {
      throw new AssertionError("asked without a key name: " + purpose);
    }

    @Override
    public Secret forKey(String key, String purpose, boolean confirm) {
      asked.add(key);
      return new Secret(own.get(key).toCharArray());
    }
  }
}
