package dev.tufsh.keys.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.SecretSource;
import dev.tufsh.keys.ScriptedSecrets;
import dev.tufsh.keys.WrongPassphraseError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FileKeyStore#unlockGroupAhead}: for each passphrase group whose keys all get the same
 * answer, one scrypt run made from the key files alone is the one each key's unlock then uses, with
 * the same key and the same signatures; nothing is taken from a link, a loose or an unusual file.
 * A wrong passphrase ahead fails the signature in today's words; a misread header derives in vain,
 * never wrongly.
 */
class GroupAheadTest {
  static final String PASS = FileKeyStoreTest.PASS;
  static final byte[] MSG = FileKeyStoreTest.MSG;
  static final List<String> NAMES = List.of("root-1", "snapshot-1", "timestamp-1");

  @TempDir Path tmp;

  /** Answers per key name (else {@code fallback}), never prompts, records who asked. */
  static final class PerKey implements SecretSource {
    final Map<String, String> own;
    final String fallback;
    final List<String> asked = new CopyOnWriteArrayList<>();

    PerKey(Map<String, String> own, String fallback) {
      this.own = own;
      this.fallback = fallback;
    }

    @Override
    public Secret secret(String purpose, boolean confirm) {
      return new Secret(fallback.toCharArray());
    }

    @Override
    public Secret forKey(String key, String purpose, boolean confirm) {
      asked.add(key + " on " + Thread.currentThread().getName());
      return new Secret(own.getOrDefault(key, fallback).toCharArray());
    }

    @Override
    public boolean mayPrompt() {
      return false;
    }
  }

  private Path keys() {
    return tmp.resolve("keys");
  }

  /** Three keys in one passphrase group, as init makes them. */
  private List<Key> made() {
    FileKeyStore maker = new FileKeyStore(keys(), new ScriptedSecrets(PASS), FileKeyStoreTest.FAST);
    return NAMES.stream().map(n -> maker.generate(Scheme.ED25519, n).key()).toList();
  }

  private static long scryptRuns(Runnable r) {
    long before = KeyFileCipher.SCRYPT_RUNS.get();
    r.run();
    return KeyFileCipher.SCRYPT_RUNS.get() - before;
  }

  @Test
  void one_run_from_the_files_alone_opens_every_key_with_the_same_signatures() {
    List<Key> keys = made();
    FileKeyStore late = new FileKeyStore(keys(), new PerKey(Map.of(), PASS), FileKeyStoreTest.FAST);
    FileKeyStore early = new FileKeyStore(keys(), new PerKey(Map.of(), PASS), FileKeyStoreTest.FAST);
    assertEquals(1, scryptRuns(() -> assertEquals(1, early.deriveGroupAhead())));
    assertEquals(0, scryptRuns(() -> {
      for (Key k : keys) {
        byte[] sig = early.signerFor(k).orElseThrow().sign(MSG);
        assertTrue(k.verifies(MSG, sig));
        assertArrayEquals(late.signerFor(k).orElseThrow().sign(MSG), sig, "the same key as the late unlock's");
      }
    }) - 1, "the late store's one run; the early store's keys take none");
  }

  @Test
  void a_unlock_started_ahead_joins_the_group_run_on_its_thread() throws Exception {
    List<Key> keys = made();
    PerKey source = new PerKey(Map.of(), PASS);
    FileKeyStore store = new FileKeyStore(keys(), source, FileKeyStoreTest.FAST);
    long runs = scryptRuns(() -> {
      store.unlockGroupAhead();
      awaitAsked(source, NAMES.size());
      for (Key k : keys) {
        assertTrue(k.verifies(MSG, store.signerFor(k).orElseThrow().sign(MSG)));
      }
    });
    assertEquals(1, runs);
    assertTrue(source.asked.subList(0, NAMES.size()).stream().allMatch(a -> a.endsWith(" on tufsh-unlock-group")),
        source.asked.toString());
  }

