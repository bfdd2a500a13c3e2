package dev.tufsh.trust;

import dev.tufsh.model.Expiry;
import dev.tufsh.model.MetaFile;
import java.util.Map;

/**
 * What a walk established about the bins of one succinct delegation, for the next walk over a
 * snapshot made from that one to take as it stands (see {@link ClientVerifier#settled}): under the
 * delegation whose {@link ScopeDigest} is {@code scope}, by {@code delegator} reached by a single
 * chain from the top, every bin's file at the version {@code snapshotMeta} names was accepted, with
 * the facts {@code facts} gives (all leaves of the walk; the bins among them), none expiring before
 * {@code earliest}. A later walk compares only the entries its snapshot may have changed from
 * {@code snapshotMeta} ({@link dev.tufsh.model.Overlay#differing}); the rest are the very entries
 * already checked, so the 16,384 per-bin checks of one upload become one per changed bin. Made by a
 * walk only ({@link TrustReport#settled}).
 */
public final class SettledBins {
  final String delegator;
  final String scope;
  final Map<String, MetaFile> snapshotMeta;
  final Map<String, KnownRole> facts;
  final Expiry earliest;

  SettledBins(String delegator, String scope, Map<String, MetaFile> snapshotMeta, Map<String, KnownRole> facts,
      Expiry earliest) {
    this.delegator = delegator;
    this.scope = scope;
    this.snapshotMeta = snapshotMeta;
    this.facts = facts;
    this.earliest = earliest;
  }
}
