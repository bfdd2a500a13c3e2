package dev.tufsh.repo;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataPeek;
import dev.tufsh.model.Timestamp;
import dev.tufsh.trust.ClientVerifier;
import dev.tufsh.trust.PreviousState;
import dev.tufsh.trust.TrustReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Publishes a plan: checks every threshold, verifies the result as a client holding the current
 * root would, then writes target files, new metadata files, and {@code timestamp.json} last, each
 * by atomic rename. Until that last rename clients see the old repository; after it, the new one.
 */
public final class Publisher {
  private Publisher() {}

  public static PublishResult publish(Repository repo, Plan plan) {
    if (plan.isEmpty()) {
      throw new dev.tufsh.errors.UsageError("nothing is staged; there is nothing to publish");
    }
    plan.requireComplete();
    Path meta = repo.workspace().metadataDir();
    VerifiedIndex.Known known = VerifiedIndex.load(repo.workspace(), repo.published());
    if (!known.vouchesForPublished()) {
      // The new snapshot carries the published one's entries: not tufsh's last (foreign, restored,
      // or changed by hand), it must still carry the snapshot keys' signatures.
      repo.requireUntampered("snapshot");
    }
    requireTimestampUntampered(repo);
    repo.highWater().check(repo, plan, known.vouchesForPublished());
    // A publish killed mid-write leaves temp files beside the metadata clients read; we hold the lock.
    Leftovers.remove(meta, repo.workspace().privateDir());

    Map<String, Integer> versions = new LinkedHashMap<>();
    plan.entries().forEach(e -> versions.put(e.role(), e.newVersion()));
    Map<String, byte[]> files = plan.newFiles();
    // Names this publish brings into metadata/: removed again if it fails before timestamp.json,
    // so a failed verification, a full disk or an I/O error leaves the folder as it was (nothing
    // referred to them yet).
    List<Path> created = files.keySet().stream().filter(n -> !n.equals(FileNames.TIMESTAMP))
        .map(meta::resolve).filter(p -> !Files.exists(p)).toList();
    TrustReport verified;
    int targetFiles;
    Streamed first = new Streamed(meta, files);
    try {
      // Delegated roles and targets (new names that no published file refers to yet) are written
      // to temp names as the client verification reads them, one read of each from the staging
      // log and none held (16 384 bins daily), and renamed into place once it passed.
      verified = verifyAsClient(repo, plan, first, known);
      first.rest();
      targetFiles = copyTargets(repo, plan);
      first.moveIntoPlace();
      // Then snapshot and the new root (and its convenience copy), then timestamp.json alone.
      for (String name : files.keySet()) {
        if (name.contains(".snapshot.") || name.endsWith(".root.json")) {
          AtomicFiles.write(meta.resolve(name), files.get(name));
        }
      }
      files.keySet().stream().filter(n -> n.endsWith(".root.json")).findFirst()
          .ifPresent(n -> AtomicFiles.write(meta.resolve(FileNames.ROOT), files.get(n)));
      AtomicFiles.syncDir(meta);
      AtomicFiles.write(meta.resolve(FileNames.TIMESTAMP), files.get(FileNames.TIMESTAMP));
    } catch (RuntimeException e) {
      removeQuietly(first.temps());
      removeQuietly(created);
      first.unplace(e);
      throw e;
    }
    AtomicFiles.syncDir(meta);
    Leftovers.clean(meta, repo.workspace().privateDir()); // every temp name of this publish is renamed into place now
    // Its signatures were just checked under the newest root by the client verification.
    VouchedTimestamp.published(meta, files.get(FileNames.TIMESTAMP), repo.published().rootBytes());
    byte[] snapshot = newSnapshot(files, repo);
    String snapshotSha256 = snapshotSha256(snapshot, verified);
    PublishedState.remember(meta, files.get(FileNames.TIMESTAMP), verified.metadata().get("timestamp"),
        snapshot, verified.metadata().get("snapshot"), snapshotSha256);
    repo.highWater().record(versions);
    updateIndex(repo, plan);
    recordVerified(repo, snapshotSha256, verified, known);
    repo.staging().clear();
    return new PublishResult(versions, files.size(), targetFiles);
  }

  /**
   * The new timestamp is the published one with a new version, expiry and snapshot entry (its spec
   * version and unknown members kept, its version the next above the published one): a
   * timestamp.json changed by hand (a member added, a version raised to exhaust the numbers
   * clients accept) must still carry the timestamp keys' signatures, or nothing is published.
   */
  private static void requireTimestampUntampered(Repository repo) {
    if (!repo.isStaged("timestamp") && repo.published().timestamp().isPresent()
        && !VouchedTimestamp.holds(repo.workspace().metadataDir())) {
      // Not the very timestamp and root chain this process last vouched for: signatures checked.
      repo.requireUntampered("timestamp");
    }
  }