  @Test
  void a_source_that_may_prompt_is_not_asked_ahead() {
    made();
    ScriptedSecrets person = new ScriptedSecrets(PASS); // may prompt, by default
    FileKeyStore store = new FileKeyStore(keys(), person, FileKeyStoreTest.FAST);
    store.unlockGroupAhead();
    assertEquals(0, person.count());
  }

  /** Two keys in a second passphrase group ("other"), beside the three of {@link #made}. */
  private static List<Key> otherGroup(Path d) {
    FileKeyStore maker = new FileKeyStore(d, new ScriptedSecrets("other"), FileKeyStoreTest.FAST);
    return OTHERS.stream().map(n -> maker.generate(Scheme.ED25519, n).key()).toList();
  }

  static final List<String> OTHERS = List.of("bin-n-1", "bins-1");
  static final Map<String, String> OTHER_ANSWERS = Map.of("bin-n-1", "other", "bins-1", "other");

  @Test
  void two_groups_are_each_derived_ahead_and_every_key_opens_with_no_further_run() {
    List<Key> keys = new java.util.ArrayList<>(made());
    keys.addAll(otherGroup(keys()));
    FileKeyStore late = new FileKeyStore(keys(), new PerKey(OTHER_ANSWERS, PASS), FileKeyStoreTest.FAST);
    FileKeyStore early = new FileKeyStore(keys(), new PerKey(OTHER_ANSWERS, PASS), FileKeyStoreTest.FAST);
    assertEquals(2, scryptRuns(() -> assertEquals(2, early.deriveGroupAhead())));
    assertEquals(0, scryptRuns(() -> {
      for (Key k : keys) {
        assertTrue(k.verifies(MSG, early.signerFor(k).orElseThrow().sign(MSG)));
      }
    }), "each key of either group opens from the run made ahead");
    assertEquals(2, scryptRuns(() -> {
      for (Key k : keys) {
        assertArrayEquals(late.signerFor(k).orElseThrow().sign(MSG), early.signerFor(k).orElseThrow().sign(MSG),
            "the same key as the late unlock's");
      }
    }), "the late store's two runs, one a group");
  }

  /** A store ahead of need: what is done to the files, each key's answer, and the groups derived. */
  record Row(String name, Consumer<Path> change, Map<String, String> answers, int derived) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Row> rows() {
    Consumer<Path> other = GroupAheadTest::otherGroup;
    return List.of(
        new Row("one key answers another passphrase", d -> {}, Map.of("root-1", "root's own"), 0),
        new Row("a key in another group", other, OTHER_ANSWERS, 2),
        new Row("another group's keys get two answers", other, Map.of("bin-n-1", "other", "bins-1", "else"), 1),
        new Row("another group's keys get the answer that opened the first (their own is not given)", other,
            Map.of(), 1),
        new Row("another group's one usable file is a link", other.andThen(d -> {
          relink(d.resolve("bin-n-1.key.json"));
          chmod(d.resolve("bins-1.key.json"), "rw-r--r--");
        }), OTHER_ANSWERS, 1),
        new Row("another group's files readable by others", other.andThen(d -> OTHERS.forEach(
            n -> chmod(d.resolve(n + FileKeyStore.SUFFIX), "rw-r-----"))), OTHER_ANSWERS, 1),
        new Row("another group's files name a salt twice", other.andThen(d -> OTHERS.forEach(n -> edit(
            d.resolve(n + FileKeyStore.SUFFIX), s -> s.replace("\"salt\"", "\"salt\" : \"00\", \"salt\"")))),
            OTHER_ANSWERS, 1),
        new Row("a key file of the one group is a link", d -> relink(d.resolve("root-1.key.json")), Map.of(), 1),
        new Row("no key files", d -> NAMES.forEach(n -> delete(d.resolve(n + FileKeyStore.SUFFIX))), Map.of(), 0));
  }

  @ParameterizedTest
  @MethodSource("rows")
  void derives_each_group_whose_usable_files_and_answers_agree(Row row) {
    made();
    row.change().accept(keys());
    FileKeyStore store = new FileKeyStore(keys(), new PerKey(row.answers(), PASS), FileKeyStoreTest.FAST);
    assertEquals(row.derived(), scryptRuns(() -> assertEquals(row.derived(), store.deriveGroupAhead())));
  }

