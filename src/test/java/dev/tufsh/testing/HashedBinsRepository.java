package dev.tufsh.testing;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.MetaFile;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Role;
import dev.tufsh.model.Root;
import dev.tufsh.model.Signatures;
import dev.tufsh.model.Signed;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.SuccinctRoles;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import dev.tufsh.model.Timestamp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small PEP 458 repository written with the library alone (no engine): root, targets, snapshot
 * and timestamp; targets delegates everything to {@code bins} (terminating, path_hash_prefixes
 * 0..f), and bins delegates to 16 succinct bins {@code bin-0..bin-f} (bit_length 4). Consistent
 * snapshots: metadata as {@code N.ROLE.json}, targets as {@code HASH.NAME} for SHA-256 and SHA-512.
 * Timestamp gives snapshot's length and hashes. Every role has its own key of one scheme.
 *
 * <pre>
 * HashedBinsRepository repo = HashedBinsRepository.create(dir, Scheme.ED25519, Map.of("a/b.txt", bytes));
 * repo.trustedRoot();        // metadata/1.root.json
 * repo.metadataFile("bin-3") // metadata/1.bin-3.json
 * </pre>
 */
public final class HashedBinsRepository {
  public static final List<String> TOP_LEVEL = List.of("root", "targets", "snapshot", "timestamp");
  public static final String BINS = "bins";
  public static final String BIN_PREFIX = "bin";
  public static final int BIT_LENGTH = 4;

  private final Path dir;
  private final Map<String, LocalSigner> signers;
  private final Map<String, Metadata<?>> metadata;
  private final Map<String, byte[]> targets;
  private final SuccinctRoles succinct;

  private HashedBinsRepository(
      Path dir, Map<String, LocalSigner> signers, Map<String, Metadata<?>> metadata,
      Map<String, byte[]> targets, SuccinctRoles succinct) {
    this.dir = dir;
    this.signers = signers;
    this.metadata = metadata;
    this.targets = targets;
    this.succinct = succinct;
  }

  /** Builds and writes the repository into {@code dir} (metadata/ and targets/), expiring in a year. */
  public static HashedBinsRepository create(Path dir, Scheme scheme, Map<String, byte[]> targetFiles) {
    return create(dir, scheme, targetFiles, Expiry.at(Instant.now().plus(Duration.ofDays(365))));
  }

  public static HashedBinsRepository create(Path dir, Scheme scheme, Map<String, byte[]> targetFiles, Expiry expires) {
    Map<String, LocalSigner> signers = new LinkedHashMap<>();
    for (String role : List.of("root", "targets", "snapshot", "timestamp", BINS, BIN_PREFIX)) {
      signers.put(role, KeyPairs.generate(scheme));
    }
    Key binKey = signers.get(BIN_PREFIX).key();
    SuccinctRoles succinct =
        new SuccinctRoles(List.of(binKey.keyId()), 1, BIT_LENGTH, BIN_PREFIX, Map.of());

    Map<String, Metadata<?>> md = new LinkedHashMap<>();
    Map<String, Map<String, TargetFile>> byBin = new TreeMap<>();
    for (String bin : succinct.roleNames()) {
      byBin.put(bin, new TreeMap<>());
    }
    targetFiles.forEach((path, bytes) -> byBin.get(succinct.roleFor(path)).put(path, describe(bytes)));
    for (var e : byBin.entrySet()) {
      Targets bin = new Targets(Signed.SPEC_VERSION, 1, expires, e.getValue(), null, Map.of());
      md.put(e.getKey(), Signatures.sign(bin, List.of(signers.get(BIN_PREFIX))));
    }
    Targets bins = new Targets(Signed.SPEC_VERSION, 1, expires, Map.of(),
        Delegations.succinct(Map.of(binKey.keyId(), binKey), succinct), Map.of());
    md.put(BINS, Signatures.sign(bins, List.of(signers.get(BINS))));

    Key binsKey = signers.get(BINS).key();
    List<String> allPrefixes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f");
    DelegatedRole toBins =
        new DelegatedRole(BINS, List.of(binsKey.keyId()), 1, true, null, allPrefixes, Map.of());
    Targets top = new Targets(Signed.SPEC_VERSION, 1, expires, Map.of(),
        Delegations.of(Map.of(binsKey.keyId(), binsKey), List.of(toBins)), Map.of());
    md.put("targets", Signatures.sign(top, List.of(signers.get("targets"))));

    Map<String, MetaFile> meta = new TreeMap<>();
    for (String role : md.keySet()) {
      meta.put(role + ".json", MetaFile.ofVersion(1));
    }
    Snapshot snapshot = new Snapshot(Signed.SPEC_VERSION, 1, expires, meta, Map.of());
    Metadata<Snapshot> snapshotMd = Signatures.sign(snapshot, List.of(signers.get("snapshot")));
    md.put("snapshot", snapshotMd);
    byte[] snapshotBytes = MetadataCodec.fileBytes(snapshotMd);
    MetaFile snapshotMeta = new MetaFile(1, (long) snapshotBytes.length,
        Map.of("sha256", Hex.encode(Crypto.sha256(snapshotBytes))), Map.of());
    Timestamp timestamp = new Timestamp(Signed.SPEC_VERSION, 1, expires, snapshotMeta, Map.of());
    md.put("timestamp", Signatures.sign(timestamp, List.of(signers.get("timestamp"))));

    Map<String, Key> rootKeys = new LinkedHashMap<>();
    Map<String, Role> roles = new LinkedHashMap<>();
    for (String role : TOP_LEVEL) {
      Key k = signers.get(role).key();
      rootKeys.put(k.keyId(), k);
      roles.put(role, new Role(List.of(k.keyId()), 1));
    }
    Root root = new Root(Signed.SPEC_VERSION, 1, expires, true, rootKeys, roles, Map.of());
    md.put("root", Signatures.sign(root, List.of(signers.get("root"))));

    HashedBinsRepository repo = new HashedBinsRepository(dir, signers, md, Map.copyOf(targetFiles), succinct);
    repo.write();
    return repo;
  }

