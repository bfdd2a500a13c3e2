package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Resign;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a bump after its staging batch flushed its first chunk and before its commit: nothing
 * is staged afterwards, and the next bump and publish work. The child lowers the batch's chunk
 * (16 MB) to {@value #CHUNK} bytes through {@code -Dtufsh.staging.chunk}, so that a repository of
 * {@value #BINS} small bins flushes a chunk within the renewal's first 512 roles; the child parks in
 * the progress report that follows them, so the kill lands before the commit however loaded the
 * machine is.
 */
class StagingKillTest {
  private static final int BINS = 1024;
  private static final int CHUNK = 64 << 10;

  @TempDir Path tmp;

  @Test
  void a_bump_killed_before_its_commit_leaves_nothing_staged() throws Exception {
    Path dir = tmp.resolve("repo");
    Instant t = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Workbench b = Benches.at(dir, Benches.fixed(t));
    Init.run(b, Init.Request.defaults().withBins(BINS));
    Publishing.publish(b);
    Path staged = dir.resolve(".tufsh/staged");
    Path log = staged.resolve(StagedLog.FILE);
    assertTrue(Files.notExists(log), "a publish leaves no staging log");

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-Dtufsh.staging.chunk=" + CHUNK, "-cp",
        System.getProperty("java.class.path"), PublishChild.class.getName(), "bump", dir.toString(),
        Long.toString(t.getEpochSecond())).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      KillHarness.awaitLine(p, "appended"); // after "ready": one reader, so no line is lost to a buffer
      p.destroyForcibly();
    } finally {
      p.destroyForcibly();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    }
    String text = new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("\nbegin\n"), "the batch flushed a chunk before it was killed");
    assertFalse(text.contains("\ncommit\n"), "killed before its commit");
    Path roleFiles = staged.resolve(StagedRoleFiles.DIR);
    assertTrue(count(roleFiles) > 0, "the killed batch wrote staged role files");

    Workbench after = Benches.at(dir, Benches.fixed(t));
    assertTrue(Publishing.plan(after).isEmpty(), "nothing staged after the kill");
    assertEquals(0, Staging.count(staged));

    Resign.bump(after, new Resign.Selection(List.of("bin-*"), null, null), null);
    Set<String> names = Staging.names(staged);
    assertEquals(BINS, names.size());
    assertTrue(names.stream().allMatch(n -> n.startsWith("bin-")), names.toString());
    String again = new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1);
    assertFalse(again.contains("\nbegin\n"), "the killed batch was cut off before the next one appended");
    assertEquals(BINS, count(roleFiles), "the killed batch's role files swept: one file per staged bin");
    String bin = names.iterator().next();
    var published = Publishing.publish(Benches.at(dir, Benches.fixed(t)));
    assertEquals(2, published.versions().get(bin), "bumped once: the killed bump did not count");
    assertEquals(0, Staging.count(staged));
    List<String> left = new ArrayList<>();
    try (var files = Files.list(dir.resolve("metadata"))) {
      files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".")).forEach(left::add);
    }
    assertEquals(List.of(), left, "no temp files left");
    assertTrue(Files.notExists(roleFiles), "a publish leaves no staged role files");
  }

  private static long count(Path dir) throws java.io.IOException {
    try (var l = Files.list(dir)) {
      return l.count();
    }
  }
}
