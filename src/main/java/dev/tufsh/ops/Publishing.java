package dev.tufsh.ops;

import dev.tufsh.audit.AuditLog;
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
    return publish(bench, plan -> {});
  }

  /**
   * As {@link #publish(Workbench)}, showing the plan to {@code review} first (under the lock, so it
   * is exactly what will be written); {@code review} may throw to stop before anything is written.
   */
  public static PublishResult publish(Workbench bench, java.util.function.Consumer<Plan> review) {
    return publish(bench, false, review);
  }

  /**
   * As {@link #publish(Workbench, java.util.function.Consumer)}; {@code afterRestore} accepts a
   * {@code metadata/} that is behind the high-water mark (restored from a backup): new versions go
   * above the mark either way.
   */
  public static PublishResult publish(
      Workbench bench, boolean afterRestore, java.util.function.Consumer<Plan> review) {
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      // The audit log's record of what was published keeps the mark up when its file is lost.
      repo.highWater().raise(new AuditLog(repo.workspace().auditLog()).highestPublished()).afterRestore(afterRestore);
      AuditAnchor.stamp(repo);
      Plan plan = Planner.plan(repo);
      review.accept(plan);
      return Publisher.publish(repo, plan);
    }
  }

  /** Drops every staged change; returns how many roles were staged. */
  public static int discard(Workbench bench) {
    try (PublishLock lock = bench.lock()) {
      Repository repo;
      try {
        repo = bench.repository();
      } catch (dev.tufsh.errors.TufshException e) {
        // A staging area that does not load is still thrown away: that is what discard is for.
        return dev.tufsh.repo.Staging.wipe(bench.workspace().stagedDir());
      }
      int n = repo.staging().roles().size() + repo.staging().files().size();
      repo.staging().clear();
      return n;
    }
  }
}
