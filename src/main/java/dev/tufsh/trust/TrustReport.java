package dev.tufsh.trust;

import dev.tufsh.model.Metadata;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a successful verification established. {@code targetsRolesVerified} counts top-level targets
 * and every delegated role; {@code targetsListed} counts target entries over all those roles;
 * {@code targetFilesVerified} counts target entries whose files were read and matched (0 when
 * target files were not checked). {@code roleVersions} and {@code metadata} are keyed by role name
 * (root, timestamp, snapshot, targets and each delegated role) in the order they were verified;
 * roles accepted as {@link KnownRole known} have a version but no metadata and count in neither
 * {@code targetsListed} nor {@code targetFilesVerified}. {@code leaves} holds what was established
 * about every role that delegates nothing, for the next verification to build on. Bins accepted
 * as {@link SettledBins settled} count in {@code targetsRolesVerified} and are in {@code leaves}, not
 * in {@code roleVersions}; {@code settled} is what the next publish's walk may build on (null: none).
 */
public record TrustReport(
    int rootVersion,
    int timestampVersion,
    int snapshotVersion,
    int targetsRolesVerified,
    int targetsListed,
    int targetFilesVerified,
    Map<String, Integer> roleVersions,
    Map<String, Metadata<?>> metadata,
    Map<String, KnownRole> leaves,
    SettledBins settled) {
  public TrustReport {
    // An overlay is immutable already, and kept as one: the verified index compares only what differs.
    leaves = leaves instanceof dev.tufsh.model.Overlay ? leaves : Collections.unmodifiableMap(leaves);
    // Kept in verification order: top-level roles, then delegated roles as they were reached.
    roleVersions = Collections.unmodifiableMap(new LinkedHashMap<>(roleVersions));
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }
}
