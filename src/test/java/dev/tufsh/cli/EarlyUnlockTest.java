package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.SecretSource;
import dev.tufsh.keys.KeyStores;
import dev.tufsh.testing.CliRepo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EarlyUnlock}: which command lines start unlocking before they are parsed, with which
 * repository and passphrase file, and that the unlock happens on another thread in the session the
 * commands run in, never where a person might be asked. What fails ahead fails the command as it
 * always did: {@link OneShotUnlockTest}, whose uploads take this path.
 */
class EarlyUnlockTest {
  static final String PASS = "early passphrase";
  @TempDir static Path tmp;
  static Path repo;
  static Path pass;

  /** A line, whether it publishes, and the repository and passphrase file that publish would use. */
  record Row(String line, boolean publishes, String repo, String file) {
    @Override
    public String toString() {
      return line;
    }
  }

  static List<Row> rows() {
    return List.of(
        new Row("publish", true, null, null),
        new Row("--repo r --passphrase-file p publish", true, "r", "p"),
        new Row("--repo=r --passphrase-file=p --yes publish", true, "r", "p"),
        new Row("publish --repo r --passphrase-file p", true, "r", "p"),
        new Row("--repo r -c 'target add --path a --length 1 --sha256 ab; publish'", true, "r", null),
        new Row("--repo r -c 'bump bin-*; publish --repo s --passphrase-file q'", true, "s", "q"),
        new Row("--repo a --repo b -c publish", true, "b", null),
        new Row("-c \"plan\npublish\"", true, null, null),
        new Row("--repo publish status", false, "publish", null),
        new Row("-c 'target add --path publish --length 1'", false, null, null),
        new Row("-c 'status; plan'", false, null, null),
        new Row("status publish", false, null, null),
        new Row("publish --help", false, null, null),
        new Row("-c 'publish -h'", false, null, null),
        new Row("-c 'publish \"unterminated'", false, null, null),
        new Row("--passphrase-file p", false, null, "p"),
        new Row("", false, null, null));
  }

  @ParameterizedTest
  @MethodSource("rows")
  void reads_the_words_as_the_parse_will(Row row) {
    EarlyUnlock.Scan s = EarlyUnlock.scan(CommandText.commands(row.line()).stream().findFirst().orElse(List.of()));
    assertEquals(row.publishes(), s.publishes(), "publishes");
    Path repo = row.publishes() ? s.publishRepo() : s.repo();
    Path file = row.publishes() ? s.publishFile() : s.passphraseFile();
    assertEquals(row.repo(), repo == null ? null : repo.toString(), "repository");
    assertEquals(row.file(), file == null ? null : file.toString(), "passphrase file");
  }

  @Test
  void knows_every_root_option_that_takes_a_value() {
    Session s = session(Interaction.NONE, null);
    Set<String> valued = CommandLines.create(s).getCommandSpec().options().stream()
        .filter(o -> o.arity().max() > 0)
        .flatMap(o -> java.util.Arrays.stream(o.names()))
        .collect(Collectors.toSet());
    assertEquals(valued, EarlyUnlock.VALUED);
  }

  @BeforeAll
  static void repository() {
    CliRepo r = CliRepo.published(tmp.resolve("repo"), tmp.resolve("pass"), PASS, 4, null);
    repo = r.repo();
    pass = r.pass();
  }

  /** Who asked the key store for which key's passphrase, on which thread. */
  static final List<String> asked = new CopyOnWriteArrayList<>();

  private static Session session(Interaction person, Path passphraseFile) {
    PrintWriter w = new PrintWriter(new StringWriter());
    Session s = new Session(repo == null ? tmp : repo, w, w, person, Clock.systemUTC(), "t@local", false);
    return s.passphraseFile(passphraseFile).keyStores((ws, secrets) -> KeyStores.standard(ws.privateDir(),
        new SecretSource() {
          @Override
          public Secret secret(String purpose, boolean confirm) {
            return secrets.secret(purpose, confirm);
          }

          @Override
          public Secret forKey(String key, String purpose, boolean confirm) {
            asked.add(key + " on " + Thread.currentThread().getName());
            return secrets.forKey(key, purpose, confirm);
          }

          @Override
          public boolean mayPrompt() {
            return secrets.mayPrompt();
          }
        }, java.util.Map.of()));
  }

  /** Waits (bounded) until every one of {@code questions} was asked: a condition, not a sleep. */
  private static void awaitAsked(String... questions) throws InterruptedException {
    long end = System.nanoTime() + 60_000_000_000L;
    while (!asked.containsAll(List.of(questions))) {
      assertTrue(System.nanoTime() < end, "not asked within 60 s");
      Thread.sleep(1);
    }
  }

  @Test
  void a_publish_unlocks_its_keys_on_another_thread_before_it_is_parsed() throws Exception {
    asked.clear();
    Session s = session(Interaction.NONE, pass);
    Runnable wipe = EarlyUnlock.scan(List.of("--yes", "-c", "plan; publish")).start(s);
    awaitAsked("snapshot-1 on tufsh-unlock-ahead", "timestamp-1 on tufsh-unlock-ahead",
        "snapshot-1 on tufsh-unlock-group");
    // The command finds the key unlocked in the session's store: it runs, and is not asked on its thread.
    int status = CommandLines.execute(s, List.of("--yes", "bump", "timestamp"));
    assertEquals(0, status);
    assertEquals(0, CommandLines.execute(s, List.of("--yes", "publish")));
    wipe.run();
    // Unlocked ahead (the keys' own unlocks, and the store's one passphrase group from its files
    // alone): the command (on its thread or its signing pool) never asks for those two again.
    assertTrue(asked.stream().filter(a -> a.startsWith("snapshot-1 ") || a.startsWith("timestamp-1 "))
        .allMatch(a -> a.endsWith(" on tufsh-unlock-ahead") || a.endsWith(" on tufsh-unlock-group")),
        asked.toString());
    assertTrue(asked.contains("snapshot-1 on tufsh-unlock-group"), "the group run asked as the key's unlock asks");
  }

  @Test
  void a_line_that_does_not_publish_asks_nothing_ahead() throws Exception {
    asked.clear();
    Session s = session(Interaction.NONE, pass);
    Runnable wipe = EarlyUnlock.scan(List.of("--yes", "-c", "status; plan")).start(s);
    assertEquals(0, CommandLines.execute(s, List.of("status")));
    wipe.run();
    assertTrue(asked.stream().noneMatch(a -> a.contains(" on tufsh-unlock")), asked.toString());
  }

  @Test
  void where_a_person_could_be_asked_every_question_comes_from_the_command_itself() throws Exception {
    asked.clear();
    SecretsTest.Person person = new SecretsTest.Person(); // answers nothing: the passphrase file does
    Session s = session(person, pass);
    Runnable wipe = EarlyUnlock.scan(List.of("--yes", "-c", "bump timestamp; publish")).start(s);
    assertEquals(0, CommandLines.execute(s, List.of("--yes", "bump", "timestamp")));
    assertEquals(0, CommandLines.execute(s, List.of("--yes", "publish")));
    wipe.run();
    // Asked by the command itself (its thread, its signing pool), never by a thread ahead of it.
    assertTrue(!asked.isEmpty() && asked.stream().noneMatch(a -> a.contains(" on tufsh-unlock")), asked.toString());
    assertEquals(0, person.asked);
  }
}
