package dev.tufsh.ops;

import dev.tufsh.errors.UsageError;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.SuccinctRoles;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.Repository;
import java.util.Map;
import java.util.Optional;

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
    this.delegations = new java.util.concurrent.ConcurrentHashMap<>();
    this.binNames = new java.util.IdentityHashMap<>();
  }

  /**
   * A router for another thread that shares {@code shared}'s roles as read (each read once for all
   * threads): a router's own state is the path it is routing.
   */
  TargetRouter(TargetRouter shared) {
    this.repo = shared.repo;
    this.delegations = shared.delegations;
    this.binNames = shared.binNames;
  }

  /**
   * Each role's delegations as first read (the repository does not change while a router is in
   * use): routing a list of millions reads targets and bins once, not once a path, and a classic
   * bin is decoded for one look, not kept.
   */
  private final Map<String, Optional<Delegations>> delegations;

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
   * making one a path. Shared by the threads of one add (under its lock; each thread keeps the
   * last it used), by identity: delegations are read once, so each is the same object for all.
   */
  private final Map<SuccinctRoles, String[]> binNames;
  private SuccinctRoles lastSuccinct;
  private String[] lastNames;

  private String binName(SuccinctRoles s) {
    int i = Math.toIntExact(s.binIndexForHash(hash()));
    if (s != lastSuccinct) {
      synchronized (binNames) {
        lastNames = binNames.computeIfAbsent(s, x -> new String[Math.toIntExact(x.binCount())]);
      }
      lastSuccinct = s;
    }
    String name = lastNames[i];
    if (name == null) { // two threads may both make it: equal strings, either kept
      name = s.binName(i);
      lastNames[i] = name;
    }
    lastBin = i;
    return name;
  }

  /** The bin index of the last path routed into a succinct delegation's bin (of {@link #binNames()}), else -1. */
  private int lastBin = -1;

  /** The index of the bin {@link #roleFor} last routed to, among {@link #binNames()}; -1 when it was no bin. */
  int lastBin() {
    return lastBin;
  }

  /** The bin names array {@link #lastBin} indexes (one array per succinct delegation, shared by threads). */
  String[] binNames() {
    return lastNames;
  }

  /**
   * The roles from targets down to the one being searched, {@code depth} of them: a few at most, so
   * an array searched by identity first (delegations are read once: each name is one string).
   */
  private String[] chain = new String[8];
  private int depth;

  /** The path being routed: its UTF-8 bytes {@code pathBytes[pathFrom, pathFrom + pathLength)}, its string once needed. */
  private String pathString;
  private byte[] pathBytes;
  private int pathFrom;
  private int pathLength;
  /** Its SHA-256 into {@link #pathHash}, once needed (a bin and the hash-prefix role above it share it). */
  private boolean hashed;
  private final byte[] pathHash = new byte[32];
  private final java.security.MessageDigest sha256 = dev.tufsh.crypto.Crypto.digest("SHA-256");

  String roleFor(String path) {
    return roleFor(path, null);
  }

  /** As {@link #roleFor(String)}, for a path whose UTF-8 bytes the caller holds ({@code utf8}). */
  String roleFor(String path, byte[] utf8) {
    byte[] b = utf8 != null ? utf8 : path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return route(path, b, 0, b.length);
  }

  /**
   * As {@link #roleFor(String)}, for the path whose UTF-8 bytes are {@code b[from, from + length)}:
   * its string is made only if a delegation matches it against patterns (PEP 458's bins do not).
   */
  String roleFor(byte[] b, int from, int length) {
    return route(null, b, from, length);
  }

  private String route(String path, byte[] b, int from, int length) {
    pathString = path;
    pathBytes = b;
    pathFrom = from;
    pathLength = length;
    hashed = false;
    depth = 0;
    lastBin = -1;
    return route("targets").role();
  }

  private String path() {
    if (pathString == null) {
      pathString = new String(pathBytes, pathFrom, pathLength, java.nio.charset.StandardCharsets.UTF_8);
    }
    return pathString;
  }

  /** The path's SHA-256, computed once for the hash-prefix role and the bin under it. */
  private byte[] hash() {
    if (!hashed) {
      sha256.update(pathBytes, pathFrom, pathLength);
      try {
        sha256.digest(pathHash, 0, pathHash.length);
      } catch (java.security.DigestException e) {
        throw new IllegalStateException(e);
      }
      hashed = true;
    }
    return pathHash;
  }

  /** Where {@code path} goes under {@code role}; {@code leaf}: a role that delegates no further. */
  private record Route(String role, boolean leaf) {}

  /** The chain of roles from targets down to here is kept, so a delegation back up is caught. */
  private Route route(String role) {
    for (int i = 0; i < depth; i++) {
      if (chain[i] == role || chain[i].equals(role)) {
        throw new UsageError("delegations loop back to role '" + role + "'");
      }
    }
    if (depth == chain.length) {
      chain = java.util.Arrays.copyOf(chain, depth * 2);
    }
    chain[depth++] = role;
    try {
      return below(role);
    } finally {
      chain[--depth] = null;
    }
  }

  private Route below(String role) {
    Delegations d = delegations.computeIfAbsent(role, this::delegationsOf).orElse(null);
    if (d == null) {
      return new Route(role, true);
    }
    if (d.succinctRoles() != null) {
      return new Route(binName(d.succinctRoles()), true);
    }
    Route fallback = null;
    for (DelegatedRole r : d.roles()) {
      if (r.pathHashPrefixes() != null ? !r.covers(null, hash()) : !r.covers(path())) {
        continue;
      }
      Route below = route(r.name());
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
