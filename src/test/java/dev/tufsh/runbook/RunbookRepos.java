package dev.tufsh.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.testing.Cli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A published 16-bin repository with one target, made once per test class through the CLI and
 * copied for each test (init signs with scrypt-protected keys, copying is cheap).
 */
final class RunbookRepos {
  static final String PASSPHRASE = "correct horse battery staple";
  static final String TARGET = "packages/hello-1.0.tar.gz";
  static final byte[] CONTENT = "hello from a runbook\n".getBytes(StandardCharsets.UTF_8);

  final Path base;
  final Path passphraseFile;
  final Path targetFile;

  private RunbookRepos(Path base, Path passphraseFile, Path targetFile) {
    this.base = base;
    this.passphraseFile = passphraseFile;
    this.targetFile = targetFile;
  }

  /** Creates {@code dir/base}: init --bins 16, one target, published. */
  static RunbookRepos create(Path dir) throws IOException {
    Path pf = dir.resolve("passphrase");
    dev.tufsh.testing.PassphraseFiles.write(pf, PASSPHRASE + "\n");
    Path file = dir.resolve("files").resolve("hello-1.0.tar.gz");
    Files.createDirectories(file.getParent());
    Files.write(file, CONTENT);
    Path base = dir.resolve("base");
    cli(base, pf, "init", "--bins", "16").assertOk();
    cli(base, pf, "publish").assertOk();
    cli(base, pf, "target", "add", file.toString(), "--path", TARGET).assertOk();
    cli(base, pf, "publish").assertOk();
    return new RunbookRepos(base, pf, file);
  }

  static Cli.Result cli(Path repo, Path passphraseFile, String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "--repo";
    all[1] = repo.toString();
    all[2] = "--passphrase-file";
    all[3] = passphraseFile.toString();
    System.arraycopy(args, 0, all, 4, args.length);
    return Cli.run(all);
  }

  Cli.Result cli(Path repo, String... args) {
    return cli(repo, passphraseFile, args);
  }

  /** A copy of the base repository at {@code to}, private state and audit log included. */
  Path copy(Path to) {
    copyTree(base, to);
    return to;
  }

  static void copyTree(Path from, Path to) {
    try {
      dev.tufsh.testing.Trees.copy(from, to);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }


  /** Every file below {@code dir} (hidden ones included) by relative path, with its SHA-256. */
  static Map<String, String> hashes(Path dir) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), Hex.encode(Crypto.sha256(Files.readAllBytes(p))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static void assertSameFiles(Map<String, String> before, Map<String, String> after, String what) {
    assertEquals(before.keySet(), after.keySet(), what + ": the same files");
    before.forEach((f, h) -> assertEquals(h, after.get(f), what + ": " + f + " unchanged"));
  }
}