  /** Whether {@code name} is written before snapshot, root and timestamp (a targets-type role's file). */
  private static boolean writtenFirst(String name) {
    return !name.equals(FileNames.TIMESTAMP) && !name.endsWith(".root.json") && !name.contains(".snapshot.");
  }

  /**
   * The plan's targets-type files, each written to a temp name in metadata/ (unflushed) the first
   * time the client verification reads it; {@link #rest} writes those the verification did not
   * read, and {@link #moveIntoPlace}
   * renames them all once the verification passed. Thread-safe: the verification reads on all cores.
   * A staged role file (a large batch's bins, on disk and flushed since staging) is not written
   * again: {@link #moveIntoPlace} links it into place, the bytes verified being that file's.
   */
  private static final class Streamed {
    private final Path meta;
    private final Map<String, byte[]> files;
    private final Map<String, Path> temps = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> placed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Streamed(Path meta, Map<String, byte[]> files) {
      this.meta = meta;
      this.files = files;
    }

    /** The bytes of new file {@code name}, written to its temp name now when it is one of the first; null if not new. */
    byte[] read(String name) {
      byte[] b = files.get(name);
      if (b != null && writtenFirst(name) && !linkable(name)) {
        take(name, b);
      }
      return b;
    }

    private boolean linkable(String name) {
      return files instanceof PlanFiles pf && pf.linkable(name);
    }

    private void take(String name, byte[] b) {
      if (temps.containsKey(name)) {
        return; // read again: written once
      }
      Path tmp = AtomicFiles.writeTemp(meta.resolve(name), b);
      if (temps.putIfAbsent(name, tmp) != null) {
        AtomicFiles.deleteQuietly(tmp);
      }
    }

    /** Writes the first files the verification did not read (none, when every role was reached). */
    void rest() {
      ParallelWrites.forEach(files.keySet().stream()
          .filter(n -> writtenFirst(n) && !temps.containsKey(n) && !linkable(n)).toList(), n -> take(n, files.get(n)));
    }

    /**
     * Flushes the temp files once and renames each to its name: still nothing refers to them. The
     * folder is flushed by publish after these renames and before timestamp.json's.
     */
    void moveIntoPlace() {
      linkStaged();
      AtomicFiles.flushBeforeRename(temps.values());
      ParallelWrites.forEach(temps.entrySet(), e -> {
        try {
          AtomicFiles.move(e.getValue(), meta.resolve(e.getKey()));
        } catch (IOException x) {
          throw new WorkspaceError("cannot write " + meta.resolve(e.getKey()) + ": " + AtomicFiles.reason(x), x);
        }
      });
    }

    /**
     * Links each staged role file into place (its bytes flushed when it was staged: the folder's
     * entry is flushed before timestamp.json); one the file system cannot link is written instead.
     */
    private void linkStaged() {
      if (!(files instanceof PlanFiles pf)) {
        return;
      }
      ParallelWrites.forEach(files.keySet().stream()
          .filter(n -> writtenFirst(n) && !temps.containsKey(n) && pf.linkable(n)).toList(), n -> {
            if (pf.place(n, meta.resolve(n))) {
              placed.add(n);
            } else {
              take(n, files.get(n));
            }
          });
    }

    /** The publish failed: each staged role file linked into place is owner-only again (its name there removed). */
    void unplace(RuntimeException failure) {
      if (files instanceof PlanFiles pf) {
        for (String n : placed) {
          try {
            pf.unplace(n);
          } catch (RuntimeException e) {
            failure.addSuppressed(e);
          }
        }
      }
    }

    List<Path> temps() {
      return List.copyOf(temps.values());
    }
  }

