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

  /** Verifies the staged repository as a client would and publishes it, timestamp last. */
  public static PublishResult publish(Workbench bench) {
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      return Publisher.publish(repo, Planner.plan(repo));
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
