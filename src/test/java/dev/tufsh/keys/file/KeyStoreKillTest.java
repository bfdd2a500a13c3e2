package dev.tufsh.keys.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.Pem;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Secret;
import dev.tufsh.keys.KeyEntry;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Trees;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while a child JVM generates and imports keys ({@link KeyWriteChild}): after every kill
 * each key file in the store is complete and decrypts with the passphrase, every key the child
 * reported stored is there, keys that existed before are byte for byte unchanged, and a leftover
 * temp file (hidden, ".NAME.key.json.*.tmp") is never listed as a key. -Dtufsh.keykill.iterations
 * and -Dtufsh.keykill.seed change the run.
 */
class KeyStoreKillTest {
  @TempDir Path tmp;

  @Test
  void kill_9_while_writing_keys_leaves_only_complete_key_files() throws Exception {
    int iterations = Integer.getInteger("tufsh.keykill.iterations", 8);
    long seed = Long.getLong("tufsh.keykill.seed", System.nanoTime());
    Random rnd = new Random(seed);
    Path dir = tmp.resolve("keys");
    FileKeyStore parent = store(dir);
    parent.generate(Scheme.ED25519, "before-a");
    parent.generate(Scheme.ECDSA_P256, "before-b");
    Map<String, byte[]> before = Trees.contents(dir);
    Path pem = Files.writeString(tmp.resolve("import.pem"),
        Pem.encode("PRIVATE KEY", KeyPairs.generate(Scheme.ED25519).privateKeyPkcs8()));

    int totalStored = 0;
    int temps = 0;
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      Path run = tmp.resolve("run-" + i);
      copy(dir, run);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          KeyWriteChild.class.getName(), run.toString(), pem.toString())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Set<String> stored = new HashSet<>();
      Thread reader = new Thread(() -> collect(p, stored));
      reader.start();
      // Odd iterations kill while the child is still cold (loading classes, its first key); even
      // ones once its first key is stored, in the stream of writes (tens of ms per key), so slow
      // machines still kill mid-stream.
      boolean warm = i % 2 == 0;
      long delay = warm ? rnd.nextInt(400) : rnd.nextInt(1500);
      delays.add(delay);
      String awaited = warm ? "gen-0" : "ready";
      await(p, stored, awaited);
      Thread.sleep(delay);
      p.destroyForcibly();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      reader.join(10_000);
      Set<String> done;
      synchronized (stored) {
        done = new HashSet<>(stored);
      }
      done.remove("ready");
      String when = "iteration " + i + " (seed " + seed + ", killed " + delay + " ms after " + awaited + ")";

