package dev.tufsh.ops;

import dev.tufsh.errors.UsageError;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.Signed;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Repository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Re-signs roles as new versions: {@code resign} keeps their expiry, {@code bump} moves it. Roles
 * are chosen by name, glob, signing key or nearness of expiry; snapshot and timestamp follow at
 * publish.
 */
public final class Resign {
  /** How to choose roles: patterns, a key id (roles whose delegator trusts it), expiring within. */
  public record Selection(List<String> patterns, String signedBy, Duration expiringWithin) {
    public Selection {
      patterns = patterns == null ? List.of() : List.copyOf(patterns);
    }
  }

  /** The new expiry: an exact date, a duration from now, or (both null) each role's own period. */
  /** A new expiry: at an instant, or now plus a duration, or (both null) the role's period. */
  public record NewExpiry(Instant at, Duration in, boolean allowShorter) {
    public NewExpiry(Instant at, Duration in) {
      this(at, in, false);
    }
  }

  public record Result(Map<String, Integer> versions, Map<String, Expiry> expires) {}

  private Resign() {}

  public static Result resign(Workbench bench, Selection sel) {
    return run(bench, sel, null);
  }

  public static Result bump(Workbench bench, Selection sel, NewExpiry to) {
    return run(bench, sel, to == null ? new NewExpiry(null, null) : to);
  }

  private static Result run(Workbench bench, Selection sel, NewExpiry to) {
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      List<String> roles = select(bench, repo, sel);
      // Each role is read, given its new bytes, signed and staged a chunk at a time (16 384 bins in
      // the daily job); a verified published file is spliced, not decoded (Repository.renewAll).
      Map<String, Expiry> expires = repo.renewAll(roles, (r, current) -> {
        if (to == null) {
          return null;
        }
        Instant at = to.at() != null ? to.at() : to.in() != null ? repo.now().plus(to.in()) : null;
        if (at != null) {
          if (!at.isAfter(repo.now())) {
            throw new UsageError("new expiry " + at + " for role '" + r + "' is not in the future");
          }
          // The policy first: a date far out is a usage error, not a failure to format it.
          dev.tufsh.repo.Settings.checkExpiry(repo.kindOf(r), Duration.between(repo.now(), at),
              (to.at() != null ? "--to " + to.at() : "--by " + to.in()) + " for role '" + r + "'");
        }
        Expiry e = at != null ? Expiry.at(at) : repo.freshExpiry(r);
        // A bump extends: moving an expiry earlier is a different intent and must be said.
        if (e.instant().isBefore(current.instant()) && !to.allowShorter()) {
          throw new UsageError("bump would move role '" + r + "' expiry earlier, from " + current.text()
              + " to " + e.text() + "; give --allow-shorter to mean that");
        }
        return e;
      }).expires();
      repo.save();
      return new Result(TargetOps.versions(repo, expires.keySet()), expires);
    }
  }

  static Signed current(Repository repo, String role) {
    return repo.metadata(role).map(Metadata::signed)
        .orElseThrow(() -> new UsageError("role '" + role + "' has no metadata"));
  }

  static List<String> select(Workbench bench, Repository repo, Selection sel) {
    List<String> roles = new ArrayList<>();
    if (!sel.patterns().isEmpty()) {
      roles.addAll(RoleSelector.select(repo, sel.patterns()));
    } else if (sel.signedBy() == null && sel.expiringWithin() == null) {
      throw new UsageError("name the roles (a name or glob such as 'bin-*'), or give --signed-by or --expiring-within");
    } else {
      roles.addAll(repo.roleNames());
    }
    if (sel.signedBy() != null) {
      String k = KeyRefs.resolveId(bench, repo, sel.signedBy());
      roles.removeIf(r -> !repo.keysFor(r).keys().containsKey(k));
    }
    if (sel.expiringWithin() != null) {
      Instant limit = repo.now().plus(sel.expiringWithin());
      Map<String, RoleFacts.Facts> facts = RoleFacts.of(bench, repo, roles);
      roles.removeIf(r -> (facts.containsKey(r) ? facts.get(r).expires() : current(repo, r).expires()).instant()
          .isAfter(limit));
    }
    if (roles.isEmpty()) {
      throw new UsageError("no role matches the selection");
    }
    return roles;
  }
}
