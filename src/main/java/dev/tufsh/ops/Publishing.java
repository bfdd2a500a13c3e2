package dev.tufsh.ops;

import dev.tufsh.repo.Plan;
import dev.tufsh.repo.Planner;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.PublishResult;
import dev.tufsh.repo.Publisher;
import dev.tufsh.repo.Repository;

/** plan, publish and discard over the staged changes. */
public final class Publishing {
  private Publishing() {}

  /** What publish would write, with signatures and thresholds as they stand. */
  public static Plan plan(Workbench bench) {
    return Planner.plan(bench.repository());
  }

  /** The plan for review: needs no passphrase (snapshot and timestamp are not signed yet). */
  public static Plan preview(Workbench bench) {
    return Planner.preview(bench.repository());
  }

  /** Verifies the staged repository as a client would and publishes it, timestamp last. */
  public static PublishResult publish(Workbench bench) {
    return publish(bench, plan -> {});
  }

  /**
   * As {@link #publish(Workbench)}, showing the plan to {@code review} first (under the lock, so it
   * is exactly what will be written); {@code review} may throw to stop before anything is written.
   */
  public static PublishResult publish(Workbench bench, java.util.function.Consumer<Plan> review) {
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      Plan plan = Planner.plan(repo);
      if (plan.isEmpty()) {
        // Nothing staged is not a failure: "plan; publish" from cron succeeds on a quiet day.
        return new PublishResult(java.util.Map.of(), 0, 0);
      }
      review.accept(plan);
      return Publisher.publish(repo, plan);
    }
  }

  /** Drops every staged change; returns how many roles were staged. */
  public static int discard(Workbench bench) {
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      int n = repo.staging().roles().size() + repo.staging().files().size();
      repo.staging().clear();
      return n;
    }
  }
}
