package dev.tufsh.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REPL driven through a real terminal (tmux), as a person would use it. */
class ReplTmuxTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private Map<String, String> env() {
    return Map.of("TERM", "xterm-256color", "TUFSH_HISTORY", dir.resolve("history").toString(), "NO_COLOR", "1");
  }

  @Test
  void tab_completes_a_command_and_help_prints_usage_then_ctrl_d_leaves() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("pypi-prod"));
    try (Tmux t = Tmux.start(dir, Tmux.tufshCommand("--repo", repo.toString()), env())) {
      t.waitFor("tufsh pypi-prod>$", WAIT);
      t.type("hel").keys("Tab");
      t.waitFor("tufsh pypi-prod> help$", WAIT);
      t.keys("Enter");
      // The shell's help: the commands, then the shell's own keys (not the one-shot synopsis).
      String screen = t.waitForScrollback("Commands .*In the shell:.*Ctrl-R.*tufsh pypi-prod>$", WAIT);
      assertTrue(screen.contains("Tab") && screen.contains("exit"), screen);
      t.type("no-such-command").keys("Enter");
      screen = t.waitFor("unknown command 'no-such-command'.*tufsh pypi-prod>$", WAIT);
      t.keys("C-d");
      assertEquals(2, t.awaitExit(WAIT), "Ctrl-D leaves; the last command's status is the shell's");
    }
    String history = Files.readString(dir.resolve("history"));
    assertTrue(history.contains("help"), history);
    // A line that is not a command (a passphrase typed at the wrong prompt, say) is never kept.
    assertFalse(history.contains("no-such-command"), history);
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("history"))), "history is owner-only");
  }

  @Test
  void ctrl_c_at_the_prompt_clears_the_line_and_keeps_the_shell() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("r"));
    try (Tmux t = Tmux.start(dir, Tmux.tufshCommand("--repo", repo.toString()), env())) {
      t.waitFor("tufsh r>$", WAIT);
      t.type("half typed");
      t.waitFor("tufsh r> half typed$", WAIT);
      t.keys("C-c");
      String screen = t.waitFor("tufsh r> half typed\\s*\\ntufsh r>$", WAIT);
      assertFalse(t.exited(), screen);
      t.type("exit").keys("Enter");
      assertEquals(0, t.awaitExit(WAIT));
    }
  }

  @Test
  void a_real_repository_session_with_role_completion_a_passphrase_prompt_and_the_staged_count() throws Exception {
    Path repo = dir.resolve("pypi-prod");
    try (Tmux t = Tmux.start(dir, Tmux.tufshCommand("--repo", repo.toString()), env())) {
      t.waitFor("tufsh pypi-prod>$", WAIT);
      t.type("init --bins 4").keys("Enter");
      t.waitFor("[Pp]assphrase for key \\S+:\\s*$", WAIT);
      t.type("swordfish").keys("Enter");
      t.waitFor("Repeat the passphrase:\\s*$", WAIT);
      t.type("swordfish").keys("Enter");
      String screen = t.waitFor("tufsh pypi-prod \\[7 staged\\]>$", WAIT);
      assertFalse(screen.contains("swordfish"), "the passphrase is never echoed: " + screen);
      // Keys made in this session are unlocked already: publish signs without asking.
      t.type("publish").keys("Enter");
      t.waitFor("published 9 role\\(s\\).*\\ntufsh pypi-prod>$", WAIT);
      t.type("bump timestamp").keys("Enter");
      t.type("publish").keys("Enter");
      t.waitFor("published 1 role\\(s\\): timestamp 2.*\\ntufsh pypi-prod>$", WAIT);
      t.type("rotate time").keys("Tab");
      t.waitFor("tufsh pypi-prod> rotate timestamp\\s*$", WAIT);
      t.keys("C-u");
      t.type("bump bin-").keys("Tab");
      screen = t.waitFor("bin-\\*.*bin-0.*bin-3", WAIT);
      t.keys("C-u");
      t.type("exit").keys("Enter");
      assertEquals(0, t.awaitExit(WAIT));
    }
    // A new session must unlock the key again, at a no-echo prompt.
    try (Tmux t = Tmux.start(dir, Tmux.tufshCommand("--repo", repo.toString()), env())) {
      t.waitFor("tufsh pypi-prod>$", WAIT);
      t.type("bump timestamp").keys("Enter");
      t.waitFor("Passphrase for key timestamp-1:\\s*$", WAIT);
      t.type("swordfish").keys("Enter");
      String screen = t.waitFor("tufsh pypi-prod \\[1 staged\\]>$", WAIT);
      assertFalse(screen.contains("swordfish"), screen);
      t.keys("C-d");
      t.waitFor("staged change", WAIT);
    }
    String history = Files.readString(dir.resolve("history"));
    assertTrue(history.contains("init --bins 4"), history);
    assertFalse(history.contains("swordfish"), "secrets never reach history: " + history);
  }
}
