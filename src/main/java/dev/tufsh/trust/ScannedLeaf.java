package dev.tufsh.trust;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.model.MetaFile;
import dev.tufsh.model.Signatures;
import dev.tufsh.model.TargetsScan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Spec 5.6.3-5.6.5 and 4.5's scope for a role that delegates nothing, checked from one pass over
 * its canonical bytes ({@link TargetsScan}) instead of a decode into a record per target: a
 * threshold of this delegation's keys signed the {@code signed} bytes, the version is snapshot's,
 * the expiry has not passed, every path is valid and covered by some chain of delegations above
 * ({@link DelegationScope#permitted}, each path hashed once). What {@link DelegationWalk#read}
 * records of such a role is recorded from these facts.
 *
 * <p>Anything not so (a file in another layout, a bad signature, a target out of scope, a wrong
 * version) answers empty and the role is decoded and checked in full, which accepts it or says
 * what is wrong in today's words: this pass only ever accepts what the full check accepts.
 */
final class ScannedLeaf {
  private ScannedLeaf() {}

  static Optional<RenewedLeaf.Accepted> check(byte[] bytes, Edge e, MetaFile entry, Instant now,
      Map<String, List<Edge>> incoming, Signatures.Check verify, boolean digests) {
    String role = e.child();
    ScopedPath path = ScopedPath.reusable();
    TargetsScan.Result r =
        TargetsScan.of(bytes, (b, from, to) -> DelegationScope.permitted(role, path.at(b, from, to), incoming));
    if (r == null || r.version() != entry.version() || r.expires().isExpiredAt(now)
        || !Signatures.check(role, r.signatures(), r.signedBytes(bytes), e.keys(), e.role(), verify).thresholdMet()) {
      return Optional.empty();
    }
    return Optional.of(new RenewedLeaf.Accepted(
        new KnownRole(entry.version(), bytes.length, digests ? Hex.encode(Crypto.sha256(bytes)) : null, r.expires(),
            e.scope(), e.keyDigest()),
        r.targets()));
  }
}
