package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Resign;
import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.TargetSpec;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the CLI, one row per mistake: each gets a one-line error that names what is
 * wrong and where, a non-zero exit status, and leaves the published metadata byte for byte as it
 * was.
 */
class EngineErrorsTest {
  static final String SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @TempDir static Path shared;
  static Path base;
  static Path pass;
  static Path wrongPass;

  /** What a case does before the command (untimed, may publish), given the repository folder. */
  interface Setup {
    void apply(Path repo) throws Exception;
  }

  /** One row: its setup, the command (REPO stands for the folder), and what the error must say. */
  record Case(String name, Setup setup, List<String> command, int status, List<String> says) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void publishedRepository() throws IOException {
    base = shared.resolve("base");
    Workbench b = Benches.at(base);
    Init.run(b, Init.Request.defaults().withBins(16));
    Path f = shared.resolve("pkg-1.0.tar.gz");
    Files.writeString(f, "payload", StandardCharsets.UTF_8);
    TargetOps.add(b, List.of(TargetSpec.ofFile("packages/pkg-1.0.tar.gz", f)));
    Publishing.publish(b);
    pass = shared.resolve("pass");
    dev.tufsh.testing.PassphraseFiles.write(pass, Benches.PASSPHRASE + "\n");
    wrongPass = shared.resolve("wrong-pass");
    dev.tufsh.testing.PassphraseFiles.write(wrongPass, "not the passphrase\n");
  }

  static Stream<Case> cases() {
    Setup none = repo -> {};
    List<Case> c = new ArrayList<>();
    c.add(new Case("unknown role", none, List.of("resign", "nope"), 2, List.of("unknown role 'nope'")));
    c.add(new Case("unknown key", none, List.of("--yes", "revoke", "deadbeefdeadbeef"), 2,
        List.of("no key 'deadbeefdeadbeef'", "trusted by this repository")));
    c.add(new Case("dot-dot target path", none,
        List.of("target", "add", "--path", "../x", "--length", "3", "--sha256", SHA), 1,
        List.of("target path '../x'", "'..' segment")));
    c.add(new Case("absolute target path", none,
        List.of("target", "add", "--path", "/abs", "--length", "3", "--sha256", SHA), 1,
        List.of("target path '/abs' is absolute")));
    c.add(new Case("backslash in target path", none,
        List.of("target", "add", "--path", "a\\b", "--length", "3", "--sha256", SHA), 1,
        List.of("contains a backslash")));
    c.add(new Case("NUL in a --list path", repo -> Files.write(repo.resolveSibling("list.txt"),
        ("ok/a.whl 3 " + SHA + "\nbad\0name.whl 3 " + SHA + "\n").getBytes(StandardCharsets.UTF_8)),
        List.of("target", "add", "--list", "LIST"), 1, List.of("contains a control character")));
    c.add(new Case("bad duration", none, List.of("bump", "bin-0", "--by", "7x"), 2,
        List.of("'7x' is not a duration")));
    c.add(new Case("bins not a power of two", none, List.of("--repo", "NEW", "init", "--bins", "1000"), 2,
        List.of("--bins must be a power of two", "1000")));
    c.add(new Case("wrong passphrase", none, List.of("--passphrase-file", "WRONG", "resign", "bin-0"), 1,
        List.of("wrong passphrase for key bin-n-1", "bin-n-1.key.json")));
    c.add(new Case("corrupt staged file", repo -> {
      Resign.resign(Benches.at(repo), new Resign.Selection(List.of("bin-0"), null, null));
      Path staged = repo.resolve(".tufsh/staged/roles.log");
      String s = Files.readString(staged, StandardCharsets.UTF_8);
      Files.writeString(staged, s.replaceFirst("\"_type\"", "\"_typo\""), StandardCharsets.UTF_8);
    }, List.of("publish"), 1, List.of("staged bin-0", "_type")));
    c.add(new Case("malformed metadata file", repo -> Files.writeString(repo.resolve("metadata/1.bins.json"),
        "{\"signed\": [", StandardCharsets.UTF_8), List.of("verify"), 1, List.of("1.bins.json")));
    c.add(new Case("expired bin", repo -> {
      // Signed an hour ago for the shortest time the policy allows (5 minutes): expired now, no sleep.
      String past = java.time.Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
          .toString();
      Cli.run("--repo", repo.toString(), "--passphrase-file", pass.toString(), "--now", past, "bump", "bin-3", "--by",
          "5m", "--allow-shorter").assertOk();
      Cli.run("--repo", repo.toString(), "--passphrase-file", pass.toString(), "--now", past, "publish").assertOk();
    }, List.of("verify"), 1, List.of("bin-3", "expired")));
    c.add(readOnlyMetadata());
    return c.stream();
  }

