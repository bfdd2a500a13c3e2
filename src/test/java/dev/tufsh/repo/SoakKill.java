package dev.tufsh.repo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The long crash loop behind {@code scripts/soak-kill}: {@code [ITERATIONS [BINS [SEED]]]}
 * (default 200 iterations over 16384 bins). Each iteration kills a publish at a random moment and
 * checks the folder; the first failure stops the loop with exit status 1.
 */
public final class SoakKill {
  private SoakKill() {}

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int bins = args.length > 1 ? Integer.parseInt(args[1]) : 16384;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
    Path scratch = Files.createTempDirectory("tufsh-soak-kill");
    try {
      System.out.printf("building a %d-bin repository in %s ...%n", bins, scratch);
      KillHarness h = KillHarness.build(scratch, bins);
      System.out.printf("an undisturbed publish takes %d ms; seed %d%n", h.publishMillis(), seed);
      Random rnd = new Random(seed);
      int old = 0;
      int fresh = 0;
      for (int i = 1; i <= iterations; i++) {
        try {
          if (h.iteration(rnd) == KillHarness.Outcome.OLD) {
            old++;
          } else {
            fresh++;
          }
        } catch (Throwable t) {
          System.out.printf("iteration %d FAILED: %s%n", i, t.getMessage());
          System.exit(1);
        }
        System.out.printf("iteration %d/%d ok (old state %d, new state %d)%n", i, iterations, old, fresh);
      }
    } finally {
      KillHarness.delete(scratch);
    }
  }
}
