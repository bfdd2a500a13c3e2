package dev.tufsh.trust;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.json.Json;
import dev.tufsh.model.MetaFile;
import dev.tufsh.model.Signature;
import dev.tufsh.model.Signatures;
import dev.tufsh.model.SignedSplice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Spec 5.6 for a role that delegates nothing and was renewed since an earlier verification: the
 * daily job's 16 384 bins, each a new version with a new expiry and the same ~139 targets, and the
 * incident's, each re-signed by the keys that replaced a revoked one. Checked without decoding a
 * target entry when its file's signed bytes are exactly those of the file the earlier
 * verification vouched for ({@link KnownRole}: version, length, SHA-256, checked under the target
 * scope this edge gives) with only {@code version} and {@code expires} changed.
 *
 * <p>Why that is sound: both files are canonical ({@link SignedSplice} checks every byte), so the
 * new one decodes to the vouched-for role with another version and expiry: a targets role without
 * delegations whose every target entry was valid and within this delegation's target scope when it
 * was verified, under the same {@link ScopeDigest#scope} (paths or bin, and the chain above). Which
 * keys signed the old file does not matter: what differs is checked here as {@link
 * DelegationWalk#read} would, a threshold of the keys this delegation gives now signed the new
 * bytes (canonical, so the bytes in the file are the bytes signed), the version is the one
 * snapshot names, the expiry has not passed, the length is the snapshot's when it gives one.
 * Anything else (a hash in snapshot, a bad signature, too few of the new keys, an old file that is
 * not the vouched one, a non-canonical byte) answers empty, and the role is read and checked in
 * full, which also says what is wrong.
 */
final class RenewedLeaf {
  private RenewedLeaf() {}

  /** What the walk records of a role accepted here: its index entry and how many targets it lists. */
  record Accepted(KnownRole leaf, int targets) {}

  static Optional<Accepted> check(
      byte[] bytes, byte[] previous, KnownRole known, Edge e, MetaFile entry, Instant now, Signatures.Check verify) {
    if (previous == null || previous.length != known.length() || entry.hashes() != null
        || (entry.length() != null && entry.length() != bytes.length)
        || !Hex.encode(Crypto.sha256(previous)).equals(known.sha256())) {
      return Optional.empty();
    }
    // Hashed just now: the renewal in this process (bump, revoke) scanned the same bytes already.
    Optional<SignedSplice> was = SignedSplice.of(previous, known.sha256());
    if (was.isEmpty() || was.get().version() != known.version()) {
      return Optional.empty();
    }
    // The new file is compared with the scanned old one around its version and expiry, not scanned again.
    Optional<SignedSplice> now1 = was.get().renewedTo(bytes);
    if (now1.isEmpty()) {
      return Optional.empty();
    }
    SignedSplice renewed = now1.get();
    if (renewed.version() != entry.version() || renewed.expires().isExpiredAt(now)) {
      return Optional.empty();
    }
    Optional<List<Signature>> sigs = signatures(renewed.signaturesJson());
    if (sigs.isEmpty()
        || !Signatures.check(e.child(), sigs.get(), renewed.signedBytes(), e.keys(), e.role(), verify)
            .thresholdMet()) {
      return Optional.empty();
    }
    return Optional.of(new Accepted(
        new KnownRole(entry.version(), bytes.length, Hex.encode(Crypto.sha256(bytes)), renewed.expires(), e.scope(),
            e.keyDigest()),
        renewed.targetCount()));
  }

  /** The signatures as the full decoding takes them; empty where it would refuse them (it then says why). */
  private static Optional<List<Signature>> signatures(byte[] json) {
    JsonNode a;
    try {
      a = Json.parse(json, "signatures");
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (!a.isArray()) {
      return Optional.empty();
    }
    List<Signature> out = new ArrayList<>(a.size());
    Set<String> seen = new HashSet<>();
    for (JsonNode s : a) {
      JsonNode id = s.get("keyid");
      JsonNode sig = s.get("sig");
      if (id == null || sig == null || !id.isTextual() || !sig.isTextual() || !seen.add(id.textValue())) {
        return Optional.empty();
      }
      out.add(new Signature(id.textValue(), sig.textValue(), Map.of()));
    }
    return Optional.of(out);
  }
}
