package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.TargetSpec;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Tmux;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C stops {@code verify} in the middle of its walk over the bins, both as SIGINT to a one-shot
 * command and as Ctrl-C in tufsh's shell: one line saying how far it got, exit 130 (the shell
 * stays). The child JVMs verify a 256-bin repository with BouncyCastle kept in the interpreter
 * (every Ed25519 check then takes milliseconds: seconds of walk without a large repository to
 * build), and log class loading to a file: the walk is among the bins once the record of a
 * checked bin is loaded. The message's counts show it stopped there: targets, bins and some bins
 * checked, the rest not started.
 */
class VerifyInterruptTest {
  @TempDir static Path dir;
  static Path repo;

  /** Slow signature checks (BouncyCastle never compiled) and the class-load log that shows the walk began. */
  private static List<String> slowJvm(Path classLog) {
    return List.of("-Xmx256m", "-XX:CompileCommand=quiet", "-XX:CompileCommand=exclude,org/bouncycastle/*.*",
        "-Xlog:class+load=info:file=" + classLog);
  }

  /** Loaded when the walk checks the target files of its first bin (nothing loads it earlier). */
  private static final String WALKING = "dev.tufsh.trust.TargetFiles ";
  private static final Pattern STOPPED =
      Pattern.compile("tufsh: cancelled: interrupted while verifying \\((\\d+) roles checked, (\\d+) not yet\\)");

  @BeforeAll
  static void repository() throws Exception {
    repo = dir.resolve("repo");
    Workbench b = Benches.at(repo);
    Init.run(b, Init.Request.defaults().withBins(256));
    List<TargetSpec> targets = new ArrayList<>();
    Path files = Files.createDirectories(dir.resolve("files"));
    for (int i = 0; i < 1024; i++) {
      targets.add(TargetSpec.ofFile("packages/p" + i + ".tar.gz", Files.writeString(files.resolve("p" + i), "p" + i)));
    }
    TargetOps.add(b, targets);
    Publishing.publish(b);
  }

  private static void awaitWalk(Path classLog, java.util.function.BooleanSupplier running) throws Exception {
    while (!Files.exists(classLog) || !Files.readString(classLog, StandardCharsets.ISO_8859_1).contains(WALKING)) {
      assertTrue(running.getAsBoolean(), "verify ended before its walk could be interrupted");
      Thread.sleep(5);
    }
  }

  @Test
  void sigint_stops_a_one_shot_verify_mid_walk_with_exit_130_and_one_line() throws Exception {
    Path log = dir.resolve("oneshot-classes.log");
    List<String> cmd = new ArrayList<>(List.of("timeout", "-s", "KILL", "300",
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(slowJvm(log));
    // Through timeout(1): it starts the JVM with SIGINT at its default (see OperatorDayTest).
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.tufsh.app.Main", "--repo", repo.toString(),
        "verify"));
    Path err = dir.resolve("oneshot.err");
    Process child = new ProcessBuilder(cmd).redirectError(err.toFile())
        .redirectOutput(dir.resolve("oneshot.out").toFile()).start();
    awaitWalk(log, child::isAlive);
    long sent = System.nanoTime();
    new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    long millis = (System.nanoTime() - sent) / 1_000_000;
    List<String> lines = Files.readAllLines(err);
    assertEquals(1, lines.size(), lines.toString());
    Matcher m = STOPPED.matcher(lines.get(0));
    assertTrue(m.matches(), lines.get(0));
    // At least the top-level roles checked (the first bin's check had begun: the class log), some not yet:
    // a Ctrl-C that lands while the first bin is checked says 2, as it should (">2" raced with it).
    assertTrue(Integer.parseInt(m.group(1)) >= 2 && Integer.parseInt(m.group(2)) > 0,
        "it stopped among the bins, before the end of the walk: " + lines.get(0));
    assertEquals(ExitCodes.CANCELLED, child.exitValue());
    assertEquals("", Files.readString(dir.resolve("oneshot.out")), "no 'verified' line");
    assertTrue(Files.readString(log).contains(WALKING), "the walk was under way");
    System.out.println("verify stopped " + millis + " ms after SIGINT: " + lines.get(0));
    assertTrue(millis < 10_000, "stopped " + millis + " ms after SIGINT (before: the walk ran to its end)");
  }

  @Test
  void ctrl_c_in_the_shell_stops_verify_and_the_shell_carries_on() throws Exception {
    Path log = dir.resolve("shell-classes.log");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(slowJvm(log));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.tufsh.app.Main", "--repo", repo.toString()));
    try (Tmux t = Tmux.start(dir, cmd, Map.of("TERM", "xterm-256color", "TUFSH_HISTORY",
        dir.resolve("history").toString(), "NO_COLOR", "1"))) {
      t.waitFor("tufsh repo>$", Duration.ofSeconds(120));
      t.type("verify").keys("Enter");
      awaitWalk(log, () -> true);
      long sent = System.nanoTime();
      t.keys("C-c");
      String screen = t.waitFor(STOPPED.pattern() + ".*tufsh repo>$", Duration.ofSeconds(60));
      long millis = (System.nanoTime() - sent) / 1_000_000;
      Matcher m = STOPPED.matcher(screen);
      assertTrue(m.find() && Integer.parseInt(m.group(1)) >= 2 && Integer.parseInt(m.group(2)) > 0, screen);
      System.out.println("shell verify stopped " + millis + " ms after Ctrl-C: " + m.group());
      assertTrue(!t.exited(), "the shell is back at its prompt: " + screen);
    }
  }
}
