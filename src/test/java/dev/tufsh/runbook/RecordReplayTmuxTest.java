package dev.tufsh.runbook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.Tmux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session recorded in the real shell (tmux), passphrases typed at the no-echo prompt, replays
 * with {@code tufsh run} on a copy of the starting repository to the same published bytes.
 *
 * <p>Expiries depend on the clock, so both the shell and the replay run with the hidden
 * {@code --now} fixed to one instant: then every metadata file must match byte for byte (ed25519
 * signatures are deterministic), nothing masked.
 */
class RecordReplayTmuxTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PROMPT = "tufsh live(?: \\[[^]]*\\])?>";

  @TempDir Path tmp;

  @Test
  void a_recorded_session_replays_to_the_same_signed_metadata_and_never_records_the_passphrase() throws Exception {
    RunbookRepos repos = RunbookRepos.create(tmp);
    Path live = repos.copy(tmp.resolve("live"));
    Path replay = repos.copy(tmp.resolve("replay"));
    Path book = tmp.resolve("session.tufsh");
    Path history = tmp.resolve("history");
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

    // No --passphrase-file and no TUFSH_PASSPHRASE: the shell must ask.
    List<String> command = new ArrayList<>(List.of("env", "-u", "TUFSH_PASSPHRASE"));
    command.addAll(Tmux.tufshCommand("--now", now, "--repo", live.toString()));
    int asked = 0;
    try (Tmux t = Tmux.start(tmp, command,
        Map.of("TERM", "xterm-256color", "TUFSH_HISTORY", history.toString(), "NO_COLOR", "1"))) {
      t.waitFor(PROMPT + "$", WAIT);
      asked += run(t, "record start " + book);
      asked += run(t, "target add " + repos.targetFile + " --path packages/recorded-1.0.tar.gz");
      asked += run(t, "bump bin-*");
      asked += run(t, "plan");
      asked += run(t, "publish");
      asked += run(t, "record stop");
      t.type("exit").keys("Enter");
      assertEquals(0, t.awaitExit(WAIT));
    }
    assertTrue(asked >= 1, "the shell asked for the passphrase at least once (it asked " + asked + " times)");

    String recorded = Files.readString(book, StandardCharsets.UTF_8);
    for (String line : List.of("target add " + repos.targetFile + " --path packages/recorded-1.0.tar.gz",
        "bump bin-*", "plan", "publish")) {
      assertTrue(recorded.contains("\n" + line + "\n# -> ok\n"), "recorded '" + line + "':\n" + recorded);
    }
    assertFalse(recorded.contains("--repo") || recorded.contains("--now"), "no start-up options:\n" + recorded);
    assertFalse(recorded.contains("record "), recorded);
    for (Path f : List.of(book, history, live.resolve(".tufsh/audit.log"))) {
      assertFalse(Files.readString(f, StandardCharsets.UTF_8).contains(RunbookRepos.PASSPHRASE),
          "the passphrase is not in " + f);
    }
    assertTrue(Files.readString(live.resolve(".tufsh/audit.log")).contains("bump"), "the audit log has the session");

    Cli.Result r = Cli.run("--now", now, "--repo", replay.toString(), "--passphrase-file",
        repos.passphraseFile.toString(), "run", book.toString()).assertOk();
    assertTrue(r.out().contains("4 line(s) run"), r.out());

    List<String> names = files(live.resolve("metadata"));
    assertEquals(names, files(replay.resolve("metadata")), "the same metadata files");
    assertTrue(names.contains("2.bin-f.json") || names.contains("3.bin-f.json"), names.toString());
    for (String name : names) {
      byte[] a = Files.readAllBytes(live.resolve("metadata").resolve(name));
      byte[] b = Files.readAllBytes(replay.resolve("metadata").resolve(name));
      assertArrayEquals(canonicalSigned(a, name), canonicalSigned(b, name), name + ": the same canonical signed");
      if (!name.equals("timestamp.json")) {
        // timestamp.json also carries each workspace's own audit head, which differs by design
        assertArrayEquals(a, b, name + ": the same file, signatures included");
      }
    }
    RunbookRepos.assertSameFiles(RunbookRepos.hashes(live.resolve("targets")),
        RunbookRepos.hashes(replay.resolve("targets")), "targets/");
  }

  /**
   * Clears the screen, types {@code line}, answers every passphrase prompt, and waits for the
   * shell prompt; returns how many passphrases were asked for. The screen never shows one.
   */
  private static int run(Tmux t, String line) throws IOException, InterruptedException {
    t.keys("C-l");
    t.waitFor("\\A" + PROMPT + "$", WAIT);
    t.type(line).keys("Enter");
    int answered = 0;
    long end = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < end) {
      String screen = t.screen();
      assertFalse(screen.contains(RunbookRepos.PASSPHRASE), "the passphrase is never echoed:\n" + screen);
      String[] lines = screen.split("\n");
      String last = lines[lines.length - 1];
      long prompts = screen.lines().filter(l -> l.startsWith("Passphrase for key ")).count();
      if (last.matches("Passphrase for key [^:]+:") && prompts > answered) {
        t.type(RunbookRepos.PASSPHRASE).keys("Enter");
        answered++;
      } else if (lines.length > 1 && last.matches(PROMPT)) {
        assertFalse(screen.contains("tufsh: error") || screen.contains("tufsh: cancelled"), screen);
        return answered;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("'" + line + "' did not finish within " + WAIT + ":\n" + t.screen());
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** The canonical signed part, without the audit head (each workspace anchors its own log). */
  private static byte[] canonicalSigned(byte[] file, String name) {
    var signed = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(file, name).get("signed");
    if (name.equals("timestamp.json")) {
      assertTrue(signed.remove(dev.tufsh.ops.AuditAnchor.KEY) != null, name + " carries the audit head");
    }
    return CanonicalJson.encode(signed);
  }
}
