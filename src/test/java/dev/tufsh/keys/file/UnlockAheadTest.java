package dev.tufsh.keys.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.SecretSource;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.ScriptedSecrets;
import dev.tufsh.keys.WrongPassphraseError;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Signer#prepareAhead}: a file key whose passphrase needs no prompt is derived on another
 * thread, and the first signature joins that derivation instead of making its own; a source that
 * may prompt is never asked ahead; a failure ahead is reported by the signature, in today's words.
 */
class UnlockAheadTest {
  static final String PASS = FileKeyStoreTest.PASS;
  static final byte[] MSG = FileKeyStoreTest.MSG;

  @TempDir Path tmp;

  /** A source that never prompts (a passphrase file), recording the thread of every question. */
  static final class FileLike implements SecretSource {
    final String answer;
    final boolean prompts;
    final List<String> threads = new CopyOnWriteArrayList<>();

    FileLike(String answer, boolean prompts) {
      this.answer = answer;
      this.prompts = prompts;
    }

    @Override
    public Secret secret(String purpose, boolean confirm) {
      threads.add(Thread.currentThread().getName());
      return new Secret(answer.toCharArray());
    }

    @Override
    public boolean mayPrompt() {
      return prompts;
    }

    /** Waits (bounded) until asked {@code n} times: a condition, not a sleep. */
    void awaitAsked(int n) throws InterruptedException {
      long end = System.nanoTime() + 60_000_000_000L;
      while (threads.size() < n) {
        assertTrue(System.nanoTime() < end, "not asked within 60 s");
        Thread.onSpinWait();
        Thread.sleep(1);
      }
    }
  }

  private Key made(String name) {
    return new FileKeyStore(tmp.resolve("keys"), new ScriptedSecrets(PASS), FileKeyStoreTest.FAST)
        .generate(Scheme.ED25519, name).key();
  }

  private static long scryptRuns(ThrowingRunnable r) throws Exception {
    long before = KeyFileCipher.SCRYPT_RUNS.get();
    r.run();
    return KeyFileCipher.SCRYPT_RUNS.get() - before;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void the_signature_joins_the_derivation_started_ahead() throws Exception {
    Key key = made("timestamp");
    FileLike source = new FileLike(PASS, false);
    FileKeyStore store = new FileKeyStore(tmp.resolve("keys"), source, FileKeyStoreTest.FAST);
    Signer s = store.signerFor(key).orElseThrow();
    byte[][] sig = new byte[1][];
    assertEquals(1, scryptRuns(() -> {
      s.prepareAhead();
      source.awaitAsked(1); // the thread ahead holds the key's lock from before it asks until it is done
      sig[0] = s.sign(MSG);
      s.prepareAhead(); // unlocked: nothing more to do
    }));
    assertEquals(List.of("tufsh-unlock-ahead"), source.threads, "asked once, ahead, not by the signature");
    assertTrue(key.verifies(MSG, sig[0]));
  }

  @Test
  void a_source_that_may_prompt_is_asked_only_when_the_signature_needs_it() throws Exception {
    Key key = made("timestamp");
    FileLike person = new FileLike(PASS, true);
    FileKeyStore store = new FileKeyStore(tmp.resolve("keys"), person, FileKeyStoreTest.FAST);
    Signer s = store.signerFor(key).orElseThrow();
    s.prepareAhead();
    assertEquals(List.of(), person.threads);
    s.sign(MSG);
    assertEquals(List.of(Thread.currentThread().getName()), person.threads);
  }

  @Test
  void a_wrong_passphrase_ahead_fails_the_signature_in_the_same_words_without_a_second_scrypt_run()
      throws Exception {
    Key key = made("bin-n-1");
    FileKeyStore plain = new FileKeyStore(tmp.resolve("keys"), new FileLike("wrong", false), FileKeyStoreTest.FAST);
    String today = assertThrows(WrongPassphraseError.class, () -> plain.signerFor(key).orElseThrow().sign(MSG))
        .getMessage();

    FileLike source = new FileLike("wrong", false);
    FileKeyStore store = new FileKeyStore(tmp.resolve("keys"), source, FileKeyStoreTest.FAST);
    Signer s = store.signerFor(key).orElseThrow();
    assertEquals(1, scryptRuns(() -> {
      s.prepareAhead();
      source.awaitAsked(1);
      WrongPassphraseError e = assertThrows(WrongPassphraseError.class, () -> s.sign(MSG));
      assertEquals(today, e.getMessage());
    }));
    assertEquals("tufsh-unlock-ahead", source.threads.get(0));
  }
}