  private static TargetFile describe(byte[] bytes) {
    return new TargetFile(bytes.length, Map.of(
        "sha256", Hex.encode(Crypto.sha256(bytes)), "sha512", Hex.encode(Crypto.sha512(bytes))));
  }

  private void write() {
    try {
      Files.createDirectories(metadataDir());
      Files.createDirectories(targetsDir());
      for (var e : metadata.entrySet()) {
        byte[] bytes = MetadataCodec.fileBytes(e.getValue());
        Files.write(metadataFile(e.getKey()), bytes);
        if (e.getKey().equals("root")) {
          Files.write(metadataDir().resolve("root.json"), bytes);
        }
      }
      for (var e : targets.entrySet()) {
        TargetFile tf = targetFile(e.getKey());
        for (String hash : tf.hashes().values()) {
          Path p = hashedTarget(e.getKey(), hash);
          Files.createDirectories(p.getParent());
          Files.write(p, e.getValue());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the test repository in " + dir, e);
    }
  }

  public Path dir() {
    return dir;
  }

  public Path metadataDir() {
    return dir.resolve("metadata");
  }

  public Path targetsDir() {
    return dir.resolve("targets");
  }

  /** The root a client starts from: {@code metadata/1.root.json}. */
  public Path trustedRoot() {
    return metadataFile("root");
  }

  /** Where {@code role}'s file is: {@code timestamp.json}, else {@code 1.ROLE.json}. */
  public Path metadataFile(String role) {
    return metadataDir().resolve(role.equals("timestamp") ? "timestamp.json" : "1." + role + ".json");
  }

  /** The consistent-snapshot copy of a target for one of its hashes: {@code DIR/HASH.NAME}. */
  public Path hashedTarget(String targetPath, String hash) {
    int slash = targetPath.lastIndexOf('/');
    String parent = slash < 0 ? "" : targetPath.substring(0, slash + 1);
    return targetsDir().resolve(parent + hash + "." + targetPath.substring(slash + 1));
  }

  /** Both hashed copies of a target (SHA-256 and SHA-512 names). */
  public List<Path> hashedTargets(String targetPath) {
    return targetFile(targetPath).hashes().values().stream().map(h -> hashedTarget(targetPath, h)).sorted().toList();
  }

  /** The bin ({@code bin-X}) that holds {@code targetPath}. */
  public String binFor(String targetPath) {
    return succinct.roleFor(targetPath);
  }

  public TargetFile targetFile(String targetPath) {
    Targets bin = (Targets) metadata.get(binFor(targetPath)).signed();
    TargetFile tf = bin.targets().get(targetPath);
    if (tf == null) {
      throw new IllegalArgumentException("no target " + targetPath);
    }
    return tf;
  }

  /** The signed metadata of {@code role} as written. */
  public Metadata<?> metadata(String role) {
    return metadata.get(role);
  }

  /** The signer of {@code role}; all bins share the one under {@code "bin"}. */
  public LocalSigner signer(String role) {
    return signers.get(role.startsWith(BIN_PREFIX + "-") ? BIN_PREFIX : role);
  }
}
