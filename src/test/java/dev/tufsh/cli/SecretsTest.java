package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Secret;
import dev.tufsh.errors.UsageError;
import dev.tufsh.testing.PassphraseFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a key's passphrase comes from, in order, and what a passphrase file must be. */
class SecretsTest {
  @TempDir Path dir;

  /** A person at a terminal who answers from a list and hears what tufsh tells them. */
  static final class Person implements Interaction {
    final Deque<String> answers = new ArrayDeque<>();
    final List<String> heard = new ArrayList<>();
    int asked;

    Person(String... answers) {
      this.answers.addAll(List.of(answers));
    }

    @Override
    public boolean interactive() {
      return true;
    }

    @Override
    public boolean confirm(String question) {
      return false;
    }

    @Override
    public Secret readSecret(String prompt) {
      asked++;
      return new Secret(answers.removeFirst().toCharArray());
    }

    @Override
    public void tell(String line) {
      heard.add(line);
    }
  }

  private static String text(Secret s) {
    return new String(s.chars());
  }

  @Test
  void a_key_of_its_own_wins_over_the_shared_passphrase() {
    Secrets s = new Secrets(null, Interaction.NONE,
        Map.of("TUFSH_PASSPHRASE", "shared", "TUFSH_PASSPHRASE_SNAPSHOT_1", "own"));
    assertEquals("own", text(s.forKey("snapshot-1", "passphrase for key snapshot-1", false)));
    assertEquals("shared", text(s.forKey("timestamp-1", "passphrase for key timestamp-1", false)));
    assertEquals(Map.of("snapshot-1", "TUFSH_PASSPHRASE_SNAPSHOT_1", "timestamp-1", "TUFSH_PASSPHRASE"), s.sources());
  }

  @Test
  void a_passphrase_folder_holds_one_file_per_key_then_falls_back() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("pass.d"));
    PassphraseFiles.write(folder.resolve("bin-n-1"), "bin secret\nignored second line\n");
    Secrets s = new Secrets(folder, Interaction.NONE, Map.of("TUFSH_PASSPHRASE", "shared"));
    assertEquals("bin secret", text(s.forKey("bin-n-1", "passphrase for key bin-n-1", false)));
    assertEquals("shared", text(s.forKey("root-1", "passphrase for key root-1", false)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-r--r--", "rw-rw----", "rw-----w-", "r--r-----"})
  void a_file_others_can_read_or_write_is_refused_naming_it_and_its_mode(String perms) throws Exception {
    Path f = Files.writeString(dir.resolve("pass"), "x\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
    Secrets s = new Secrets(f, Interaction.NONE, Map.of());
    UsageError e = assertThrows(UsageError.class, () -> s.secret("passphrase for key root-1", false));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("chmod 600"), e.getMessage());
    assertTrue(e.getMessage().matches(".*mode 0[0-7]{3}.*"), e.getMessage());
  }

  @Test
  void a_file_in_a_folder_others_may_write_is_refused_naming_the_folder() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Path f = PassphraseFiles.write(shared.resolve("pass"), "x\n");
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    UsageError e = assertThrows(UsageError.class,
        () -> new Secrets(f, Interaction.NONE, Map.of()).secret("passphrase for key root-1", false));
    assertTrue(e.getMessage().startsWith("passphrase file " + f + " is in folder " + shared.toRealPath()
        + ", which group or others may write (mode 0777)"), e.getMessage());
  }

  @Test
  void a_missing_file_says_no_such_file() {
    Path f = dir.resolve("nope");
    UsageError e = assertThrows(UsageError.class,
        () -> new Secrets(f, Interaction.NONE, Map.of()).secret("passphrase", false));
    assertEquals("no such passphrase file: " + f, e.getMessage());
  }

  @Test
  void a_prompt_may_be_asked_again_but_a_file_may_not() throws Exception {
    Person p = new Person("wrong", "right");
    Secrets prompt = new Secrets(null, p, Map.of());
    assertEquals("wrong", text(prompt.secret("passphrase for key root-1", false)));
    assertTrue(prompt.retry("passphrase for key root-1"));
    assertEquals(List.of("wrong passphrase for key root-1; try again"), p.heard);
    assertEquals("right", text(prompt.secret("passphrase for key root-1", false)));

    Secrets file = new Secrets(PassphraseFiles.write(dir.resolve("p"), "x\n"), p, Map.of());
    file.secret("passphrase for key root-1", false);
    assertFalse(file.retry("passphrase for key root-1"), "the same file would give the same answer");
  }

  @Test
  void a_new_passphrase_is_asked_twice_once_per_command_and_wiped_at_close() {
    Person p = new Person("new one", "new one");
    Secrets s = new Secrets(null, p, Map.of());
    Secret a = s.forKey("root-1", "new passphrase for key root-1", true);
    Secret b = s.forKey("targets-1", "new passphrase for key targets-1", true);
    assertArrayEquals(a.chars(), b.chars());
    assertEquals(2, p.asked, "asked and repeated once for both keys");
    assertEquals("the prompt", s.sources().get("targets-1"));
    s.close();
    Person again = new Person("x", "y");
    Secrets next = new Secrets(null, again, Map.of());
    assertThrows(UsageError.class, () -> next.secret("new passphrase", true), "the passphrases do not match");
  }
}
