package dev.tufsh.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.cli.ExitCodes;
import dev.tufsh.testing.Tmux;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One-shot commands on a real terminal (tmux) ask the person there: passphrases without echo
 * (again after a wrong one), confirmations as y/N, with no TUFSH_PASSPHRASE and no --yes.
 */
class OneShotPromptTmuxTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;

  private Map<String, String> env() {
    return Map.of("TERM", "xterm-256color", "NO_COLOR", "1", "TUFSH_HISTORY", dir.resolve("history").toString());
  }

  @Test
  void init_asks_for_a_passphrase_without_echo_and_signing_asks_again_after_a_wrong_one() throws Exception {
    Path repo = dir.resolve("demo");
    try (Tmux t = Tmux.start(dir, Tmux.tufshCommand("--repo", repo.toString(), "init", "--bins", "2"), env())) {
      t.waitFor("New passphrase for key root-1:\\s*$", WAIT);
      t.type("first secret").keys("Enter");
      t.waitFor("Repeat the passphrase:\\s*$", WAIT);
      t.type("first secret").keys("Enter");
      assertEquals(0, t.awaitExit(WAIT), t.screen());
      String screen = t.screen();
      assertFalse(screen.contains("first secret"), "no echo: " + screen);
      assertTrue(screen.contains("for 6 key(s)"), "init says the six keys share it: " + screen);
    }
    try (Tmux t = Tmux.start(dir, Tmux.tufshCommand("--repo", repo.toString(), "resign", "bin-0"), env())) {
      t.waitFor("Passphrase for key bin-n-1:\\s*$", WAIT);
      t.type("not it").keys("Enter");
      t.waitFor("wrong passphrase for key bin-n-1; try again\\s+Passphrase for key bin-n-1:\\s*$", WAIT);
      t.type("first secret").keys("Enter");
      assertEquals(0, t.awaitExit(WAIT), t.screen());
      assertFalse(t.screen().contains("not it"), t.screen());
    }
  }

  @Test
  void a_destructive_command_asks_y_n_and_no_is_exit_5() throws Exception {
    Path repo = dir.resolve("demo");
    Path pass = dev.tufsh.testing.PassphraseFiles.write(dir.resolve("pass"), "p\n");
    dev.tufsh.testing.Cli.run("--repo", repo.toString(), "--passphrase-file", pass.toString(), "init", "--bins", "2")
        .assertOk();
    try (Tmux t = Tmux.start(dir, Tmux.tufshCommand("--repo", repo.toString(), "discard"), env())) {
      t.waitFor("Drop \\d+ staged change\\(s\\)\\? \\[y/N\\]\\s*$", WAIT);
      t.type("n").keys("Enter");
      assertEquals(ExitCodes.NOT_CONFIRMED, t.awaitExit(WAIT), t.screen());
    }
    var status = dev.tufsh.testing.Cli.run("--repo", repo.toString(), "--json", "status");
    assertTrue(dev.tufsh.testing.JsonResults.result(status.out()).get("staged").size() > 0, "still staged");
  }
}