      FileKeyStore after = store(run);
      Set<String> listed = new HashSet<>();
      for (KeyEntry e : after.list()) {
        listed.add(e.name());
      }
      for (String name : done) {
        assertTrue(listed.contains(name), when + ": key " + name + " was reported stored but is not listed");
      }
      for (var e : before.entrySet()) {
        assertArrayEquals(e.getValue(), Files.readAllBytes(run.resolve(e.getKey())), when + ": " + e.getKey()
            + " changed");
      }
      try (Stream<Path> files = Files.list(run)) {
        for (Path f : files.toList()) {
          String n = f.getFileName().toString();
          if (n.startsWith(".")) {
            assertTrue(n.endsWith(".tmp"), when + ": unexpected hidden file " + n);
            temps++;
            continue;
          }
          assertTrue(n.endsWith(FileKeyStore.SUFFIX), when + ": unexpected file " + n);
          String name = n.substring(0, n.length() - FileKeyStore.SUFFIX.length());
          assertTrue(listed.contains(name), when + ": " + n + " is not listed");
          assertTrue(Files.size(f) > 0, when + ": " + n + " is empty");
          // Decrypts with the passphrase and signs for its public key.
          var m = after.unlock(name);
          byte[] msg = name.getBytes(StandardCharsets.UTF_8);
          assertTrue(m.key().verifies(msg, m.sign(msg)), when + ": " + n + " does not sign for its key");
        }
      }
      // The store still takes new keys after the kill.
      after.generate(Scheme.ED25519, "after-kill");
      assertTrue(after.list().stream().anyMatch(e -> e.name().equals("after-kill")));
      totalStored += done.size();
      delete(run);
    }
    assertTrue(totalStored >= iterations / 2, "the warm kills came after keys were stored: " + totalStored);
    System.out.printf("key kill test: %d kills, seed %d, delays %s ms, %d keys completed before kills,"
        + " %d leftover temp files (hidden, not listed)%n", iterations, seed, delays, totalStored, temps);
    assertEquals(before.keySet(), Trees.contents(dir).keySet(), "the parent store was never touched");
  }

  @Test
  void kill_9_while_moving_old_key_files_into_a_group_leaves_every_key_readable() throws Exception {
    Path dir = tmp.resolve("legacy");
    PassphraseGroupTest.copyLegacy(dir);
    Map<String, String> ids = new HashMap<>();
    for (KeyEntry e : store(dir).list()) {
      ids.put(e.name(), e.key().keyId());
    }
    Random rnd = new Random(Long.getLong("tufsh.keykill.seed", System.nanoTime()));
    int moved = 0;
    for (int i = 0; i < 5; i++) {
      Path run = tmp.resolve("move-" + i);
      copy(dir, run);
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-cp", System.getProperty("java.class.path"), KeyMoveChild.class.getName(), run.toString()));
      cmd.addAll(PassphraseGroupTest.LEGACY);
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Set<String> said = new HashSet<>();
      Thread reader = new Thread(() -> collect(p, said));
      reader.start();
      // Half the kills in the first round (moving the very first files), half later.
      String awaited = i % 2 == 0 ? "ready" : "moved legacy-rsa";
      await(p, said, awaited);
      long delay = rnd.nextInt(800);
      Thread.sleep(delay);
      p.destroyForcibly();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      reader.join(10_000);
      String when = "kill " + i + " (" + delay + " ms after " + awaited + ")";
      FileKeyStore after = new FileKeyStore(run, (purpose, confirm) ->
          new Secret(PassphraseGroupTest.LEGACY_PASS.toCharArray()));
      Map<String, String> listed = new HashMap<>();
      for (KeyEntry e : after.list()) {
        listed.put(e.name(), e.key().keyId());
      }
      assertEquals(ids, listed, when + ": the same keys under the same names");
      for (String name : ids.keySet()) {
        var m = after.unlock(name);
        byte[] msg = name.getBytes(StandardCharsets.UTF_8);
        assertTrue(m.key().verifies(msg, m.sign(msg)), when + ": " + name + " does not sign for its key");
        if (Files.readString(run.resolve(name + FileKeyStore.SUFFIX)).contains("\"shared\" : true")) {
          moved++;
        }
      }
      try (Stream<Path> files = Files.list(run)) {
        for (Path f : files.toList()) {
          String n = f.getFileName().toString();
          assertTrue(n.endsWith(FileKeyStore.SUFFIX) || n.startsWith(".") && n.endsWith(".tmp"), when + ": " + n);
        }
      }
      delete(run);
    }
    assertTrue(moved > 0, "some kills came after a key was moved");
    System.out.printf("key move kill test: 5 kills, %d of %d keys found moved after them%n", moved, 5 * ids.size());
  }

  @Test
  void a_temp_file_left_by_a_killed_writer_is_not_a_key() throws Exception {
    // What a kill between the temp file's creation and its rename leaves: a half-written hidden file.
    Path dir = tmp.resolve("keys");
    FileKeyStore s = store(dir);
    s.generate(Scheme.ED25519, "whole");
    byte[] whole = Files.readAllBytes(dir.resolve("whole" + FileKeyStore.SUFFIX));
    Files.write(dir.resolve(".half" + FileKeyStore.SUFFIX + ".4711.tmp"), java.util.Arrays.copyOf(whole, 100));
    Files.write(dir.resolve(".empty" + FileKeyStore.SUFFIX + ".4712.tmp"), new byte[0]);
    FileKeyStore fresh = store(dir);
    assertEquals(List.of("whole"), fresh.list().stream().map(KeyEntry::name).toList());
    // A key of the same name can still be generated: the temp file does not block it.
    fresh.generate(Scheme.ED25519, "half");
    assertEquals(List.of("half", "whole"), fresh.list().stream().map(KeyEntry::name).sorted().toList());
  }

  /** Waits (60 s at most) until the child has said {@code awaited}. */
  private static void await(Process p, Set<String> said, String awaited) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    synchronized (said) {
      while (!said.contains(awaited)) {
        said.wait(1_000);
        assertTrue(p.isAlive() || said.contains(awaited), "the child exited before " + awaited);
        assertTrue(System.nanoTime() < deadline, "no " + awaited + " from the child within 60 s");
      }
    }
  }

  private static void collect(Process p, Set<String> stored) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String l;
      while ((l = r.readLine()) != null) {
        synchronized (stored) {
          stored.add(l.startsWith("stored ") ? l.substring(7) : l);
          stored.notifyAll();
        }
      }
    } catch (java.io.IOException e) {
      // the child was killed
    }
  }

  private static FileKeyStore store(Path dir) {
    return new FileKeyStore(dir, (purpose, confirm) -> new Secret(Benches.PASSPHRASE.toCharArray()),
        ScryptParams.withLog2N(10));
  }


  private static void delete(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static void copy(Path from, Path to) throws Exception {
    Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start();
    assertEquals(0, p.waitFor());
  }
}
