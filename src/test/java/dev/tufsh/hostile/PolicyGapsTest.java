package dev.tufsh.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.PassphraseFiles;
import dev.tufsh.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The smaller gaps of issue 12: a revoked key trusted again, expiries no policy allows, weak RSA
 * keys, a damaged staging area, files too large to read whole. Each is one line and an exit code.
 */
class PolicyGapsTest {
  @TempDir Path tmp;
  Path repo;
  Path pass;

  @BeforeEach
  void setUp() throws Exception {
    repo = tmp.resolve("repo");
    pass = PassphraseFiles.write(tmp.resolve("pass"), "s3cret passphrase\n");
  }

  private Cli.Result run(String... words) {
    return Cli.inRepo(repo, pass, words);
  }

  private void oneLine(Cli.Result r, int status, String contains) {
    assertEquals(status, r.status(), r.err());
    // a parse-time usage error adds picocli's "Try 'help ...'" line
    assertTrue(r.err().strip().lines().count() <= (status == 2 ? 2 : 1), r.err());
    assertTrue(r.err().lines().findFirst().orElse("").contains(contains), r.err());
  }

  private void published() {
    run("init", "--bins", "4").assertOk();
    run("publish").assertOk();
  }

  @Test
  void a_revoked_key_is_not_trusted_again_without_force() {
    published();
    run("key", "generate", "bin-n-2").assertOk();
    run("--yes", "revoke", "bin-n-1", "--replace-with", "bin-n-2").assertOk();
    run("publish").assertOk();
    oneLine(run("rotate", "bin-0", "--new", "bin-n-1"), 2, "was revoked on");
    run("rotate", "bin-0", "--new", "bin-n-1", "--force").assertOk();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bump timestamp --to 9999-12-31|2|the policy for timestamp is 5m to 31d",
      "bump timestamp --by 1s|2|the policy for timestamp is 5m to 31d",
      "bump root --by 6y|2|the policy for root is 1h to 1830d",
      "bump timestamp --by -5d|2|is not a duration",
      "bump timestamp --by PT-5H|2|is not a positive duration",
      "bump timestamp --by 99999999999999999999d|2|too long a duration",
      "bump timestamp --by 9999999999y|2|too long a duration"})
  void expiries_outside_the_policy_are_usage_errors(String words, int status, String message) {
    published();
    oneLine(run(words.split(" ")), status, message);
  }

  @Test
  void init_refuses_an_expiry_outside_the_policy() {
    oneLine(run("init", "--bins", "4", "--expiry", "timestamp=1s"), 2, "the policy for timestamp is 5m to 31d");
    assertTrue(Files.notExists(repo), "a refused init leaves nothing behind");
  }

  @Test
  void rsa_below_2048_bits_is_refused_at_import() throws Exception {
    published();
    Path pem = tmp.resolve("rsa1024.pem");
    Process p = new ProcessBuilder("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024",
        "-out", pem.toString()).redirectErrorStream(true).start();
    assertEquals(0, p.waitFor());
    oneLine(run("key", "import", pem.toString(), "--name", "weak"), 1, "shorter than 2048 bits");
    assertTrue(run("key", "list").assertOk().out().lines().noneMatch(l -> l.startsWith("weak")));
  }

  @Test
  void discard_works_on_a_damaged_staging_area() throws Exception {
    published();
    run("bump", "timestamp", "--by", "2d").assertOk();
    try (var files = Files.list(repo.resolve(".tufsh/staged"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.writeString(f, "{damaged\n");
      }
    }
    assertEquals(1, run("plan").status(), "a damaged staging area is an error");
    run("--yes", "discard").assertOk();
    run("plan").assertOk();
  }

  @Test
  void a_file_of_several_gib_is_a_one_line_error() throws Exception {
    published();
    Path huge = tmp.resolve("huge.tufsh");
    try (var f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(3L << 30); // sparse: no disk used
    }
    oneLine(run("run", huge.toString()), 1, "more than the");
    oneLine(run("key", "import", huge.toString(), "--name", "big"), 1, "larger than any key file");
  }

  @Test
  void plan_verifies_staged_signatures_and_names_one_that_no_longer_verifies() throws Exception {
    published();
    run("bump", "bin-0", "--by", "2d").assertOk();
    Path staged = repo.resolve(".tufsh/staged/roles.log");
    String text = Files.readString(staged);
    int at = text.indexOf("\"sig\":\"") + 7;
    char c = text.charAt(at);
    Files.writeString(staged, text.substring(0, at) + (c == '0' ? '1' : '0') + text.substring(at + 1));
    Cli.Result human = run("plan");
    assertEquals(dev.tufsh.cli.ExitCodes.ATTENTION, human.status(), "a plan short of a threshold needs attention");
    assertTrue(human.out().lines().anyMatch(l -> l.startsWith("bin-0") && l.contains("SHORT") && l.contains("invalid")),
        human.out());
    var json = dev.tufsh.testing.JsonResults.result(run("--json", "plan").out());
    assertTrue(!json.get("complete").asBoolean());
    var bin0 = java.util.stream.StreamSupport.stream(json.get("roles").spliterator(), false)
        .filter(r -> r.get("role").asText().equals("bin-0")).findFirst().orElseThrow();
    assertEquals(0, bin0.get("signatures").asInt());
    assertEquals(1, bin0.get("invalid_signatures").size());
    assertEquals(1, run("publish").status(), "publish refuses it too");
  }
}
