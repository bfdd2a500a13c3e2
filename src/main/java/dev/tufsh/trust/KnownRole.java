package dev.tufsh.trust;

import dev.tufsh.model.Expiry;

/**
 * What an earlier verification established about a role that delegates nothing: the file of this
 * {@code version} had this {@code length} and {@code sha256}, carried a threshold of signatures of
 * the delegation whose digest is {@code scope} (keys, threshold, paths or bin, and the chain above
 * it), listed only targets in that scope, and expires at {@code expires}. {@code sha256} is null
 * where the verification was told not to hash files ({@link ClientVerifier#leafDigests}). A later verification
 * that reaches the same role at the same version under the same scope need not read it again.
 */
public record KnownRole(int version, long length, String sha256, Expiry expires, String scope) {
  // equals and hashCode are written out: a record's own link through ObjectMethods' method handles
  // the first time they run, and this is the first record a one-shot upload compares (18 ms of it).
  @Override
  public boolean equals(Object o) {
    return o instanceof KnownRole k && version == k.version && length == k.length
        && java.util.Objects.equals(sha256, k.sha256) && java.util.Objects.equals(expires, k.expires)
        && java.util.Objects.equals(scope, k.scope);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(version, length, sha256, expires, scope);
  }
}
