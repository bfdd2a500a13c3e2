package dev.tufsh.trust;

import dev.tufsh.model.Metadata;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Root;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.Targets;
import dev.tufsh.model.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The TUF client workflow (spec 5) over a whole repository: root chain, timestamp, snapshot,
 * targets, every delegated role, the scope of every listed target, and optionally the target
 * files. Pure: files come from the sources, the time is fixed at construction (spec 5.1), and the
 * first problem found is thrown as a one-line {@link VerificationError}.
 *
 * <pre>{@code
 * TrustReport r = new ClientVerifier(Instant.now()).verify(trustedRootBytes, metaSource, targetSource, null);
 * }</pre>
 */
public final class ClientVerifier {
  private final Instant now;
  private final Boolean checkTargetFiles;
  private final KnownRoles known;
  private final boolean keepLeaves;
  private final boolean leafDigests;
  private final AlreadyDecoded held;
  /** Whether the walk builds on {@link #settled} (may be null) and reports its own {@link SettledBins}. */
  private final boolean settling;
  private final SettledBins settled;

  /** {@code now} is the update's start time: every expiry is judged against it (spec 5.1). */
  public ClientVerifier(Instant now) {
    this(now, null, KnownRoles.NONE, true, true, AlreadyDecoded.NONE, false, null);
  }

  private ClientVerifier(
      Instant now, Boolean checkTargetFiles, KnownRoles known, boolean keepLeaves, boolean leafDigests,
      AlreadyDecoded held, boolean settling, SettledBins settled) {
    this.settling = settling;
    this.settled = settled;
    this.now = Objects.requireNonNull(now, "now");
    this.checkTargetFiles = checkTargetFiles;
    this.known = Objects.requireNonNull(known, "known");
    this.keepLeaves = keepLeaves;
    this.leafDigests = leafDigests;
    this.held = Objects.requireNonNull(held, "held");
  }

  /** Whether to read and check target files; by default they are checked when a source is given. */
  public ClientVerifier checkTargetFiles(boolean check) {
    return new ClientVerifier(now, check, known, keepLeaves, leafDigests, held, settling, settled);
  }

  /**
   * Whether the report keeps the metadata of roles that delegate nothing (the default). Without
   * it each such role is checked whole as soon as it is read and then dropped: memory holds the
   * roles being read, not all 16 384 bins. The counts in the report are the same.
   */
  public ClientVerifier keepLeafMetadata(boolean keep) {
    return new ClientVerifier(now, checkTargetFiles, known, keep, leafDigests, held, settling, settled);
  }

  /**
   * Roles verified before, which need not be read again where nothing they depend on changed (see
   * {@link KnownRole}); their target files are not checked. Full verification passes none.
   */
  public ClientVerifier knownRoles(KnownRoles k) {
    return new ClientVerifier(now, checkTargetFiles, k, keepLeaves, leafDigests, held, settling, settled);
  }

  /**
   * Whether the report's {@link TrustReport#leaves} carry each file's SHA-256, as a verified index
   * keeps them (the default). Without it their {@code sha256} is null: a verification that keeps no
   * index does not hash every bin once more (a tenth of {@code verify}'s CPU at 1,024 bins).
   */
  public ClientVerifier leafDigests(boolean digests) {
    return new ClientVerifier(now, checkTargetFiles, known, keepLeaves, digests, held, settling, settled);
  }

  /**
   * Timestamp and snapshot metadata the caller already holds for the bytes it gives (see {@link
   * AlreadyDecoded}): taken instead of parsing those bytes again, every check still made.
   */
  public ClientVerifier alreadyDecoded(AlreadyDecoded h) {
    return new ClientVerifier(now, checkTargetFiles, known, keepLeaves, leafDigests, h, settling, settled);
  }

  /**
   * A publish's walk over a snapshot made from an earlier verified one: the bins {@code previous}
   * (a {@link TrustReport#settled} of this process's last publish, or null) settled are taken as
   * they stand where their entries are the very ones it settled, and the report carries this
   * walk's {@link SettledBins} for the next. Only without kept leaves and target files.
   */
  public ClientVerifier settled(SettledBins previous) {
    return new ClientVerifier(now, checkTargetFiles, known, keepLeaves, leafDigests, held, true, previous);
  }