  /**
   * Publishing into a folder it cannot write. chmod stops writes only for other users than root;
   * as root (CI containers) a plain file stands where publish must create a folder instead.
   */
  static Case readOnlyMetadata() {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root) {
      return new Case("read-only metadata folder", repo -> {
        Resign.resign(Benches.at(repo), new Resign.Selection(List.of("bin-0"), null, null));
        Files.setPosixFilePermissions(repo.resolve("metadata"), PosixFilePermissions.fromString("r-xr-xr-x"));
      }, List.of("publish"), 1, List.of("cannot write", "metadata", "permission denied"));
    }
    return new Case("a file where publish needs a folder", repo -> {
      Path f = repo.resolveSibling("new-1.0.tar.gz");
      Files.writeString(f, "new", StandardCharsets.UTF_8);
      TargetOps.add(Benches.at(repo), List.of(TargetSpec.ofFile("newdir/new-1.0.tar.gz", f)));
      Files.writeString(repo.resolve("targets/newdir"), "in the way", StandardCharsets.UTF_8);
    }, List.of("publish"), 1, List.of("targets/newdir"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void bad_input_gets_one_line_and_changes_nothing(Case c, @TempDir Path tmp) throws Exception {
    Path repo = tmp.resolve("repo");
    copy(base, repo);
    c.setup().apply(repo);
    String before = digest(repo.resolve("metadata"));
    List<String> args = new ArrayList<>();
    if (!c.command().contains("--repo")) {
      args.addAll(List.of("--repo", repo.toString()));
    }
    if (!c.command().contains("--passphrase-file")) {
      args.addAll(List.of("--passphrase-file", pass.toString()));
    }
    for (String a : c.command()) {
      args.add(switch (a) {
        case "NEW" -> tmp.resolve("new").toString();
        case "LIST" -> tmp.resolve("list.txt").toString();
        case "WRONG" -> wrongPass.toString();
        default -> a;
      });
    }
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    try {
      assertNotEquals(0, r.status(), c + ": " + r);
      assertEquals(c.status(), r.status(), c + ": " + r);
      List<String> lines = r.err().strip().lines().toList();
      assertTrue(lines.size() == 1 || (lines.size() == 2 && lines.get(1).startsWith("Try 'help")),
          c + ": one line (plus a usage hint for usage errors): " + r.err());
      for (String s : c.says()) {
        assertTrue(lines.get(0).contains(s), c + ": the error says '" + s + "': " + lines.get(0));
      }
      assertFalse(lines.get(0).contains("internal error"), lines.get(0));
      assertEquals(before, digest(repo.resolve("metadata")), c + ": metadata/ changed");
      assertFalse(Files.exists(tmp.resolve("new")), c + ": a refused init left a folder behind");
    } finally {
      repo.resolve("metadata").toFile().setWritable(true, true);
    }
  }

  /** SHA-256 over every file name and content under {@code dir}, in name order. */
  static String digest(Path dir) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted().toList()) {
        all.write(dir.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
        all.write(0);
        if (Files.isRegularFile(p)) {
          all.write(Files.readAllBytes(p));
        }
        all.write(0);
      }
    }
    return Hex.encode(Crypto.sha256(all.toByteArray()));
  }

  static void copy(Path from, Path to) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start();
    assertEquals(0, p.waitFor(), "cp -a");
  }
}
