package dev.tufsh.repo;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Signer;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.MetaFile;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.MetadataPeek;
import dev.tufsh.model.Role;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Root;
import dev.tufsh.model.Signature;
import dev.tufsh.model.Signatures;
import dev.tufsh.model.Signed;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.SnapshotSplice;
import dev.tufsh.model.Timestamp;
import dev.tufsh.model.VerificationResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns staged changes into a {@link Plan}: the new snapshot (every changed targets role at its
 * new version, every old entry kept) and the new timestamp, signed with the online keys at hand,
 * and the bytes of every file in the order they must be written: delegated roles, targets,
 * snapshot, root, timestamp last.
 */
public final class Planner {
  private Planner() {}

  public static Plan plan(Repository repo) {
    return plan(repo, true);
  }

  /**
   * The plan as a reviewer sees it, without the online keys' passphrases: snapshot and timestamp
   * are built but not signed, and their entries count the keys that can sign them here at publish
   * (missing: those that cannot). Its bytes are unsigned, so it can never be published.
   */
  public static Plan preview(Repository repo) {
    return plan(repo, false);
  }

  private static Plan plan(Repository repo, boolean sign) {
    Staging st = repo.staging();
    if (st.isEmpty()) {
      return new Plan(List.of(), List.of(), Map.of());
    }
    if (sign) {
      prepareOnline(repo); // a preview (plan) asks for no passphrase
    }
    Map<String, Metadata<? extends Signed>> staged = st.roles();
    // In delegation order, found for the staged roles only (not by listing 16,384 bins).
    List<String> targetRoles = new ArrayList<>(repo.inDelegationOrder(
        staged.keySet().stream().filter(r -> !RoleType.isTopLevel(r) && repo.delegatorOf(r).isPresent()).toList()));
    if (staged.containsKey("targets")) {
      targetRoles.add("targets");
    }
    Map<String, byte[]> files = new ConcurrentHashMap<>();
    Map<String, PlanEntry> entries = new ConcurrentHashMap<>();
    // The staged bytes are the published bytes: nothing is encoded again (16 384 bins daily).
    // What the entries need is peeked, not decoded: publish's client verification decodes each in
    // full. The bytes are not kept: publish reads each from the staging log again as it writes it.
    targetRoles.parallelStream().forEach(r -> {
      MetadataPeek md = st.peek(r);
      entries.put(r, entry(repo, r, md.version(), md.expires(), md.keyids(), repo.keysFor(r), null));
    });

    Metadata<Root> rootMd = null;
    byte[] rootBytes = null;
    if (staged.containsKey("root")) {
      @SuppressWarnings("unchecked")
      Metadata<Root> m = (Metadata<Root>) staged.get("root");
      rootMd = m;
      byte[] canonical = MetadataCodec.canonicalSigned(m.signed());
      rootBytes = MetadataCodec.fileBytes(canonical, m.signatures(), m.signed());
      PlanEntry.PreviousRoot previous = null;
      var pub = repo.published().root();
      if (pub.isPresent()) {
        Root old = pub.get().signed();
        VerificationResult vr = Signatures.check("root", m, canonical, old.keys(), old.role(RoleType.ROOT));
        previous = new PlanEntry.PreviousRoot(vr.validKeyIds().size(), vr.threshold());
      }
      entries.put("root", entry(repo, "root", m, repo.keysFor("root"), previous));
    }

    boolean rootChangesOnline = rootMd != null && onlineKeysChanged(repo, rootMd.signed());
    // snapshot: whenever a targets role changed, snapshot was bumped, or its keys changed.
    Metadata<Snapshot> snapMd = null;
    byte[] snapBytes = null;
    if (!targetRoles.isEmpty() || staged.containsKey("snapshot") || rootChangesOnline
        || repo.published().snapshot().isEmpty()) {
      Map<String, MetaFile> changed = new HashMap<>();
      for (String r : targetRoles) {
        changed.put(r + ".json", MetaFile.ofVersion(st.version(r)));
      }
      Snapshot snap = nextSnapshot(repo, staged, changed);
      SnapshotSplice.Spliced made = snapshotBytes(repo, staged, snap, changed);
      byte[] canonical = made.signed();
      List<Signature> sigs = sign ? signOnline(repo, "snapshot", canonical) : List.of();
      // Kept with its canonical bytes: publish's client verification takes it instead of parsing
      // the file just encoded from it (see trust.AlreadyDecoded).
      snapMd = MetadataCodec.encoded(snap, canonical, sigs);
      snapBytes = MetadataCodec.fileBytes(canonical, sigs, snap);
      if (sign && made.layout() != null) {
        // fileBytes ends the file with the signed bytes and '}': Layout.in checks they are there.
        made.layout().in(snapBytes, canonical, snapBytes.length - canonical.length - 1)
            .ifPresent(l -> SpliceLayouts.put(repo.workspace().metadataDir(), l));
      }
      files.put(FileNames.metadata("snapshot", snap.version()), snapBytes);
      entries.put("snapshot", sign ? entry(repo, "snapshot", snapMd, repo.keysFor("snapshot"), null)
          : atPublish(repo, "snapshot", snap));
    }
    if (rootBytes != null) {
      files.put(FileNames.root(rootMd.signed().version()), rootBytes);
    }
    // timestamp: last, over the snapshot clients will fetch.
    Timestamp ts = timestampBase(repo, staged);
    MetaFile snapEntry;
    Map<String, String> hashed = new HashMap<>();
    if (snapMd != null) {
      Map<String, String> h = hashes(snapBytes);
      // The very array written and handed to the verification: its SHA-256 is not computed twice.
      hashed.put(FileNames.metadata("snapshot", snapMd.signed().version()), h.get("sha256"));
      snapEntry = new MetaFile(snapMd.signed().version(), (long) snapBytes.length, h, Map.of());
    } else {
      byte[] pub = repo.published().snapshotBytes();
      snapEntry = new MetaFile(repo.published().snapshot().orElseThrow().signed().version(), (long) pub.length,
          hashes(pub), Map.of());
    }
    ts = ts.withSnapshot(snapEntry);
    for (var x : repo.timestampExtras().entrySet()) {
      ts = ts.withExtra(x.getKey(), x.getValue());
    }
    byte[] tsCanonical = MetadataCodec.canonicalSigned(ts);
    List<Signature> tsSigs = sign ? signOnline(repo, "timestamp", tsCanonical) : List.of();
    Metadata<Timestamp> tsMd = MetadataCodec.encoded(ts, tsCanonical, tsSigs);
    files.put(FileNames.TIMESTAMP, MetadataCodec.fileBytes(tsCanonical, tsSigs, ts));
    entries.put("timestamp", sign ? entry(repo, "timestamp", tsMd, repo.keysFor("timestamp"), null)
        : atPublish(repo, "timestamp", ts));

    List<PlanEntry> ordered = new ArrayList<>();
    for (String r : targetRoles) {
      ordered.add(entries.get(r));
    }
    for (String r : List.of("snapshot", "root", "timestamp")) {
      if (entries.containsKey(r)) {
        ordered.add(entries.get(r));
      }
    }
    Map<String, Metadata<?>> encoded = new HashMap<>();
    encoded.put(FileNames.TIMESTAMP, tsMd);
    if (snapMd != null) {
      encoded.put(FileNames.metadata("snapshot", snapMd.signed().version()), snapMd);
    }
    return new Plan(ordered, new ArrayList<>(st.files().values()), inWriteOrder(files, targetRoles, snapMd, rootMd, st),
        encoded, hashed);
  }

