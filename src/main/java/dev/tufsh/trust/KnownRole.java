package dev.tufsh.trust;

import dev.tufsh.model.Expiry;

/**
 * What an earlier verification established about a role that delegates nothing: the file of this
 * {@code version} had this {@code length} and {@code sha256}, listed only targets in the target
 * scope whose digest is {@code scope} (paths or bin, and the chain above it), carried a threshold
 * of signatures of the keys whose digest is {@code keyDigest} (see {@link ScopeDigest}), and
 * expires at {@code expires}. {@code sha256} is null where the verification was told not to hash
 * files ({@link ClientVerifier#leafDigests}). A later verification that reaches the same role at
 * the same version under the same two digests need not read it again; one that reaches a renewal
 * of it under the same scope checks only what the renewal changed and its signatures ({@link
 * RenewedLeaf}), whatever the keys are now.
 */
public record KnownRole(int version, long length, String sha256, Expiry expires, String scope, String keyDigest) {
  // equals and hashCode are written out: a record's own link through ObjectMethods' method handles
  // the first time they run, and this is the first record a one-shot upload compares (18 ms of it).
  @Override
  public boolean equals(Object o) {
    return o instanceof KnownRole k && version == k.version && length == k.length
        && java.util.Objects.equals(sha256, k.sha256) && java.util.Objects.equals(expires, k.expires)
        && java.util.Objects.equals(scope, k.scope) && java.util.Objects.equals(keyDigest, k.keyDigest);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(version, length, sha256, expires, scope, keyDigest);
  }
}
