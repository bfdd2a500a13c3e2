package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.Cli;
import dev.tufsh.testing.CliRepo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A staged log written by a newer tufsh (a format this one does not read, with a record kind it
 * does not know) is refused by every command that reads or writes staging, as a newer format and
 * never as damage, and nothing of it is changed: not by a write, not by discard.
 */
class NewerFormatTest {
  @TempDir static Path dir;
  static CliRepo repo;
  static Path log;

  @BeforeAll
  static void setUp() throws IOException {
    repo = CliRepo.published(dir, 16, null);
    repo.run("bump", "bin-0").assertOk(); // something staged: the log exists
    log = repo.repo().resolve(".tufsh/staged/roles.log");
    String text = Files.readString(log, StandardCharsets.US_ASCII);
    String first = text.substring(0, text.indexOf('\n'));
    assertTrue(first.startsWith("tufsh staged log 1 "), first);
    // What a format-2 writer would leave: its version after the id, and a record kind format 1 lacks.
    String newer = first.replace("tufsh staged log 1 ", "tufsh staged log 2 ") + " tufsh 9.1.0"
        + text.substring(text.indexOf('\n')) + "unsigned 62696e2d31 2\n";
    Files.writeString(log, newer, StandardCharsets.US_ASCII);
  }

  static Stream<List<String>> commands() {
    return Stream.of(List.of("status"), List.of("plan"), List.of("bump", "bin-1"), List.of("publish"),
        List.of("-y", "discard"), List.of("-c", "bump bin-2; publish"));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void refusedNamingTheFileAndItsWriterNothingChanged(List<String> command) throws IOException {
    Map<String, String> before = tree(repo.repo());
    Cli.Result r = repo.run(command.toArray(String[]::new));
    assertEquals(ExitCodes.FAILED, r.status(), r.err() + r.out());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.contains(log + " was written by a newer tufsh (tufsh 9.1.0, staged log format 2; this tufsh"
        + " reads format 1): upgrade tufsh"), err);
    assertFalse(err.contains("damaged"), err);
    assertEquals(before, tree(repo.repo()), "nothing staged or published changed");
  }

  /** A JSON state file under .tufsh/ as a format-2 writer would leave it, and a command that reads it. */
  record JsonFile(String file, String format2, List<String> command) {
    @Override
    public String toString() {
      return file;
    }
  }

  static Stream<JsonFile> jsonFiles() {
    String by = "\"format\": 2, \"written_by\": \"tufsh 9.1.0\"";
    return Stream.of(
        new JsonFile(".tufsh/settings.json", "{" + by + ", \"expiry\": {}}", List.of("status")),
        new JsonFile(".tufsh/high-water.json", "{" + by + ", \"roles\": {}}", List.of("-c", "bump bin-0; publish")),
        new JsonFile(".tufsh/keys.json", "{" + by + ", \"keys\": []}", List.of("key", "list")),
        new JsonFile(".tufsh/revoked.json", "{" + by + ", \"keys\": {}}",
            List.of("-y", "revoke", "bin-n-1", "--generate")),
        new JsonFile(".tufsh/staged/files.json", "{" + by + ", \"files\": []}", List.of("status")),
        new JsonFile(".tufsh/keys/bin-n-1.key.json", null, List.of("bump", "bin-0")));
  }

  @ParameterizedTest
  @MethodSource("jsonFiles")
  void aJsonStateFileOfANewerFormatIsRefusedAsOne(JsonFile row) throws IOException {
    CliRepo r = CliRepo.published(Files.createDirectories(dir.resolve("json-" + row.file().replace('/', '_'))), 16,
        null);
    Path f = r.repo().resolve(row.file());
    String text = row.format2() != null ? row.format2()
        : Files.readString(f).replace("\"tufsh-key/1\",", "\"tufsh-key/2\", \"written_by\": \"tufsh 9.1.0\",");
    Files.writeString(f, text);
    Cli.Result res = r.run(row.command().toArray(String[]::new));
    assertEquals(ExitCodes.FAILED, res.status(), res.err() + res.out());
    assertTrue(res.err().strip().lines().count() == 1
        && res.err().contains(f + " was written by a newer tufsh (tufsh 9.1.0, "), res.err());
    assertEquals(text, Files.readString(f), "the file is left as it is");
  }

  @Test
  void aFormatOneLogStillReads() throws IOException {
    CliRepo old = CliRepo.published(Files.createDirectories(dir.resolve("other")), 16, null);
    old.run("bump", "bin-3").assertOk();
    assertTrue(old.run("status").assertOk().out().contains("staged"));
    old.run("publish").assertOk();
  }

  /** Every file under metadata/ and .tufsh/ but the audit log and lock (which record the attempt), by content. */
  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (var walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String rel = root.relativize(p).toString();
        if (Files.isRegularFile(p) && !rel.endsWith("audit.log") && !rel.endsWith("lock")
            && !rel.endsWith(".index") && !rel.startsWith(".tufsh/high-water")) {
          out.put(rel, dev.tufsh.crypto.Hex.encode(Files.readAllBytes(p)) + " "
              + java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
      }
    }
    return out;
  }
}
