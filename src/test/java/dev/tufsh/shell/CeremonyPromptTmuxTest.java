package dev.tufsh.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.Cli;
import dev.tufsh.testing.PassphraseFiles;
import dev.tufsh.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A root key holder at a real terminal (tmux): {@code ceremony root sign} shows what changes, asks
 * y/N, then asks for the key's passphrase without echo; nothing typed lands on the screen or in a
 * file of the ceremony.
 */
class CeremonyPromptTmuxTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;

  @Test
  void a_holder_reads_confirms_and_types_the_passphrase_unechoed() throws Exception {
    Path alicePass = PassphraseFiles.write(dir.resolve("alice-pass"), "alice typed this\n");
    Path adminPass = PassphraseFiles.write(dir.resolve("admin-pass"), "admin\n");
    Path keys = dir.resolve("alice-keys");
    Cli.run("--passphrase-file", alicePass.toString(), "key", "generate", "root-alice", "--keystore", keys.toString())
        .assertOk();
    Path pub = Files.writeString(dir.resolve("alice.pub.json"),
        Cli.run("key", "export-public", "root-alice", "--keystore", keys.toString()).assertOk().out());
    Path repo = dir.resolve("repo");
    Cli.inRepo(repo, adminPass, "init", "--bins", "2").assertOk();
    Cli.inRepo(repo, adminPass, "publish").assertOk();
    Path c = dir.resolve("ceremony");
    Cli.inRepo(repo, adminPass, "--yes", "ceremony", "root", "start", c.toString(), "--holder", "alice=" + pub,
        "--role", "root=alice:1").assertOk();

    Map<String, String> env = Map.of("TERM", "xterm-256color", "NO_COLOR", "1", "TUFSH_HISTORY",
        dir.resolve("history").toString());
    try (Tmux t = Tmux.start(dir, Tmux.tufshCommand("ceremony", "root", "sign", c.toString(), "--key", "root-alice",
        "--keystore", keys.toString()), env)) {
      t.waitFor("sign root version 2 with key root-alice \\([0-9a-f]+\\)\\? \\[y/N\\]\\s*$", WAIT);
      String shown = t.screen();
      assertTrue(shown.contains("changes against root version 1:"), shown);
      assertTrue(shown.contains("root: + key "), shown);
      t.type("y").keys("Enter");
      t.waitFor("Passphrase for key root-alice:\\s*$", WAIT);
      t.type("alice typed this").keys("Enter");
      assertEquals(0, t.awaitExit(WAIT), t.screen());
      assertTrue(t.screen().contains("complete: the admin can finish"), t.screen());
      assertFalse(t.screen().contains("alice typed this"), "no echo: " + t.screen());
    }
    for (String f : new String[] {"root.json", "ceremony.json"}) {
      assertFalse(Files.readString(c.resolve(f)).contains("alice typed this"), f);
    }
    assertFalse(Files.exists(dir.resolve("history")) && Files.readString(dir.resolve("history")).contains("typed"));
  }

  @Test
  void the_admin_is_asked_for_holders_keys_threshold_and_expiry_when_the_flags_are_missing() throws Exception {
    Path alicePass = PassphraseFiles.write(dir.resolve("alice-pass"), "alice\n");
    Path adminPass = PassphraseFiles.write(dir.resolve("admin-pass"), "admin\n");
    Path keys = dir.resolve("alice-keys");
    Cli.run("--passphrase-file", alicePass.toString(), "key", "generate", "root-alice", "--keystore", keys.toString())
        .assertOk();
    Path pub = dir.resolve("alice.pub.json");
    Cli.run("key", "export-public", "root-alice", "--keystore", keys.toString(), "--out", pub.toString()).assertOk();
    Path repo = dir.resolve("repo");
    Cli.inRepo(repo, adminPass, "init", "--bins", "2").assertOk();
    Cli.inRepo(repo, adminPass, "publish").assertOk();
    Path c = dir.resolve("asked");
    Map<String, String> env = Map.of("TERM", "xterm-256color", "NO_COLOR", "1", "TUFSH_HISTORY",
        dir.resolve("history").toString());
    try (Tmux t = Tmux.start(dir, Tmux.tufshCommand("--repo", repo.toString(), "--passphrase-file",
        adminPass.toString(), "ceremony", "root", "start", c.toString()), env)) {
      t.waitFor("Holder name \\(empty when done\\):\\s*$", WAIT);
      t.type("alice").keys("Enter");
      t.waitFor("Public key file of alice:\\s*$", WAIT);
      t.type(pub.toString()).keys("Enter");
      t.waitFor("Holder name \\(empty when done\\):\\s*$", WAIT);
      t.keys("Enter");
      t.waitFor("Root keys, comma-separated \\[alice\\]:\\s*$", WAIT);
      t.keys("Enter");
      t.waitFor("Root threshold \\(signatures needed of 1\\):\\s*$", WAIT);
      t.type("1").keys("Enter");
      t.waitFor("Root valid for \\(365d; empty: the root expiry period\\):\\s*$", WAIT);
      t.type("30d").keys("Enter");
      t.waitFor("\\? \\[y/N\\]\\s*$", WAIT);
      t.type("y").keys("Enter");
      assertEquals(0, t.awaitExit(WAIT), t.screen());
      assertTrue(t.screen().contains("root: 1 of alice ("), t.screen());
    }
    var state = dev.tufsh.json.Json.parse(Files.readAllBytes(c.resolve("ceremony.json")), "ceremony.json");
    java.time.Instant expires = java.time.Instant.parse(state.get("expires").asText());
    java.time.Instant in30 = java.time.Instant.now().plus(Duration.ofDays(30));
    assertTrue(Math.abs(Duration.between(expires, in30).toMinutes()) < 10, "valid for 30 days: " + expires);
    assertTrue(state.get("holders").has("alice"), state.toString());

    // Without a terminal the same command is refused with one line, nothing written.
    Cli.Result refused = Cli.inRepo(repo, adminPass, "--yes", "ceremony", "root", "start",
        dir.resolve("not-asked").toString(), "--holder", "alice=" + pub);
    assertEquals(dev.tufsh.cli.ExitCodes.USAGE, refused.status(), refused.toString());
    assertTrue(refused.err().contains("give --role root=KEYS:T"), refused.err());
    assertFalse(Files.exists(dir.resolve("not-asked")));
  }
}
