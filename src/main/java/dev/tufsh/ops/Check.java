package dev.tufsh.ops;

import dev.tufsh.audit.AuditVerifier;
import dev.tufsh.crypto.Key;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Root;
import dev.tufsh.model.Signatures;
import dev.tufsh.model.Signed;
import dev.tufsh.model.VerificationResult;
import dev.tufsh.repo.PublishedIndex;
import dev.tufsh.repo.PublishedState;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.RoleKeys;
import dev.tufsh.repo.Settings;
import dev.tufsh.repo.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a monitoring probe asks of the published repository (what clients see, not what is
 * staged): each role's time to expiry against warning and critical thresholds, its signatures
 * against its threshold (root, timestamp and snapshot verified cryptographically; delegated roles
 * counted by key id from the published index, as {@code status} does), the audit chain, and how
 * long staged changes have waited. Read only: no lock, nothing written.
 */
public final class Check {
  /** Monitoring-plugin severities, in order; the exit status is the worst one's ordinal. */
  public enum Severity { OK, WARNING, CRITICAL }

  /**
   * Thresholds by role name or kind (a role's own entry wins); a role without either gets the
   * defaults below. {@code stagedOlderThan}: staged changes untouched this long are a warning.
   */
  public record Request(Map<String, Duration> warnWithin, Map<String, Duration> critWithin, Duration stagedOlderThan) {
    public Request {
      warnWithin = Map.copyOf(warnWithin);
      critWithin = Map.copyOf(critWithin);
    }
  }

  public record RoleState(String role, String kind, int version, Expiry expires, long secondsLeft,
      int signatures, int threshold) {}

  public record Finding(Severity severity, String role, String problem) {}

  public record Result(Severity severity, List<Finding> findings, List<RoleState> roles, int auditEntries,
      boolean auditOk, int staged, Instant lastPublish, Instant now) {
    public Result {
      findings = List.copyOf(findings);
      roles = List.copyOf(roles);
    }
  }

  private Check() {}

  public static Result run(Workbench bench, Request req) {
    Workspace ws = bench.workspace();
    Repository repo = bench.repository();
    PublishedState pub = repo.published();
    Instant now = bench.clock().instant();
    if (pub.root().isEmpty() || pub.timestamp().isEmpty()) {
      throw new WorkspaceError(ws.root() + " has nothing published yet");
    }
    Root root = pub.root().get().signed();
    List<RoleState> roles = new ArrayList<>();
    roles.add(topLevel("root", pub.root().get(), root, now));
    roles.add(topLevel("timestamp", pub.timestamp().get(), root, now));
    pub.snapshot().ifPresent(s -> roles.add(topLevel("snapshot", s, root, now)));
    List<String> delegated = repo.roleNames().stream().filter(r -> !RoleType.isTopLevel(r) || r.equals("targets"))
        .toList();
    Map<String, Optional<Delegations>> published = new HashMap<>();
    PublishedIndex.load(ws, pub, delegated).forEach((r, e) -> {
      RoleKeys keys = publishedKeys(pub, root, repo, r, published).orElse(null);
      if (keys == null) {
        return; // delegated only in the staging area: no client sees it yet
      }
      int sigs = (int) e.signers().stream().filter(keys.keys()::containsKey).distinct().count();
      roles.add(new RoleState(r, repo.kindOf(r), e.version(), e.expires(),
          Duration.between(now, e.expires().instant()).getSeconds(), sigs, keys.threshold()));
    });
    roles.sort(Comparator.comparingLong(RoleState::secondsLeft).thenComparing(RoleState::role));

    List<Finding> findings = new ArrayList<>();
    Settings settings = ws.settings();
    for (RoleState s : roles) {
      Duration left = Duration.ofSeconds(s.secondsLeft());
      Duration crit = threshold(req.critWithin(), s, defaultCrit(settings, s.kind()));
      Duration warn = threshold(req.warnWithin(), s, defaultWarn(settings, s.kind()));
      if (s.secondsLeft() <= 0) {
        findings.add(new Finding(Severity.CRITICAL, s.role(), "expired at " + s.expires().text()));
      } else if (left.compareTo(crit) < 0) {
        findings.add(new Finding(Severity.CRITICAL, s.role(), "expires in " + human(left) + " (critical under "
            + human(crit) + ")"));
      } else if (left.compareTo(warn) < 0) {
        findings.add(new Finding(Severity.WARNING, s.role(), "expires in " + human(left) + " (warning under "
            + human(warn) + ")"));
      }
      if (s.signatures() < s.threshold()) {
        findings.add(new Finding(Severity.CRITICAL, s.role(), "signed by " + s.signatures() + " of the "
            + s.threshold() + " keys its threshold needs"));
      }
    }
    AuditVerifier.Result audit;
    try {
      audit = AuditVerifier.verify(ws.auditLog());
    } catch (IOException e) {
      throw new WorkspaceError("cannot read " + ws.auditLog() + ": " + e.getMessage(), e);
    }
    if (!audit.ok()) {
      findings.add(new Finding(Severity.CRITICAL, "audit", ws.auditLog() + " line " + audit.brokenLine() + ": "
          + audit.problem()));
    }
    int staged = repo.staging().roles().size() + repo.staging().files().size();
    Optional<Instant> stagedAt = lastModified(ws.stagedDir());
    if (staged > 0 && stagedAt.isPresent() && req.stagedOlderThan() != null
        && Duration.between(stagedAt.get(), now).compareTo(req.stagedOlderThan()) > 0) {
      findings.add(new Finding(Severity.WARNING, "staged", staged + " staged change(s) untouched for "
          + human(Duration.between(stagedAt.get(), now)) + "; publish or discard them"));
    }
    Severity worst = findings.stream().map(Finding::severity).max(Comparator.naturalOrder()).orElse(Severity.OK);
    Instant lastPublish = lastModified(ws.metadataDir().resolve("timestamp.json")).orElse(null);
    return new Result(worst, findings, roles, audit.lines(), audit.ok(), staged, lastPublish, now);
  }

