package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.errors.LockedError;
import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during a large publish (every bin of a 256-bin repository bumped; -Dtufsh.kill.bins and
 * -Dtufsh.kill.iterations change the size and count, {@code scripts/soak-kill} runs many more):
 * clients always find a folder that verifies and is the old or the new state, and the next publish
 * completes. And a second process that wants the lock is told who holds it.
 */
class PublishKillTest {
  @TempDir Path tmp;

  @Test
  void kill_9_at_random_moments_leaves_old_or_new_state() throws Exception {
    int bins = Integer.getInteger("tufsh.kill.bins", 256);
    int iterations = Integer.getInteger("tufsh.kill.iterations", 10);
    long seed = Long.getLong("tufsh.kill.seed", System.nanoTime());
    KillHarness h = KillHarness.build(tmp, bins);
    Random rnd = new Random(seed);
    List<KillHarness.Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      outcomes.add(h.iteration(rnd));
    }
    System.out.printf("kill test: %d bins, publish %d ms, seed %d, outcomes %s%n", bins, h.publishMillis(), seed,
        outcomes);
    assertEquals(iterations, outcomes.size());
  }

  @Test
  void second_publisher_is_told_who_holds_the_lock() throws Exception {
    Path dir = tmp.resolve("repo");
    Workbench b = Benches.at(dir);
    Init.run(b, Init.Request.defaults().withBins(4));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        PublishChild.class.getName(), "hold", dir.toString(), "alice@build-7")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      KillHarness.awaitLine(holder, "locked");
      LockedError e = assertThrows(LockedError.class, () -> Publishing.publish(Benches.at(dir)));
      assertTrue(e.getMessage().contains("alice@build-7"), e.getMessage());
      assertTrue(e.getMessage().contains("pid " + holder.pid()), e.getMessage());
      assertEquals(1, e.getMessage().lines().count());
      assertTrue(Files.notExists(dir.resolve("metadata/timestamp.json")), "nothing was published");
    } finally {
      holder.getOutputStream().close();
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS), "the holder exits when its input closes");
    }
    assertEquals(0, holder.exitValue());
    // The lock died with its holder: publishing works now.
    assertEquals(1, Publishing.publish(Benches.at(dir)).versions().get("timestamp"));
  }
}
