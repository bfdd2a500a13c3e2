package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.json.Json;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code target add}'s hash algorithms (and the settings default) and its URL-unsafe path warning. */
class TargetAddOptionsTest {
  static final byte[] CONTENT = "pypi names files by blake2b-256\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;
  private Path file;

  @BeforeEach
  void write() throws IOException {
    dev.tufsh.testing.PassphraseFiles.write(tmp.resolve("pass"), Benches.PASSPHRASE + "\n");
    file = tmp.resolve("demo-1.0.tar.gz");
    Files.write(file, CONTENT);
  }

  private Cli.Result tufsh(String... args) {
    List<String> all = new ArrayList<>(List.of("--repo", tmp.resolve("repo").toString(), "--passphrase-file",
        tmp.resolve("pass").toString()));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  static Stream<Arguments> hashChoices() {
    return Stream.of(
        Arguments.of(List.of(), List.of(), List.of("sha256", "sha512")),
        Arguments.of(List.of("--hash", "blake2b-256"), List.of(), List.of("blake2b-256")),
        Arguments.of(List.of("--hash", "blake2b-256,sha256"), List.of(), List.of("blake2b-256", "sha256")),
        Arguments.of(List.of(), List.of("--target-hashes", "blake2b-256,sha256"), List.of("blake2b-256", "sha256")),
        Arguments.of(List.of("--hash", "sha512"), List.of("--target-hashes", "blake2b-256"), List.of("sha512")));
  }

  @ParameterizedTest(name = "add {0} after init {1}")
  @MethodSource("hashChoices")
  void hashes_listed_come_from_the_option_else_the_settings(List<String> add, List<String> init, List<String> want)
      throws IOException {
    List<String> i = new ArrayList<>(List.of("init", "--bins", "16"));
    i.addAll(init);
    tufsh(i.toArray(String[]::new)).assertOk();
    List<String> a = new ArrayList<>(List.of("target", "add", "--path", "packages/demo-1.0.tar.gz"));
    a.addAll(add);
    a.add(file.toString());
    Cli.Result r = tufsh(a.toArray(String[]::new)).assertOk();
    assertEquals(want.contains("blake2b-256"), r.err().contains("warning: listing blake2b-256"), r.err());
    tufsh("publish").assertOk();
    JsonNode hashes = publishedTarget("packages/demo-1.0.tar.gz").get("hashes");
    List<String> names = new ArrayList<>();
    hashes.fieldNames().forEachRemaining(names::add);
    assertEquals(want.stream().sorted().toList(), names.stream().sorted().toList());
    for (String alg : want) {
      assertEquals(HashAlgorithm.require(alg).hex(CONTENT), hashes.get(alg).asText(), alg);
      // Each listed hash names a copy of the file, for consistent-snapshot clients.
      assertTrue(Files.isRegularFile(tmp.resolve("repo/targets/packages/" + hashes.get(alg).asText()
          + ".demo-1.0.tar.gz")), alg);
    }
    tufsh("verify").assertOk();
  }

  private JsonNode publishedTarget(String path) throws IOException {
    Path meta = tmp.resolve("repo/metadata");
    try (Stream<Path> files = Files.list(meta)) {
      for (Path p : files.toList()) {
        JsonNode t = Json.parse(Files.readAllBytes(p), p.toString()).path("signed").path("targets").path(path);
        if (!t.isMissingNode()) {
          return t;
        }
      }
    }
    throw new AssertionError(path + " is in no published file");
  }

  @Test
  void external_target_takes_a_blake2b_hash_and_checks_its_length() {
    tufsh("init", "--bins", "16").assertOk();
    String hex = HashAlgorithm.BLAKE2B_256.hex(CONTENT);
    tufsh("target", "add", "--path", "packages/far-1.0.tar.gz", "--length", "33", "--blake2b-256", hex).assertOk();
    Cli.Result bad = tufsh("target", "add", "--path", "packages/far-2.0.tar.gz", "--length", "33", "--blake2b-256",
        "abcd");
    assertEquals(ExitCodes.USAGE, bad.status(), bad.toString());
    assertTrue(bad.err().contains("blake2b-256 must be 64 lowercase hex digits"), bad.err());
    Cli.Result unknown = tufsh("target", "add", "--hash", "md5", file.toString());
    assertEquals(ExitCodes.USAGE, unknown.status(), unknown.toString());
    assertTrue(unknown.err().contains("--hash: unknown algorithm 'md5' (use sha256, sha512, blake2b-256)"),
        unknown.err());
  }

  @Test
  void url_unsafe_paths_warn_and_strict_refuses() throws IOException {
    tufsh("init", "--bins", "16").assertOk();
    for (String path : List.of("packages/a%20b-1.0.tar.gz", "packages/what?-1.0.tar.gz", "packages/c#1.tar.gz")) {
      Cli.Result strict = tufsh("target", "add", "--strict", "--path", path, file.toString());
      assertEquals(ExitCodes.USAGE, strict.status(), strict.toString());
      assertTrue(strict.err().contains("python-tuf and go-tuf put paths into URLs unescaped")
          && strict.err().contains("(refused by --strict)"), strict.err());
      assertEquals(1, strict.err().strip().lines().count(), strict.err());
      Cli.Result warned = tufsh("--json", "target", "add", "--path", path, file.toString()).assertOk();
      assertTrue(warned.err().startsWith("warning: target path '" + path + "' contains '"), warned.err());
      JsonNode w = dev.tufsh.testing.JsonResults.result(warned.out()).get("warnings");
      assertEquals(1, w.size(), warned.out());
    }
    Cli.Result plain = tufsh("target", "add", "--path", "packages/plain-1.0.tar.gz", file.toString()).assertOk();
    assertFalse(plain.err().contains("warning"), plain.err());
  }
}