  private static void removeQuietly(List<Path> files) {
    for (Path p : files) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // Unreferenced debris at worst: the next publish overwrites it.
      }
    }
  }

  /** Extends the status cache with the roles just published (targets-type roles only). */
  private static void updateIndex(Repository repo, Plan plan) {
    Map<String, PublishedIndex.Entry> changed = new LinkedHashMap<>();
    for (PlanEntry e : plan.entries()) {
      boolean targetsType = !dev.tufsh.model.RoleType.isTopLevel(e.role()) || e.role().equals("targets");
      if (targetsType && repo.staging().has(e.role())) {
        // The plan's peek of the same bytes, kept by the staging: the log is not read again.
        MetadataPeek md = repo.staging().peek(e.role());
        changed.put(e.role(), new PublishedIndex.Entry(e.role(), md.version(), md.expires(), md.targets(), md.keyids()));
      }
    }
    int snapshot = plan.entries().stream().filter(e -> e.role().equals("snapshot")).mapToInt(PlanEntry::newVersion)
        .findFirst().orElse(repo.publishedVersion("snapshot"));
    PublishedIndex.update(repo.workspace(), snapshot, changed, repo.published());
  }

  /** The bytes of the snapshot clients see after this publish: the new one, or the published one. */
  private static byte[] newSnapshot(Map<String, byte[]> files, Repository repo) {
    return files.entrySet().stream().filter(e -> e.getKey().contains(".snapshot."))
        .map(Map.Entry::getValue).findFirst().orElse(repo.published().snapshotBytes());
  }

  /**
   * The SHA-256 (hex) of the snapshot clients see after this publish: the one the verified
   * timestamp names, which the client verification checked against the snapshot's bytes (spec
   * 5.5.2), so they are not hashed again; hashed when the timestamp gives no SHA-256.
   */
  private static String snapshotSha256(byte[] snapshot, TrustReport verified) {
    Metadata<?> ts = verified.metadata().get("timestamp");
    if (ts != null && ts.signed() instanceof Timestamp t && t.snapshot().hashes() != null
        && t.snapshot().hashes().get("sha256") != null) {
      return t.snapshot().hashes().get("sha256");
    }
    return Hex.encode(Crypto.sha256(snapshot));
  }

  /** Keeps what was verified for the next publish; only a cache, so a failure here is not the publish's. */
  private static void recordVerified(Repository repo, String snapshotSha256, TrustReport verified,
      VerifiedIndex.Known known) {
    try {
      VerifiedIndex.write(repo.workspace(), snapshotSha256, verified.leaves(), known, verified.settled());
    } catch (RuntimeException e) {
      // An index left behind names the previous snapshot, so the next publish ignores it.
    }
  }

  /**
   * Runs the client workflow over the published files with the new ones laid over them. Every new
   * file is read (through {@code streamed}, which writes it to its temp name) and verified; a
   * published role that the new snapshot names at the version the verified index vouches for,
   * under an unchanged delegation, is taken from the index unread.
   */
  private static TrustReport verifyAsClient(
      Repository repo, Plan plan, Streamed streamed, VerifiedIndex.Known known) {
    Map<String, byte[]> files = plan.newFiles();
    Path meta = repo.workspace().metadataDir();
    byte[] trusted = repo.published().rootBytes();
    if (trusted == null) {
      // First publish: the new version 1 root is what clients will ship with.
      trusted = files.get(FileNames.root(1));
      if (trusted == null) {
        throw new WorkspaceError("nothing published yet and no root version 1 is staged");
      }
    }
    PreviousState previous =
        new PreviousState(repo.published().timestampBytes(), repo.published().snapshotBytes());
    PublishedState pub = repo.published();
    HeldMetadata held = new HeldMetadata()
        .add(pub.timestampBytes(), pub.timestamp().orElse(null))
        .add(pub.snapshotBytes(), pub.snapshot().orElse(null));
    plan.encoded().forEach((name, md) -> held.add(files.get(name), md));
    plan.sha256().forEach((name, sha256) -> held.hashed(files.get(name), sha256));
    return new ClientVerifier(repo.now())
        .keepLeafMetadata(false)
        .knownRoles(known)
        // The bins this process's last publish settled, held with the very index bytes it wrote
        // (bound to the snapshot it published): the walk then checks only the bins whose entries
        // the new snapshot may change, and anyone else's publish or edit means a walk of every bin.
        .settled(known.settled())
        .alreadyDecoded(held)
        .verify(
        trusted,
        name -> {
          byte[] b = streamed.read(name);
          if (b != null) {
            return Optional.of(b);
          }
          Path p = meta.resolve(name);
          return Files.exists(p) ? Optional.of(AtomicFiles.read(p)) : Optional.empty();
        },
        null,
        previous);
  }

  private static int copyTargets(Repository repo, Plan plan) {
    Path dir = repo.workspace().targetsDir();
    int n = 0;
    for (StagedFile f : plan.files()) {
      Path plain = dir.resolve(f.path()).normalize();
      if (!plain.startsWith(dir)) {
        throw new WorkspaceError("target path " + f.path() + " would leave the targets folder");
      }
      AtomicFiles.publicDirs(plain.getParent());
      List<Path> names = new java.util.ArrayList<>();
      for (String hash : new java.util.TreeSet<>(f.hashes().values())) {
        names.add(dir.resolve(FileNames.target(f.path(), hash)));
      }
      names.add(plain);
      n += TargetCopies.copy(names, f);
    }
    return n;
  }

  /** Digests of a file, streamed (targets can be large). */
  public static Map<String, String> digest(Path file, Iterable<String> algorithms) {
    Map<String, MessageDigest> mds = new LinkedHashMap<>();
    for (String a : algorithms) {
      mds.put(a, Crypto.tufDigest(a));
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int r;
      while ((r = in.read(buf)) > 0) {
        for (MessageDigest md : mds.values()) {
          md.update(buf, 0, r);
        }
      }
    } catch (IOException e) {
      throw new WorkspaceError("cannot read " + file + ": " + AtomicFiles.reason(e), e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    mds.forEach((a, md) -> out.put(a, Hex.encode(md.digest())));
    return out;
  }
}
