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
    return review(bench).plan();
  }

  /**
   * A plan whose staged signatures were each verified (publish verifies them once, as a client
   * does; a review must say which no longer verify): the plan counts only valid signatures, and
   * {@code invalid} names, per role, the trusted keys whose signature fails.
   */
  public record Review(Plan plan, java.util.Map<String, java.util.List<String>> invalid) {}

  public static Review review(Workbench bench) {
    Repository repo = bench.repository();
    // A review verifies every staged role's signatures, so it decodes every one of them anyway:
    // decode them first, on all cores, and the preview's peeks find them decoded instead of reading
    // and scanning each role's bytes once more (plan of 1,024 staged bins: 1.5x slower without).
    // A role that fails to decode is left for the preview below to report, in its order and words.
    repo.staging().roles().keySet().parallelStream().forEach(name -> {
      try {
        repo.staging().role(name);
      } catch (RuntimeException later) {
        // reported by the preview
      }
    });
    Plan plan = Planner.preview(repo); // no passphrase: snapshot and timestamp are signed at publish
    java.util.Map<String, java.util.List<String>> invalid = new java.util.concurrent.ConcurrentSkipListMap<>();
    java.util.Map<String, dev.tufsh.repo.PlanEntry> fixed = new java.util.concurrent.ConcurrentHashMap<>();
    plan.entries().parallelStream().forEach(e -> {
      var md = repo.staging().role(e.role());
      if (md == null) {
        return; // snapshot and timestamp are signed by the plan itself, with the keys at hand
      }
      var keys = repo.keysFor(e.role());
      var r = dev.tufsh.model.Signatures.check(e.role(), md, md.signedBytes(), keys.keys(), keys.role());
      java.util.List<String> bad = new java.util.ArrayList<>();
      for (var sig : md.signatures()) {
        if (keys.role().keyids().contains(sig.keyid()) && keys.keys().containsKey(sig.keyid())
            && !r.validKeyIds().contains(sig.keyid())) {
          bad.add(sig.keyid());
        }
      }
      if (!bad.isEmpty()) {
        invalid.put(e.role(), java.util.List.copyOf(bad));
        java.util.List<String> missing = new java.util.ArrayList<>(e.missingKeyIds());
        missing.addAll(bad);
        fixed.put(e.role(), new dev.tufsh.repo.PlanEntry(e.role(), e.oldVersion(), e.newVersion(), e.expires(),
            r.validKeyIds().size(), e.threshold(), missing, e.previousRoot()));
      }
    });
    if (fixed.isEmpty()) {
      return new Review(plan, java.util.Map.of());
    }
    java.util.List<dev.tufsh.repo.PlanEntry> entries = plan.entries().stream().map(e -> fixed.getOrDefault(e.role(), e))
        .toList();
    return new Review(new Plan(entries, plan.files(), plan.newFiles(), plan.encoded(), plan.sha256()), java.util.Map.copyOf(invalid));
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
      return publishLocked(bench.repository(), afterRestore, review);
    }
  }

  /** The publish itself, for callers already holding the lock (refresh stages, then publishes). */
  static PublishResult publishLocked(
      Repository repo, boolean afterRestore, java.util.function.Consumer<Plan> review) {
    // The audit log's record of what was published keeps the mark up when its file is lost; only the
    // lines since the position the mark keeps are read (all of them when it was lost or the log changed).
    UnlockAhead.roles(repo, java.util.List.of("snapshot", "timestamp")); // derived while the state is checked
    dev.tufsh.repo.HighWaterMark mark = repo.highWater();
    AuditLog.Scan seen = new AuditLog(repo.workspace().auditLog())
        .highestPublishedSince(AuditLog.Position.parse(mark.auditPosition()));
    mark.raiseFromAudit(seen.highest(), seen.end().toString()).afterRestore(afterRestore);
    AuditAnchor.stamp(repo);
    // The plan and the verification read each staged role: from one open log, not an open each.
    try (var reading = repo.staging().reading()) {
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
      Repository repo;
      try {
        repo = bench.repository();
      } catch (dev.tufsh.errors.NewerFormatError e) {
        throw e; // staged by a newer tufsh: not damage, and not this one's to throw away
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
