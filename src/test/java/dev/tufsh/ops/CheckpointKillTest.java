package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.Benches;
import dev.tufsh.testing.CliRepo;
import dev.tufsh.testing.JsonResults;
import dev.tufsh.testing.PassphraseFiles;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real {@code tufsh checkpoint} while it writes its scratch files (a child JVM,
 * caught when its scratch file appears, on a repository big enough that it is still writing):
 * the next checkpoint into that folder removes what the killed one left, and nothing else: not a
 * link planted under a stale-looking name (nor what it points to), not a live process's scratch
 * file, not another user's kind of name.
 */
class CheckpointKillTest {
  @TempDir Path dir;

  @Test
  void the_next_checkpoint_removes_what_a_killed_one_left_and_nothing_else() throws Exception {
    Path repo = dir.resolve("repo");
    Workbench b = Benches.at(repo);
    Init.run(b, Init.Request.defaults().withBins(64));
    List<TargetSpec> targets = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      targets.add(TargetSpec.external("packages/p" + i + "/p" + i + "-1.0.tar.gz", 1000 + i,
          Map.of("sha256", String.format("%064x", i))));
    }
    TargetOps.add(b, targets);
    Publishing.publish(b);
    CliRepo cli = new CliRepo(repo, PassphraseFiles.write(dir.resolve("pass"), Benches.PASSPHRASE + "\n"));
    Path out = Files.createDirectories(dir.resolve("offline")).resolve("cp.json");

    Process child = checkpointChild(cli, out);
    Path left = awaitScratch(out.getParent(), child);
    child.destroyForcibly(); // SIGKILL
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    assertTrue(Files.isRegularFile(left, LinkOption.NOFOLLOW_LINKS), "the kill left " + left);
    assertTrue(Files.notExists(out), "the killed checkpoint never reached its output");

    // What the next checkpoint must leave alone.
    ProcessHandle self = ProcessHandle.current();
    String live = self.pid() + "-" + self.info().startInstant().orElseThrow().toEpochMilli();
    Path liveScratch = Files.writeString(out.resolveSibling(".cp.json.lists-" + live + "-" + "a".repeat(24)), "x");
    Path victim = Files.writeString(dir.resolve("victim.txt"), "keep me");
    Path link = Files.createSymbolicLink(out.resolveSibling(".cp.json.lists-999999999-1-" + "b".repeat(24)),
        victim);
    Path oldStyle = Files.writeString(out.resolveSibling(".cp.json.lists-123456789"), "x");
    Path otherKind = Files.writeString(out.resolveSibling(".cp.json.spill-999999999-1-" + "c".repeat(24)), "x");

    var made = JsonResults.result(cli.run("--json", "checkpoint", "--out", out.toString(), "--key", "targets-1")
        .assertOk().out());
    assertEquals(50_000, made.get("targets").asInt(), made.toString());
    assertFalse(Files.exists(left, LinkOption.NOFOLLOW_LINKS), "the killed checkpoint's scratch file is removed");
    for (Path kept : List.of(liveScratch, link, oldStyle, otherKind)) {
      assertTrue(Files.exists(kept, LinkOption.NOFOLLOW_LINKS), kept + " is not provably a stale scratch file");
    }
    assertEquals("keep me", Files.readString(victim));
    assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(out)), "the checkpoint is world-readable, as before");
    try (var names = Files.list(out.getParent())) {
      assertEquals(java.util.Set.of(oldStyle, link, liveScratch, otherKind, out), java.util.Set.copyOf(
          names.toList()), "the new checkpoint's own scratch files are gone too");
    }
    cli.run("diff", "--against", out.toString(), "--key", "targets-1").assertOk();
  }

  private static Process checkpointChild(CliRepo cli, Path out) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        dev.tufsh.app.Main.class.getName(), "--repo", cli.repo().toString(), "--passphrase-file",
        cli.pass().toString(), "checkpoint", "--out", out.toString(), "--key", "targets-1")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** The child's scratch file, as soon as it holds some target lists (the child still running). */
  private static Path awaitScratch(Path folder, Process child) throws Exception {
    while (child.isAlive()) {
      try (var names = Files.list(folder)) {
        for (Path p : (Iterable<Path>) names::iterator) {
          if (p.getFileName().toString().startsWith(".cp.json.lists-") && Files.size(p) > 0) {
            return p;
          }
        }
      }
      Thread.sleep(2);
    }
    throw new AssertionError("the checkpoint finished (exit " + child.exitValue() + ") before it could be caught");
  }
}