  private static Map<String, byte[]> inWriteOrder(
      Map<String, byte[]> files, List<String> targetRoles, Metadata<Snapshot> snap, Metadata<Root> root,
      Staging staged) {
    PlanFiles out = new PlanFiles();
    // Delegated roles first (targetRoles ends with "targets" when it changed), then snapshot, the
    // new root, and timestamp last: a reader never finds a name that is not there yet. A staged
    // role's bytes are read from the staging log when they are asked for, not held here.
    for (String r : targetRoles) {
      out.addStaged(FileNames.metadata(r, staged.version(r)), staged, r);
    }
    if (snap != null) {
      String n = FileNames.metadata("snapshot", snap.signed().version());
      out.add(n, files.get(n));
    }
    if (root != null) {
      String n = FileNames.root(root.signed().version());
      out.add(n, files.get(n));
    }
    out.add(FileNames.TIMESTAMP, files.get(FileNames.TIMESTAMP));
    return out;
  }

  /**
   * The staged or else the published snapshot, at its next version with a fresh expiry, with the
   * {@code changed} entries laid over it: one copy of its 16,384 entries, not one per change.
   */
  private static Snapshot nextSnapshot(
      Repository repo, Map<String, Metadata<? extends Signed>> staged, Map<String, MetaFile> changed) {
    if (staged.containsKey("snapshot")) {
      Snapshot base = (Snapshot) staged.get("snapshot").signed();
      return changed.isEmpty() ? base : base.withMeta(merged(base.meta(), changed));
    }
    Expiry fresh = repo.freshExpiry("snapshot");
    int v = repo.nextVersion("snapshot");
    // The published entries are shared, not copied (model.Overlay): one upload changes one of 16,384.
    return repo.published().snapshot().map(Metadata::signed)
        .map(p -> p.withEntries(changed).withVersion(v).withExpires(fresh))
        .orElseGet(() -> new Snapshot(Signed.SPEC_VERSION, v, fresh, changed, Map.of()));
  }

