package dev.tufsh.ops;

import dev.tufsh.model.Expiry;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.Signature;
import dev.tufsh.model.Signed;
import dev.tufsh.model.Targets;
import dev.tufsh.model.RoleType;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.PublishedIndex;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.RoleKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of every role: published and staged versions, expiry (sorted soonest first, expired
 * and soon-to-expire flagged), keys and threshold, and signatures present against those needed.
 * Signatures are counted by key id (run {@code verify} for the cryptographic check).
 */
public final class Status {
  /** Expiry state of a role. */
  public enum Health { OK, SOON, EXPIRED }

  public record RoleStatus(
      String role,
      String kind,
      int version,
      int stagedVersion,
      Expiry expires,
      Health health,
      int keys,
      int threshold,
      int signatures,
      int targets) {
    public boolean thresholdMet() {
      return signatures >= threshold;
    }
  }

  public record Result(
      String repository, List<RoleStatus> roles, List<String> staged, int stagedFiles, String lockedBy, Instant now) {
    /** Whether a person should look: a role expired, or short of its threshold. */
    public boolean needsAttention() {
      return roles.stream().anyMatch(r -> r.health() == Health.EXPIRED || !r.thresholdMet());
    }
  }

  private Status() {}

  public static Result run(Workbench bench) {
    Repository repo = bench.repository();
    Instant now = repo.now();
    List<String> names = repo.roleNames();
    Map<String, RoleStatus> out = new ConcurrentHashMap<>();
    List<String> fromIndex = new ArrayList<>();
    for (String r : names) {
      if (repo.isStaged(r) || RoleType.isTopLevel(r) && !r.equals("targets")) {
        repo.metadata(r).ifPresent(md -> out.put(r, status(repo, r, md, now)));
      } else {
        fromIndex.add(r);
      }
    }
    // Published targets-type roles (16384 bins) come from the summary cache, not 16384 files.
    // Every bin of one succinct delegation has the same keys: looked up once, not 16,384 times.
    Map<String, RoleKeys> binKeys = new java.util.HashMap<>();
    PublishedIndex.load(bench.workspace(), repo.published(), fromIndex).forEach((r, e) -> {
      RoleKeys keys = repo.isBin(r)
          ? binKeys.computeIfAbsent(repo.delegatorOf(r).orElseThrow(), parent -> repo.keysFor(r)) : repo.keysFor(r);
      int sigs = (int) e.signers().stream().filter(keys.keys()::containsKey).distinct().count();
      out.put(r, new RoleStatus(r, repo.kindOf(r), e.version(), 0, e.expires(),
          health(e.expires(), repo.settings().expiryOf(repo.kindOf(r)), now), keys.role().keyids().size(),
          keys.threshold(), sigs, e.targets()));
    });
    List<RoleStatus> list = new ArrayList<>(out.values());
    list.sort(Comparator.comparing((RoleStatus s) -> s.expires().instant()).thenComparing(RoleStatus::role));
    return new Result(bench.workspace().name(), list, List.copyOf(new java.util.TreeSet<>(repo.staging().roles().keySet())),
        repo.staging().files().size(), PublishLock.holder(bench.workspace()), now);
  }

  private static RoleStatus status(Repository repo, String role, Metadata<? extends Signed> md, Instant now) {
    boolean staged = repo.isStaged(role);
    RoleKeys keys = staged ? repo.keysFor(role) : publishedKeys(repo, role).orElseGet(() -> repo.keysFor(role));
    // Counted by key id; 'verify' (and publish) check every signature cryptographically.
    int sigs = (int) md.signatures().stream().map(Signature::keyid).filter(keys.keys()::containsKey).distinct().count();
    Signed s = md.signed();
    return new RoleStatus(role, repo.kindOf(role), repo.publishedVersion(role), staged ? s.version() : 0,
        s.expires(), health(s.expires(), repo.settings().expiryOf(repo.kindOf(role)), now),
        keys.role().keyids().size(), keys.threshold(), sigs,
        s instanceof Targets t ? t.targets().size() : 0);
  }

  /**
   * The keys the published root gives a published top-level role: clients judge what they fetch
   * today by the root they hold, not by a rotation still staged.
   */
  private static java.util.Optional<RoleKeys> publishedKeys(Repository repo, String role) {
    var type = RoleType.fromWire(role);
    if (type.isEmpty()) {
      return java.util.Optional.empty();
    }
    return repo.published().root().map(r -> new RoleKeys(r.signed().keysOf(type.get()), r.signed().role(type.get())));
  }

  /** Soon means within a quarter of the role's period (at most 7 days): time to bump. */
  static Health health(Expiry e, Duration period, Instant now) {
    if (e.isExpiredAt(now)) {
      return Health.EXPIRED;
    }
    Duration soon = period.dividedBy(4);
    if (soon.compareTo(Duration.ofDays(7)) > 0) {
      soon = Duration.ofDays(7);
    }
    return e.instant().isBefore(now.plus(soon)) ? Health.SOON : Health.OK;
  }
}
