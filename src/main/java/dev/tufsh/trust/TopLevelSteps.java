package dev.tufsh.trust;

import dev.tufsh.model.MetaFile;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Root;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.Targets;
import dev.tufsh.model.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Spec 5.4, 5.5 and 5.6.1-6: timestamp, snapshot and top-level targets under the final root. */
final class TopLevelSteps {
  private static final String TIMESTAMP = RoleType.TIMESTAMP.wire();
  private static final String SNAPSHOT = RoleType.SNAPSHOT.wire();
  private static final String TARGETS = RoleType.TARGETS.wire();

  private TopLevelSteps() {}

  static Decoded<Timestamp> timestamp(
      Root root, MetadataSource meta, byte[] previous, Instant now, AlreadyDecoded held) {
    // 5.4.1: timestamp.json is never versioned.
    String file = FileNames.timestamp();
    byte[] bytes = read(meta, file, TIMESTAMP);
    Decoded<Timestamp> ts = Decoded.of(bytes, file, TIMESTAMP, Timestamp.class, held);
    // 5.4.2: a threshold of the timestamp keys the final root lists.
    Checks.threshold(ts, TIMESTAMP, root.keys(), root.role(RoleType.TIMESTAMP), null);
    // 5.4.3: no rollback against the client's trusted timestamp, nor of the snapshot version it names.
    if (previous != null) {
      Timestamp old = Decoded.of(previous, "previous " + file, TIMESTAMP, Timestamp.class, held).signed();
      Timestamp now0 = ts.signed();
      if (now0.version() < old.version()) {
        throw new VerificationError(
            file, TIMESTAMP, "version went back from " + old.version() + " to " + now0.version());
      }
      if (now0.version() == old.version() && !Arrays.equals(bytes, previous)) {
        // A client would keep its copy and never see this one.
        throw new VerificationError(
            file, TIMESTAMP, "version " + now0.version() + " is already trusted with different content");
      }
      if (now0.snapshot().version() < old.snapshot().version()) {
        throw new VerificationError(
            file, TIMESTAMP,
            "snapshot version went back from " + old.snapshot().version() + " to " + now0.snapshot().version());
      }
    }
    // 5.4.4: not expired.
    Checks.notExpired(ts, TIMESTAMP, now);
    return ts;
  }

  static Decoded<Snapshot> snapshot(
      Root root, Timestamp ts, boolean consistent, MetadataSource meta, byte[] previous, Instant now,
      AlreadyDecoded held) {
    MetaFile entry = ts.snapshot();
    // 5.5.1: V.snapshot.json with consistent snapshots, V from timestamp.
    String file = FileNames.metadata(SNAPSHOT, entry.version(), consistent);
    byte[] bytes = read(meta, file, SNAPSHOT);
    // 5.5.2: length and hashes from timestamp, on the bytes, before signatures.
    Checks.lengthAndHashes(bytes, entry, file, SNAPSHOT, "timestamp", held);
    Decoded<Snapshot> snap = Decoded.of(bytes, file, SNAPSHOT, Snapshot.class, held);
    // 5.5.3: a threshold of the snapshot keys.
    Checks.threshold(snap, SNAPSHOT, root.keys(), root.role(RoleType.SNAPSHOT), null);
    // 5.5.4: the version timestamp names.
    Checks.version(snap, SNAPSHOT, entry.version(), "timestamp");
    // 5.5.5: every role the trusted snapshot listed is still listed, never at a lower version.
    if (previous != null) {
      Snapshot old = Decoded.of(previous, "previous snapshot.json", SNAPSHOT, Snapshot.class, held).signed();
      Map<String, MetaFile> current = snap.signed().meta();
      // In any order first (16,384 entries each publish); sorted only when one went back, so that
      // of several the same one is reported on every run.
      // A snapshot made by laying entries over the trusted one's (model.Overlay: one upload's)
      // maps every other name to the very same entry, so only the names that may differ are compared.
      java.util.Set<String> maybe = dev.tufsh.model.Overlay.differing(old.meta(), current);
      Iterable<String> names = maybe != null ? maybe : old.meta().keySet();
      for (String name : names) {
        MetaFile was = old.meta().get(name);
        MetaFile now0 = current.get(name);
        if (was != null && (now0 == null || now0.version() < was.version())) {
          rolledBack(file, old.meta(), current);
        }
      }
    }
    // 5.5.6: not expired.
    Checks.notExpired(snap, SNAPSHOT, now);
    return snap;
  }

  /** Throws the first entry (in sorted order) that {@code current} dropped or took back from {@code old}. */
  private static void rolledBack(String file, Map<String, MetaFile> old, Map<String, MetaFile> current) {
    for (Map.Entry<String, MetaFile> e : new TreeMap<>(old).entrySet()) {
      MetaFile now0 = current.get(e.getKey());
      int was = e.getValue().version();
      if (now0 == null) {
        throw new VerificationError(
            file, SNAPSHOT, "'" + e.getKey() + "' was dropped (the trusted snapshot lists version " + was + ")");
      }
      if (now0.version() < was) {
        throw new VerificationError(
            file, SNAPSHOT, "'" + e.getKey() + "' version went back from " + was + " to " + now0.version());
      }
    }
  }

  static Decoded<Targets> targets(
      Root root, Decoded<Snapshot> snap, boolean consistent, MetadataSource meta, Instant now) {
    MetaFile entry = snap.signed().entry(TARGETS);
    if (entry == null) {
      throw new VerificationError(snap.file(), SNAPSHOT, "does not list targets.json");
    }
    // 5.6.1: V.targets.json, V from snapshot.
    String file = FileNames.metadata(TARGETS, entry.version(), consistent);
    byte[] bytes = read(meta, file, TARGETS);
    // 5.6.2: length and hashes from snapshot, if it gives them.
    Checks.lengthAndHashes(bytes, entry, file, TARGETS, "snapshot");
    Decoded<Targets> t = Decoded.of(bytes, file, TARGETS, Targets.class);
    // 5.6.3: a threshold of the targets keys root lists.
    Checks.threshold(t, TARGETS, root.keys(), root.role(RoleType.TARGETS), null);
    // 5.6.4: the version snapshot names.
    Checks.version(t, TARGETS, entry.version(), "snapshot");
    // 5.6.5: not expired.
    Checks.notExpired(t, TARGETS, now);
    return t;
  }

  static byte[] read(MetadataSource meta, String file, String role) {
    return meta.read(file).orElseThrow(() -> new VerificationError(file, role, "file is missing"));
  }
}
