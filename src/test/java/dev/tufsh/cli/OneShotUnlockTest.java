package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.Cli;
import dev.tufsh.testing.CliRepo;
import dev.tufsh.testing.PassphraseFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A one-shot upload with a passphrase file unlocks its keys ahead, on another thread, while the
 * target is routed and staged. What fails there fails the command exactly as it did when the
 * unlock came at the first signature (the messages and codes below are the ones main at 381654c
 * prints), and nothing is published.
 */
class OneShotUnlockTest {
  static final String PASS = "the one passphrase";
  static final String UPLOAD = "target add --path up/new-1.0.tar.gz --length 1234 --sha256 " + "ab".repeat(32)
      + "; publish";
  @TempDir static Path tmp;
  static Path base;
  static Path good;

  /** A case: which key file to remove (or none), the passphrase given, the exit code and the error (a regex). */
  record Row(String name, String removeKey, String passphrase, int status, String error) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Row> rows() {
    return List.of(
        new Row("it publishes", null, PASS, ExitCodes.OK, ""),
        new Row("a wrong passphrase", null, "not it", ExitCodes.FAILED,
            "tufsh: error: wrong passphrase for key bin-n-1 \\(REPO/\\.tufsh/keys/bin-n-1\\.key\\.json\\)\n"),
        new Row("the bin key's file is missing", "bin-n-1", PASS, ExitCodes.FAILED,
            "tufsh: error: role 'bin-[0-3]' has 0 of 1 required signatures; missing signatures from keys"
            + " [0-9a-f]{16}\n"),
        new Row("the snapshot key's file is missing", "snapshot-1", PASS, ExitCodes.FAILED,
            "tufsh: error: role 'snapshot' has 0 of 1 required signatures; missing signatures from keys"
            + " [0-9a-f]{16}\n"));
  }

  @BeforeAll
  static void repository() {
    CliRepo r = CliRepo.published(tmp.resolve("base"), tmp.resolve("pass"), PASS, 4, null);
    base = r.repo();
    good = r.pass();
  }

  @ParameterizedTest
  @MethodSource("rows")
  void fails_as_before_and_publishes_nothing(Row row) throws Exception {
    Path repo = tmp.resolve(row.name().replace(' ', '-').replace("'", ""));
    Process cp = new ProcessBuilder("cp", "-a", base.toString(), repo.toString()).inheritIO().start();
    assertEquals(0, cp.waitFor());
    if (row.removeKey() != null) {
      Files.delete(repo.resolve(".tufsh/keys/" + row.removeKey() + ".key.json"));
    }
    Path pass = row.passphrase().equals(PASS) ? good
        : PassphraseFiles.write(tmp.resolve(repo.getFileName() + "-pass"), row.passphrase() + "\n");
    byte[] published = Files.readAllBytes(repo.resolve("metadata/timestamp.json"));

    Cli.Result r = Cli.run("--repo", repo.toString(), "--passphrase-file", pass.toString(), "--yes", "-c", UPLOAD);

    assertEquals(row.status(), r.status(), r.toString());
    String expected = row.error().replace("REPO", java.util.regex.Pattern.quote(repo.toString()));
    if (row.status() == ExitCodes.OK) {
      assertEquals("", r.err());
      assertTrue(!Arrays.equals(published, Files.readAllBytes(repo.resolve("metadata/timestamp.json"))));
      return;
    }
    assertTrue(java.util.regex.Pattern.compile(expected).matcher(r.err()).matches(), r.err());
    assertTrue(Arrays.equals(published, Files.readAllBytes(repo.resolve("metadata/timestamp.json"))),
        "nothing was published");
    assertTrue(!r.err().contains(PASS) && !r.out().contains(PASS), "the passphrase is never shown");
  }
}