  @Test
  void a_wrong_passphrase_ahead_fails_the_signature_in_the_same_words() {
    Key key = made().get(1);
    FileKeyStore plain = new FileKeyStore(keys(), new PerKey(Map.of(), "wrong"), FileKeyStoreTest.FAST);
    String today = assertThrows(WrongPassphraseError.class, () -> plain.signerFor(key).orElseThrow().sign(MSG))
        .getMessage();
    FileKeyStore store = new FileKeyStore(keys(), new PerKey(Map.of(), "wrong"), FileKeyStoreTest.FAST);
    assertEquals(1, store.deriveGroupAhead());
    WrongPassphraseError e = assertThrows(WrongPassphraseError.class, () -> store.signerFor(key).orElseThrow().sign(MSG));
    assertEquals(today, e.getMessage());
  }

  @Test
  void the_header_reads_what_the_key_file_parse_reads_and_nothing_when_unusual() throws Exception {
    made();
    Path f = keys().resolve("snapshot-1" + FileKeyStore.SUFFIX);
    KeyFile kf = KeyFile.parse(Files.readAllBytes(f), "snapshot-1", f);
    GroupHeader h = GroupHeader.read(f).orElseThrow();
    assertArrayEquals(kf.salt(), h.salt());
    assertEquals(kf.kdf(), h.params());
    assertArrayEquals(kf.check(), h.check());
    String text = Files.readString(f);
    for (String odd : List.of(text.replace("\"check\"", "\"chek\""), text.replace("\"n\" : ", "\"n\" : 3"),
        text.replace("\"r\" : 8", "\"r\" : 8, \"r\" : 8"), text + "{\"kdf\" : {}}", "")) {
      assertTrue(GroupHeader.parse(odd).isEmpty(), odd);
    }
  }

  @Test
  void a_misread_group_derives_in_vain_and_the_key_still_opens() {
    Key key = made().get(1);
    for (String n : NAMES) { // every file agrees on a check value that is not the group's
      edit(keys().resolve(n + FileKeyStore.SUFFIX), s -> s.replaceFirst("\"check\" : \"[0-9a-f]{2}", "\"check\" : \"ff"));
    }
    FileKeyStore store = new FileKeyStore(keys(), new PerKey(Map.of(), PASS), FileKeyStoreTest.FAST);
    assertEquals(1, scryptRuns(() -> store.deriveGroupAhead()), "derived, not kept");
    // The parse reads the same altered check, so the late unlock fails as it does today, in its own words.
    FileKeyStore plain = new FileKeyStore(keys(), new PerKey(Map.of(), PASS), FileKeyStoreTest.FAST);
    String today = assertThrows(WrongPassphraseError.class, () -> plain.signerFor(key).orElseThrow().sign(MSG))
        .getMessage();
    assertEquals(today, assertThrows(WrongPassphraseError.class,
        () -> store.signerFor(key).orElseThrow().sign(MSG)).getMessage());
  }

  private static void awaitAsked(PerKey source, int n) {
    long end = System.nanoTime() + 60_000_000_000L;
    while (source.asked.size() < n) {
      assertTrue(System.nanoTime() < end, "not asked within 60 s");
      Thread.onSpinWait();
    }
  }

  private static void relink(Path f) {
    try {
      Path real = f.resolveSibling(".real");
      Files.move(f, real);
      Files.createSymbolicLink(f, real.getFileName());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void chmod(Path f, String mode) {
    try {
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void edit(Path f, java.util.function.UnaryOperator<String> change) {
    try {
      String s = Files.readString(f, StandardCharsets.UTF_8);
      String t = change.apply(s);
      assertTrue(!t.equals(s), "the edit changed " + f);
      Files.writeString(f, t, StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void delete(Path f) {
    try {
      Files.delete(f);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
