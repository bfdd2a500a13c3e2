package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.Cli;
import dev.tufsh.testing.CliRepo;
import dev.tufsh.testing.PassphraseFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A command unlocks only the keys it signs with. The repository's six keys share one passphrase,
 * but each command gets a passphrase folder holding only the files of the keys it should sign with
 * and no terminal: asking for any other key fails the command. Leaving out one of those files fails
 * it too, naming that key, so the folder is what the command reads.
 */
class UnlockScopeTest {
  static final String PASS = "one passphrase for all six keys";
  @TempDir static Path tmp;
  static Path base;

  /** A command line and the keys it signs with. */
  record Row(String name, String line, List<String> keys) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Row> rows() {
    String add = "target add --path up/new-1.0.tar.gz --length 1234 --sha256 " + "ab".repeat(32);
    return List.of(
        new Row("one upload", add + "; publish", List.of("bin-n-1", "snapshot-1", "timestamp-1")),
        new Row("the daily job", "bump 'bin-*'; publish", List.of("bin-n-1", "snapshot-1", "timestamp-1")),
        new Row("rotate timestamp", "rotate timestamp; publish", List.of("root-1", "timestamp-2", "snapshot-1")),
        new Row("the bin-key incident", "revoke bin-n-1 --generate; publish",
            List.of("bins-1", "bin-n-2", "snapshot-1", "timestamp-1")));
  }

  @BeforeAll
  static void repository() {
    base = CliRepo.published(tmp.resolve("base"), tmp.resolve("all"), PASS, 4, null).repo();
  }

  @ParameterizedTest
  @MethodSource("rows")
  void a_command_asks_only_for_the_keys_it_signs_with(Row row) throws Exception {
    Cli.Result ok = run(row, row.name() + "-ok", row.keys());
    ok.assertOk();
    // Without the last key's file the command stops at that key, exit 1, and says which.
    String missing = row.keys().get(row.keys().size() - 1);
    Cli.Result short1 = run(row, row.name() + "-short", row.keys().subList(0, row.keys().size() - 1));
    assertEquals(ExitCodes.FAILED, short1.status(), short1.toString());
    assertTrue(short1.err().contains("key " + missing), short1.err());
    assertTrue(!short1.err().contains(PASS) && !short1.out().contains(PASS), "the passphrase is never shown");
  }

  @Test
  void a_wrong_passphrase_fails_in_the_same_words_when_its_group_is_already_open() throws Exception {
    // bin-n-1 and snapshot-1 open the group all six keys share; timestamp-1's answer is wrong.
    Row upload = rows().get(0);
    Path repo = tmp.resolve("wrong");
    Path folder = tmp.resolve("wrong-pass");
    Cli.Result r = run(upload, "wrong", List.of("bin-n-1", "snapshot-1"));
    PassphraseFiles.write(folder.resolve("timestamp-1"), "not the passphrase\n");
    byte[] published = Files.readAllBytes(repo.resolve("metadata/timestamp.json"));
    r = Cli.run("--repo", repo.toString(), "--passphrase-file", folder.toString(), "--yes", "publish");
    assertEquals(ExitCodes.FAILED, r.status(), r.toString());
    assertEquals("tufsh: error: wrong passphrase for key timestamp-1 ("
        + repo.resolve(".tufsh/keys/timestamp-1.key.json") + ")\n", r.err());
    assertTrue(Arrays.equals(published, Files.readAllBytes(repo.resolve("metadata/timestamp.json"))),
        "nothing was published");
  }

  private static Cli.Result run(Row row, String dir, List<String> keys) throws Exception {
    Path repo = tmp.resolve(dir.replace(' ', '-'));
    Process cp = new ProcessBuilder("cp", "-a", base.toString(), repo.toString()).inheritIO().start();
    assertEquals(0, cp.waitFor());
    Path folder = Files.createDirectories(tmp.resolve(dir.replace(' ', '-') + "-pass"));
    for (String k : keys) {
      PassphraseFiles.write(folder.resolve(k), PASS + "\n");
    }
    List<String> args = new ArrayList<>(List.of("--repo", repo.toString(), "--passphrase-file", folder.toString(),
        "--yes", "-c", row.line()));
    return Cli.run(args.toArray(String[]::new));
  }
}