  /**
   * The canonical bytes of {@code snap}: spliced from the published snapshot's file when {@code snap}
   * is it with a new version, expiry and {@code changed} entries (one upload: its bin's entry), else
   * encoded whole. The published file is the one {@link PublishedState} decoded {@code snap}'s
   * other entries from, and the splice takes only canonical bytes, which are exactly their encoding.
   */
  private static SnapshotSplice.Spliced snapshotBytes(
      Repository repo, Map<String, Metadata<? extends Signed>> staged, Snapshot snap, Map<String, MetaFile> changed) {
    byte[] published = repo.published().snapshotBytes();
    if (!staged.containsKey("snapshot") && published != null) {
      Snapshot pub = repo.published().snapshot().orElseThrow().signed();
      if (pub.specVersion().equals(snap.specVersion()) && pub.extras().equals(snap.extras())) {
        // Where the published file's entries are, kept from the splice that made it in this process:
        // used only for those very bytes (compared whole), each changed entry's offset checked.
        var spliced = SnapshotSplice.splice(published, SpliceLayouts.get(repo.workspace().metadataDir()),
            snap.version(), snap.expires(), changed);
        if (spliced.isPresent()) {
          return spliced.get();
        }
      }
    }
    return new SnapshotSplice.Spliced(MetadataCodec.canonicalSigned(snap), null);
  }

  private static Map<String, MetaFile> merged(Map<String, MetaFile> base, Map<String, MetaFile> changed) {
    Map<String, MetaFile> out = new HashMap<>(base);
    out.putAll(changed);
    return out;
  }

  private static Timestamp timestampBase(Repository repo, Map<String, Metadata<? extends Signed>> staged) {
    if (staged.containsKey("timestamp")) {
      return (Timestamp) staged.get("timestamp").signed();
    }
    Expiry fresh = repo.freshExpiry("timestamp");
    int v = repo.nextVersion("timestamp");
    return repo.published().timestamp()
        .map(m -> m.signed().withVersion(v).withExpires(fresh))
        .orElseGet(() -> new Timestamp(Signed.SPEC_VERSION, v, fresh, MetaFile.ofVersion(1), Map.of()));
  }

  private static boolean onlineKeysChanged(Repository repo, Root next) {
    var pub = repo.published().root();
    if (pub.isEmpty()) {
      return true;
    }
    Root old = pub.get().signed();
    for (RoleType t : List.of(RoleType.SNAPSHOT, RoleType.TIMESTAMP)) {
      Role a = old.role(t);
      Role b = next.role(t);
      if (!a.keyids().equals(b.keyids()) || a.threshold() != b.threshold()) {
        return true;
      }
    }
    return false;
  }

  /** Unlocks the snapshot and timestamp keys side by side: a file key costs one scrypt run each. */
  private static void prepareOnline(Repository repo) {
    List<Signer> signers = new ArrayList<>();
    for (String role : List.of("snapshot", "timestamp")) {
      for (Key k : repo.keysFor(role).keys().values()) {
        repo.signers().signerFor(k).ifPresent(signers::add);
      }
    }
    signers.parallelStream().forEach(Signer::prepare);
  }

  private static List<Signature> signOnline(Repository repo, String role, byte[] canonical) {
    List<Signer> signers = new ArrayList<>();
    for (Key k : repo.keysFor(role).keys().values()) {
      repo.signers().signerFor(k).ifPresent(signers::add);
    }
    return Signatures.signAll(canonical, signers);
  }

  /** An online role's entry before signing: the keys here that will sign it count as signatures. */
  private static PlanEntry atPublish(Repository repo, String role, Signed content) {
    RoleKeys keys = repo.keysFor(role);
    List<String> signing = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String id : keys.role().keyids()) {
      Key k = keys.keys().get(id);
      (k != null && repo.signers().signerFor(k).isPresent() ? signing : missing).add(id);
    }
    return new PlanEntry(role, repo.publishedVersion(role), content.version(), content.expires(), signing.size(),
        keys.threshold(), missing, null);
  }

  /**
   * Counts the signatures present from keys the role trusts. Whether each one verifies is checked
   * once, by the client workflow that publish runs before writing anything: verifying 16384 bins
   * twice would double the cost of the daily re-sign.
   */
  private static PlanEntry entry(
      Repository repo, String role, Metadata<?> md, RoleKeys keys, PlanEntry.PreviousRoot previousRoot) {
    return entry(repo, role, md.signed().version(), md.signed().expires(),
        md.signatures().stream().map(Signature::keyid).toList(), keys, previousRoot);
  }

  private static PlanEntry entry(Repository repo, String role, int version, Expiry expires, List<String> keyids,
      RoleKeys keys, PlanEntry.PreviousRoot previousRoot) {
    java.util.Set<String> present = new java.util.HashSet<>(keyids);
    List<String> signed = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String id : keys.role().keyids()) {
      (present.contains(id) && keys.keys().containsKey(id) ? signed : missing).add(id);
    }
    return new PlanEntry(role, repo.publishedVersion(role), version, expires, signed.size(), keys.threshold(), missing,
        previousRoot);
  }

  static Map<String, String> hashes(byte[] bytes) {
    return Map.of("sha256", Hex.encode(Crypto.sha256(bytes)));
  }
}
