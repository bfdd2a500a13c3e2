package dev.tufsh.trust;

import dev.tufsh.crypto.Key;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Role;
import dev.tufsh.model.SuccinctRoles;
import java.util.Map;

/**
 * One delegation: {@code delegator} trusts {@code child} with {@code keys} at {@code role}'s
 * threshold, for the paths its {@code roles} entry or its succinct bin covers (exactly one is set);
 * {@code scope} is the {@link ScopeDigest#scope} of those paths or that bin and of the chain above
 * the delegator, {@code keyDigest} the {@link ScopeDigest#keys} of the keys, threshold and chain;
 * {@code bin} is the child's index among {@code bins} (-1 without bins), so that a path's bin is
 * compared as a number, not as a formatted name (2.3 M paths at PyPI's size).
 */
record Edge(
    String delegator, String child, Map<String, Key> keys, Role role, DelegatedRole entry, SuccinctRoles bins,
    long bin, String scope, String keyDigest) {

  /** Whether this delegation lets {@code child} list {@code path} (spec 4.5 paths, path_hash_prefixes; TAP 15). */
  boolean covers(String path) {
    return covers(ScopedPath.of(path));
  }

  /** As {@link #covers(String)}, taking the path's text or hash from {@code p}, which makes each once. */
  boolean covers(ScopedPath p) {
    if (bins != null) {
      return bins.binIndexForHash(p.sha256()) == bin;
    }
    // A hash-prefix entry reads only the hash; a pattern entry only the text.
    return entry.paths() != null ? entry.covers(p.text()) : entry.covers(null, p.sha256());
  }
}
