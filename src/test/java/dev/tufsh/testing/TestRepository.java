package dev.tufsh.testing;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.MetaFile;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Role;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Root;
import dev.tufsh.model.Signatures;
import dev.tufsh.model.Signed;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.SuccinctRoles;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import dev.tufsh.model.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A TUF repository held in memory, built with the real model, keys and codec: edit roles, then
 * {@link #publish()} re-signs what changed (version + 1) and writes a new snapshot and timestamp,
 * as a repository tool would. Published bytes sit in {@link #metadata} and {@link #targets} by
 * file name, where tests may also tamper with them directly.
 */
public final class TestRepository {
  public static final Duration LIFETIME = Duration.ofDays(365);

  /** Published metadata by file name (at the metadata root). */
  public final Map<String, byte[]> metadata = new ConcurrentHashMap<>();
  /** Published target files by path relative to targets/. */
  public final Map<String, byte[]> targets = new ConcurrentHashMap<>();

  private final Instant now;
  private final boolean consistent;
  private final Map<RoleType, List<LocalSigner>> topSigners = new HashMap<>();
  private Root root;
  private final Map<String, Targets> roles = new LinkedHashMap<>();
  private final Map<String, List<? extends Signer>> roleSigners = new HashMap<>();
  private final Map<String, MetaFile> snapshotMeta = new LinkedHashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private final Set<String> published = new HashSet<>();
  private final Map<String, Expiry> expiries = new HashMap<>();
  private int snapshotVersion;
  private int timestampVersion;
  private boolean snapshotHashes = true;
  private byte[] lastTimestamp;
  private Signer lastSuccinctKey;
  private byte[] lastSnapshot;

  private TestRepository(Instant now, boolean consistent) {
    this.now = now;
    this.consistent = consistent;
    Map<String, Key> keys = new HashMap<>();
    Map<String, Role> r = new HashMap<>();
    for (RoleType t : RoleType.values()) {
      LocalSigner s = KeyPairs.generate(Scheme.ED25519);
      topSigners.put(t, List.of(s));
      keys.put(s.keyId(), s.key());
      r.put(t.wire(), new Role(List.of(s.keyId()), 1));
    }
    root = new Root(Signed.SPEC_VERSION, 1, expiry("root"), consistent, keys, r, Map.of());
    writeRoot(root, topSigners.get(RoleType.ROOT));
    roles.put("targets", Targets.empty(expiry("targets")));
    roleSigners.put("targets", topSigners.get(RoleType.TARGETS));
    dirty.add("targets");
  }

  /** A repository with one ed25519 key per top-level role and empty targets; nothing published yet but root v1. */
  public static TestRepository create(Instant now) {
    return new TestRepository(now, true);
  }

  public static TestRepository create(Instant now, boolean consistentSnapshot) {
    return new TestRepository(now, consistentSnapshot);
  }

  // ---------------------------------------------------------------- reading

  public byte[] trustedRoot() {
    return metadata.get("1.root.json");
  }

  public Optional<byte[]> readMetadata(String file) {
    return Optional.ofNullable(metadata.get(file));
  }

  public Optional<byte[]> readTarget(String path) {
    return Optional.ofNullable(targets.get(path));
  }

  public Root root() {
    return root;
  }

  public Targets role(String name) {
    return roles.get(name);
  }

  public LocalSigner signer(RoleType t) {
    return topSigners.get(t).get(0);
  }

  /** The timestamp and snapshot bytes of the last {@link #publish()}. */
  public byte[] lastTimestamp() {
    return lastTimestamp;
  }

  public byte[] lastSnapshot() {
    return lastSnapshot;
  }

  /** The file name a role is published under at {@code version}. */
  public String fileName(String role, int version) {
    return consistent ? version + "." + role + ".json" : role + ".json";
  }

  /** The file name of the published version of {@code role}. */
  public String fileName(String role) {
    return fileName(role, roles.get(role).version());
  }

  public int snapshotVersion() {
    return snapshotVersion;
  }

  // ---------------------------------------------------------------- editing

  /** Whether snapshot entries carry length and hashes (timestamp's entry always does). */
  public TestRepository snapshotHashes(boolean on) {
    snapshotHashes = on;
    return this;
  }

  /** The expiry the next signing of {@code role} (any role, including snapshot and timestamp) gets. */
  public TestRepository expires(String role, Instant when) {
    expiries.put(role, Expiry.at(when));
    dirty.add(role);
    return this;
  }

  /** Lists {@code path} in {@code role} (sha256 and sha512) and stores its content. */
  public TestRepository addTarget(String role, String path, byte[] content) {
    TargetFile tf =
        new TargetFile(
            content.length,
            Map.of(
                "sha256", Hex.encode(Crypto.sha256(content)),
                "sha512", Hex.encode(Crypto.sha512(content))));
    Map<String, TargetFile> t = new HashMap<>(roles.get(role).targets());
    t.put(path, tf);
    roles.put(role, roles.get(role).withTargets(t));
    dirty.add(role);
    for (Map.Entry<String, String> h : tf.hashes().entrySet()) {
      targets.put(targetFileName(path, h.getValue()), content);
    }
    targets.put(path, content);
    return this;
  }

  /** Lists {@code path} in whichever succinct bin of {@code delegator} it hashes to. */
  public String addBinTarget(String delegator, String path, byte[] content) {
    String bin = roles.get(delegator).delegations().succinctRoles().roleFor(path);
    addTarget(bin, path, content);
    return bin;
  }

  public String targetFileName(String path, String hashHex) {
    if (!consistent) {
      return path;
    }
    int slash = path.lastIndexOf('/');
    return path.substring(0, slash + 1) + hashHex + "." + path.substring(slash + 1);
  }

  /**
   * Delegates {@code child} from {@code parent} with {@code paths} globs: to the key {@code child}
   * is already signed with, or to a new key.
   */
  public Signer delegatePaths(String parent, String child, List<String> paths) {
    return delegate(parent, child, paths, null);
  }

  /** Delegates {@code child} from {@code parent} with {@code path_hash_prefixes}; keys as above. */
  public Signer delegatePrefixes(String parent, String child, List<String> prefixes) {
    return delegate(parent, child, null, prefixes);
  }

  private Signer delegate(String parent, String child, List<String> paths, List<String> prefixes) {
    Signer s =
        roleSigners.containsKey(child) ? roleSigners.get(child).get(0) : KeyPairs.generate(Scheme.ED25519);
    Targets p = roles.get(parent);
    Delegations d = p.delegations();
    Map<String, Key> keys = new HashMap<>(d == null ? Map.of() : d.keys());
    keys.put(s.keyId(), s.key());
    List<DelegatedRole> list = new ArrayList<>(d == null ? List.of() : d.roles());
    list.add(new DelegatedRole(child, List.of(s.keyId()), 1, false, paths, prefixes, Map.of()));
    roles.put(parent, p.withDelegations(Delegations.of(keys, list)));
    roles.putIfAbsent(child, Targets.empty(expiry(child)));
    roleSigners.put(child, List.of(s));
    dirty.add(parent);
    dirty.add(child);
    return s;
  }

  /** Delegates 2^bitLength TAP 15 bins named {@code prefix-X} from {@code parent}, all to one new key. */
  public LocalSigner delegateSuccinct(String parent, int bitLength, String prefix) {
    LocalSigner s = KeyPairs.generate(Scheme.ED25519);
    SuccinctRoles sr = new SuccinctRoles(List.of(s.keyId()), 1, bitLength, prefix, Map.of());
    Targets p = roles.get(parent);
    roles.put(parent, p.withDelegations(Delegations.succinct(Map.of(s.keyId(), s.key()), sr)));
    dirty.add(parent);
    lastSuccinctKey = s;
    Targets empty = Targets.empty(expiry(prefix));
    for (String bin : sr.roleNames()) {
      roles.put(bin, empty);
      roleSigners.put(bin, List.of(s));
      dirty.add(bin);
    }
    return s;
  }

  /** The key the most recent {@link #delegateSuccinct} gave its bins. */
  public Signer delegateSuccinctKey() {
    return lastSuccinctKey;
  }

  /** Signs {@code role} with these signers from now on (to test wrong or missing keys). */
  public TestRepository signRoleWith(String role, List<? extends Signer> signers) {
    roleSigners.put(role, List.copyOf(signers));
    dirty.add(role);
    return this;
  }

  /** Replaces {@code role}'s content (its version is still managed by publish). */
  public TestRepository editRole(String role, UnaryOperator<Targets> edit) {
    roles.put(role, edit.apply(roles.get(role)));
    dirty.add(role);
    return this;
  }

  /**
   * Publishes root version N+1 = {@code change(root)} with the version set, signed by {@code signers}
   * (for a rotation: old and new root keys), and makes it the repository's root.
   */
  public Root rotateRoot(UnaryOperator<Root> change, List<? extends Signer> signers) {
    Root next = change.apply(root).withVersion(root.version() + 1);
    writeRoot(next, signers);
    root = next;
    return next;
  }

  /** Uses {@code signers} for top-level role {@code t} from now on (after a rotation). */
  public TestRepository useTopSigners(RoleType t, List<LocalSigner> signers) {
    topSigners.put(t, List.copyOf(signers));
    if (t == RoleType.TARGETS) {
      roleSigners.put("targets", signers);
      dirty.add("targets");
    }
    return this;
  }

  private void writeRoot(Root r, List<? extends Signer> signers) {
    byte[] bytes = MetadataCodec.fileBytes(Signatures.sign(r, signers));
    metadata.put(r.version() + ".root.json", bytes);
    metadata.put("root.json", bytes);
  }

  // ---------------------------------------------------------------- publishing

  /** Re-signs every changed role as its next version, then a new snapshot and timestamp. */
  public TestRepository publish() {
    List<String> changed = new ArrayList<>(dirty);
    changed.removeIf(n -> !roles.containsKey(n));
    for (String n : changed) {
      Targets t = roles.get(n).withExpires(expiry(n));
      roles.put(n, published.contains(n) ? t.withVersion(t.version() + 1) : t);
    }
    // Signing 16 384 bins one by one dominates test time; sign them in parallel.
    List<Map.Entry<String, byte[]>> files =
        changed.parallelStream().map(n -> Map.entry(n, sign(roles.get(n), roleSigners.get(n)))).toList();
    for (Map.Entry<String, byte[]> f : files) {
      String n = f.getKey();
      metadata.put(fileName(n), f.getValue());
      snapshotMeta.put(n + ".json", entry(roles.get(n).version(), f.getValue(), snapshotHashes));
      published.add(n);
    }
    snapshotVersion++;
    Snapshot snap = new Snapshot(Signed.SPEC_VERSION, snapshotVersion, expiry("snapshot"), snapshotMeta, Map.of());
    lastSnapshot = sign(snap, topSigners.get(RoleType.SNAPSHOT));
    metadata.put(fileName("snapshot", snapshotVersion), lastSnapshot);
    timestampVersion++;
    Timestamp ts =
        new Timestamp(
            Signed.SPEC_VERSION, timestampVersion, expiry("timestamp"),
            entry(snapshotVersion, lastSnapshot, true), Map.of());
    lastTimestamp = sign(ts, topSigners.get(RoleType.TIMESTAMP));
    metadata.put("timestamp.json", lastTimestamp);
    dirty.clear();
    return this;
  }

  /**
   * Re-signs the current snapshot changed by {@code edit} (same file name unless the version is
   * edited) and publishes a new timestamp naming it: a way to forge a snapshot with valid keys.
   */
  public TestRepository forgeSnapshot(UnaryOperator<Snapshot> edit) {
    Snapshot snap =
        edit.apply(new Snapshot(Signed.SPEC_VERSION, snapshotVersion, expiry("snapshot"), snapshotMeta, Map.of()));
    lastSnapshot = sign(snap, topSigners.get(RoleType.SNAPSHOT));
    metadata.put(fileName("snapshot", snap.version()), lastSnapshot);
    timestampVersion++;
    Timestamp ts =
        new Timestamp(
            Signed.SPEC_VERSION, timestampVersion, expiry("timestamp"),
            entry(snap.version(), lastSnapshot, true), Map.of());
    lastTimestamp = sign(ts, topSigners.get(RoleType.TIMESTAMP));
    metadata.put("timestamp.json", lastTimestamp);
    return this;
  }

  /** Signs and encodes {@code signed}; public so tests can forge a single file. */
  public static byte[] sign(Signed signed, List<? extends Signer> signers) {
    Metadata<Signed> md = Signatures.sign(signed, signers);
    return MetadataCodec.fileBytes(md);
  }

  private static MetaFile entry(int version, byte[] bytes, boolean withHashes) {
    return withHashes
        ? new MetaFile(
            version, (long) bytes.length, Map.of("sha256", Hex.encode(Crypto.sha256(bytes))), Map.of())
        : MetaFile.ofVersion(version);
  }

  private Expiry expiry(String role) {
    return expiries.getOrDefault(role, Expiry.at(now.plus(LIFETIME)));
  }
}