  /**
   * Verifies the repository {@code meta} (and {@code targets}, when not null) starting from
   * {@code trustedRoot}, which may be any root version. {@code previous} holds a client's trusted
   * timestamp and snapshot for rollback checks and may be null.
   */
  public TrustReport verify(byte[] trustedRoot, MetadataSource meta, TargetSource targets, PreviousState previous) {
    Objects.requireNonNull(trustedRoot, "trustedRoot");
    Objects.requireNonNull(meta, "meta");
    // 5.2-5.3: the root chain, ending in an unexpired root.
    RootChain.Result chain = RootChain.walk(trustedRoot, meta, now);
    Decoded<Root> rootFile = chain.current();
    Root root = rootFile.signed();
    // 5.3.11: rotated timestamp or snapshot keys void the client's copies (fast-forward recovery).
    byte[] prevTimestamp = previous == null ? null : previous.timestamp();
    byte[] prevSnapshot = previous == null ? null : previous.snapshot();
    if (RootChain.onlineKeysRotated(chain.trusted().signed(), root)) {
      prevTimestamp = null;
      prevSnapshot = null;
    }
    // 5.3.12: the final root decides the file names.
    boolean consistent = RootChain.consistent(root);
    // 5.4: timestamp.
    Decoded<Timestamp> ts = TopLevelSteps.timestamp(root, meta, prevTimestamp, now, held);
    // 5.5: snapshot.
    Decoded<Snapshot> snap = TopLevelSteps.snapshot(root, ts.signed(), consistent, meta, prevSnapshot, now, held);
    // 5.6.1-6: top-level targets.
    Decoded<Targets> top = TopLevelSteps.targets(root, snap, consistent, meta, now);
    // 5.6.7: every delegated role, then the scope of every target it lists (spec 4.5).
    boolean files = targets != null && (checkTargetFiles == null || checkTargetFiles);
    DelegationWalk walk = new DelegationWalk(snap, consistent, meta, now, known, keepLeaves, leafDigests, files ? targets : null);
    if (settling) {
      walk.settling(settled);
    }
    if (!walk.run(top)) {
      // The settled bins' delegator turned out to be reached twice: every bin is walked instead.
      walk = new DelegationWalk(snap, consistent, meta, now, known, keepLeaves, leafDigests, files ? targets : null)
          .settling(null);
      walk.run(top);
    }
    Map<String, Decoded<Targets>> roles = walk.roles();
    DelegationScope.check(roles, walk.incoming());
    // 5.7: target files (of roles checked whole as they were read, counted by the walk).
    int filesVerified = (files ? TargetFiles.check(roles, targets, consistent, Interruption.ofCurrentThread()) : 0) + walk.filesByDropped();
    return report(rootFile, ts, snap, roles, walk, filesVerified);
  }

  private static TrustReport report(
      Decoded<Root> root,
      Decoded<Timestamp> ts,
      Decoded<Snapshot> snap,
      Map<String, Decoded<Targets>> roles,
      DelegationWalk walk,
      int filesVerified) {
    Map<String, Integer> versions = new LinkedHashMap<>();
    Map<String, Metadata<?>> metadata = new LinkedHashMap<>();
    versions.put(RoleType.ROOT.wire(), root.signed().version());
    metadata.put(RoleType.ROOT.wire(), root.metadata());
    versions.put(RoleType.TIMESTAMP.wire(), ts.signed().version());
    metadata.put(RoleType.TIMESTAMP.wire(), ts.metadata());
    versions.put(RoleType.SNAPSHOT.wire(), snap.signed().version());
    metadata.put(RoleType.SNAPSHOT.wire(), snap.metadata());
    int listed = walk.listedByDropped();
    for (String role : walk.order()) {
      versions.put(role, walk.version(role));
      Decoded<Targets> d = roles.get(role);
      if (d != null) {
        metadata.put(role, d.metadata());
        listed += d.signed().targets().size();
      }
    }
    return new TrustReport(
        root.signed().version(), ts.signed().version(), snap.signed().version(),
        versions.size() - 3 + walk.settledCount(), listed, filesVerified, versions, metadata, walk.leaves(),
        walk.settled());
  }
}