  /**
   * The keys and threshold that the published delegator of {@code role} gives it: what clients
   * check it against, whatever a staged rotation will change. {@code delegations} caches each
   * delegator's published delegations (one read of bins for all its 16384 bins).
   */
  private static Optional<RoleKeys> publishedKeys(PublishedState pub, Root root, Repository repo, String role,
      Map<String, Optional<Delegations>> delegations) {
    if (role.equals("targets")) {
      return Optional.of(new RoleKeys(root.keysOf(RoleType.TARGETS), root.role(RoleType.TARGETS)));
    }
    Optional<Delegations> d = repo.delegatorOf(role).flatMap(parent -> delegations.computeIfAbsent(parent,
        p -> pub.targets(p).map(m -> m.signed().delegations()).filter(x -> x != null)));
    return d.flatMap(x -> x.roleFor(role).map(r -> {
      Map<String, Key> keys = new HashMap<>();
      r.keyids().forEach(id -> {
        Key k = x.keys().get(id);
        if (k != null) {
          keys.put(id, k);
        }
      });
      return new RoleKeys(keys, r);
    }));
  }

  /** Root, timestamp and snapshot: a few files, so their signatures are verified, not counted. */
  private static RoleState topLevel(String role, Metadata<? extends Signed> md, Root root, Instant now) {
    RoleType t = RoleType.fromWire(role).orElseThrow();
    VerificationResult v = Signatures.check(role, md, root.keysOf(t), root.role(t));
    Expiry e = md.signed().expires();
    return new RoleState(role, role, md.signed().version(), e, Duration.between(now, e.instant()).getSeconds(),
        v.validKeyIds().size(), v.threshold());
  }

  private static Duration threshold(Map<String, Duration> given, RoleState s, Duration fallback) {
    Duration d = given.get(s.role());
    return d != null ? d : given.getOrDefault(s.kind(), fallback);
  }

  /**
   * Online roles: refresh re-signs them when their refresh window begins, so half the window gone
   * by means refresh has stopped (warning) and a quarter left is critical. Offline roles: their
   * window is the holders' notice (warning), its last quarter critical.
   */
  static Duration defaultWarn(Settings s, String kind) {
    Duration w = s.refreshWindowOf(kind);
    return Settings.ONLINE_KINDS.contains(kind) ? w.dividedBy(2) : w;
  }

  static Duration defaultCrit(Settings s, String kind) {
    return s.refreshWindowOf(kind).dividedBy(4);
  }

  private static Optional<Instant> lastModified(Path p) {
    try {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          return s.map(Check::lastModified).flatMap(Optional::stream).max(Comparator.naturalOrder());
        }
      }
      return Files.exists(p) ? Optional.of(Files.getLastModifiedTime(p).toInstant()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static String human(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s >= 2 * 86400) {
      return s / 86400 + "d";
    }
    if (s >= 2 * 3600) {
      return s / 3600 + "h";
    }
    return s >= 120 ? s / 60 + "m" : s + "s";
  }
}
