package dev.tufsh.ops;

import dev.tufsh.errors.UsageError;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.SuccinctRoles;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.Repository;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the role a new target path belongs in, following the client's search (spec 5.6.7): from
 * targets, the matching delegations in list order, depth first, into the bin its hash names. The
 * first role that delegates no further wins (a project role, a bin); a delegating role that
 * matches but has no matching child (PEP 480's claimed, for an unclaimed path) is passed over for
 * later delegations, unless it is terminating: a client never searches past it, so the target
 * stays inside it. Placing a target anywhere else would make it unreachable or shadowed.
 */
final class TargetRouter {
  private final Repository repo;

  TargetRouter(Repository repo) {
    this.repo = repo;
  }

  /**
   * Each role's delegations as first read (the repository does not change while a router is in
   * use): routing a list of millions reads targets and bins once, not once a path, and a classic
   * bin is decoded for one look, not kept.
   */
  private final Map<String, Optional<Delegations>> delegations = new HashMap<>();

  private Optional<Delegations> delegationsOf(String role) {
    Optional<Targets> t = repo.targetsOnce(role);
    if (t.isEmpty()) {
      throw new UsageError("role '" + role + "' is delegated but has no metadata");
    }
    return Optional.ofNullable(t.get().delegations());
  }

  /**
   * Each succinct delegation's bin names by index, each made once: a list of millions of paths
   * then shares 16,384 strings (their hash codes computed once for the maps they key) instead of
   * making one a path.
   */
  private final Map<SuccinctRoles, String[]> binNames = new java.util.IdentityHashMap<>();

  private String binName(SuccinctRoles s, String path) {
    int i = Math.toIntExact(s.binIndexForHash(hash(path)));
    String[] names = binNames.computeIfAbsent(s, x -> new String[Math.toIntExact(x.binCount())]);
    if (names[i] == null) {
      names[i] = s.binName(i);
    }
    return names[i];
  }

  /** The roles from targets down to the one being searched: one set for every path (a router serves one thread). */
  private final Set<String> chain = new HashSet<>();
  /** The SHA-256 of the path being routed, once it was needed; null before. */
  private byte[] pathHash;

  String roleFor(String path) {
    pathHash = null;
    chain.clear();
    return route("targets", path, chain).role();
  }

  /** The path's SHA-256, computed once for the hash-prefix role and the bin under it. */
  private byte[] hash(String path) {
    if (pathHash == null) {
      pathHash = dev.tufsh.crypto.Crypto.sha256(path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return pathHash;
  }

  /** Where {@code path} goes under {@code role}; {@code leaf}: a role that delegates no further. */
  private record Route(String role, boolean leaf) {}

  /** {@code chain}: the roles from targets down to here, so a delegation back up is caught. */
  private Route route(String role, String path, Set<String> chain) {
    if (!chain.add(role)) {
      throw new UsageError("delegations loop back to role '" + role + "'");
    }
    try {
      return below(role, path, chain);
    } finally {
      chain.remove(role);
    }
  }

  private Route below(String role, String path, Set<String> chain) {
    Delegations d = delegations.computeIfAbsent(role, this::delegationsOf).orElse(null);
    if (d == null) {
      return new Route(role, true);
    }
    if (d.succinctRoles() != null) {
      return new Route(binName(d.succinctRoles(), path), true);
    }
    Route fallback = null;
    for (DelegatedRole r : d.roles()) {
      if (r.pathHashPrefixes() != null ? !r.covers(path, hash(path)) : !r.covers(path)) {
        continue;
      }
      Route below = route(r.name(), path, chain);
      if (below.leaf()) {
        return below;
      }
      if (r.terminating()) {
        return fallback != null ? fallback : below;
      }
      if (fallback == null) {
        fallback = below;
      }
    }
    // No leaf below takes it: the first matching delegator, else the role itself (searched first).
    return fallback != null ? fallback : new Route(role, false);
  }
}
