package dev.tufsh.trust;

import static dev.tufsh.trust.Fixtures.NOW;
import static dev.tufsh.trust.Fixtures.bytes;
import static dev.tufsh.trust.Fixtures.refused;
import static dev.tufsh.trust.Fixtures.shortId;
import static dev.tufsh.trust.Fixtures.standard;
import static dev.tufsh.trust.Fixtures.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.MetaFile;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Root;
import dev.tufsh.model.Signed;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.Timestamp;
import dev.tufsh.testing.TestRepository;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The top-level steps of the client workflow: root chain, timestamp, snapshot, targets. */
class ClientVerifierTest {

  @Test
  void goodRepositoryVerifiesWithItsCounts() {
    TestRepository r = standard();
    TrustReport report = verify(r);
    assertEquals(1, report.rootVersion());
    assertEquals(1, report.timestampVersion());
    assertEquals(1, report.snapshotVersion());
    // targets + bins + 16 bins + project-x
    assertEquals(19, report.targetsRolesVerified());
    assertEquals(4, report.targetsListed());
    assertEquals(4, report.targetFilesVerified());
    assertEquals(3 + 19, report.roleVersions().size());
    assertEquals(r.role("bin-0").version(), report.roleVersions().get("bin-0"));
    assertEquals(r.role("project-x"), report.metadata().get("project-x").signed());
  }

  @Test
  void targetFilesAreSkippedWithoutASourceOrWhenTurnedOff() {
    TestRepository r = standard();
    r.targets.clear();
    TrustReport noSource = new ClientVerifier(NOW).verify(r.trustedRoot(), r::readMetadata, null, null);
    assertEquals(0, noSource.targetFilesVerified());
    TrustReport off =
        new ClientVerifier(NOW).checkTargetFiles(false).verify(r.trustedRoot(), r::readMetadata, r::readTarget, null);
    assertEquals(4, off.targetsListed());
    assertEquals(0, off.targetFilesVerified());
  }

  @Test
  void repositoryWithoutConsistentSnapshotsUsesPlainNames() {
    TestRepository r = TestRepository.create(NOW, false);
    r.addTarget("targets", "dir/a.txt", bytes("a"));
    r.delegatePaths("targets", "docs", List.of("docs/*"));
    r.addTarget("docs", "docs/b.txt", bytes("bb"));
    r.publish();
    assertTrue(r.metadata.containsKey("snapshot.json"));
    assertTrue(r.metadata.containsKey("docs.json"));
    TrustReport report = verify(r);
    assertEquals(2, report.targetsRolesVerified());
    assertEquals(2, report.targetFilesVerified());
  }

  @Test
  void laterPublicationVerifiesAgainstThePreviousState() {
    TestRepository r = standard();
    PreviousState previous = new PreviousState(r.lastTimestamp(), r.lastSnapshot());
    r.addBinTarget("bins", "pkgs/c.tgz", bytes("package c"));
    r.publish();
    TrustReport report = verify(r, previous);
    assertEquals(2, report.timestampVersion());
    assertEquals(2, report.snapshotVersion());
    assertEquals(5, report.targetsListed());
  }

  // ---------------------------------------------------------------- root chain (5.3)

  @Test
  void rootRotationChainWithKeyChangesVerifiesFromVersionOne() {
    TestRepository r = standard();
    LocalSigner r1 = r.signer(RoleType.ROOT);
    LocalSigner r2 = KeyPairs.generate(Scheme.ED25519);
    LocalSigner t2 = KeyPairs.generate(Scheme.ED25519);
    // v2: root key and timestamp key replaced, signed by the old and the new root key.
    r.rotateRoot(
        root -> root.withRole(RoleType.ROOT, List.of(r2.keyId()), 1, Map.of(r2.keyId(), r2.key()))
            .withRole(RoleType.TIMESTAMP, List.of(t2.keyId()), 1, Map.of(t2.keyId(), t2.key())),
        List.of(r1, r2));
    r.useTopSigners(RoleType.TIMESTAMP, List.of(t2));
    // v3: two new root keys at threshold 2, signed by v2's key and both new ones.
    LocalSigner r3a = KeyPairs.generate(Scheme.ED25519);
    LocalSigner r3b = KeyPairs.generate(Scheme.ECDSA_P256);
    r.rotateRoot(
        root -> root.withRole(
            RoleType.ROOT, List.of(r3a.keyId(), r3b.keyId()), 2,
            Map.of(r3a.keyId(), r3a.key(), r3b.keyId(), r3b.key())),
        List.of(r2, r3a, r3b));
    r.publish();

    TrustReport report = verify(r);
    assertEquals(3, report.rootVersion());
    assertEquals(r.root(), report.metadata().get("root").signed());
    // Any trusted version is a valid start.
    TrustReport fromTwo =
        new ClientVerifier(NOW).verify(r.metadata.get("2.root.json"), r::readMetadata, r::readTarget, null);
    assertEquals(3, fromTwo.rootVersion());
  }

  @Test
  void newRootSignedOnlyByNewKeysIsRefused() {
    TestRepository r = standard();
    LocalSigner r1 = r.signer(RoleType.ROOT);
    LocalSigner r2 = KeyPairs.generate(Scheme.ED25519);
    r.rotateRoot(
        root -> root.withRole(RoleType.ROOT, List.of(r2.keyId()), 1, Map.of(r2.keyId(), r2.key())),
        List.of(r2));
    VerificationError e = refused(r);
    assertEquals(
        "2.root.json: role 'root': signed by 0 of 1 required keys of root version 1 (missing "
            + shortId(r1) + ")",
        e.getMessage());
    assertEquals("2.root.json", e.file());
    assertEquals("root", e.role());
  }

  @Test
  void newRootNotSignedByItsOwnKeysIsRefused() {
    TestRepository r = standard();
    LocalSigner r1 = r.signer(RoleType.ROOT);
    LocalSigner r2 = KeyPairs.generate(Scheme.ED25519);
    r.rotateRoot(
        root -> root.withRole(RoleType.ROOT, List.of(r2.keyId()), 1, Map.of(r2.keyId(), r2.key())),
        List.of(r1));
    assertEquals(
        "2.root.json: role 'root': signed by 0 of 1 required keys of its own root keys (missing "
            + shortId(r2) + ")",
        refused(r).getMessage());
  }

  @Test
  void rootWhoseVersionDoesNotMatchItsFileNameIsRefused() {
    TestRepository r = standard();
    r.rotateRoot(root -> root, List.of(r.signer(RoleType.ROOT)));
    r.metadata.put("3.root.json", r.metadata.get("2.root.json"));
    assertEquals("3.root.json: role 'root': version is 2 but its file name says 3", refused(r).getMessage());
  }

  @Test
  void trustedRootMustBeSelfSigned() {
    TestRepository r = standard();
    Root forged = r.root().withExpires(Expiry.at(NOW.plus(Duration.ofDays(9))));
    byte[] unsigned = TestRepository.sign(forged, List.of(KeyPairs.generate(Scheme.ED25519)));
    VerificationError e =
        org.junit.jupiter.api.Assertions.assertThrows(
            VerificationError.class,
            () -> new ClientVerifier(NOW).verify(unsigned, r::readMetadata, null, null));
    assertTrue(e.getMessage().startsWith("trusted root: role 'root': signed by 0 of 1 required keys"), e.getMessage());
  }

  @Test
  void expiredFinalRootIsRefusedButExpiredIntermediateIsNot() {
    TestRepository r = standard();
    LocalSigner r1 = r.signer(RoleType.ROOT);
    Expiry past = Expiry.at(NOW.minus(Duration.ofDays(1)));
    r.rotateRoot(root -> root.withExpires(past), List.of(r1));
    assertEquals("2.root.json: role 'root': expired at " + past.text(), refused(r).getMessage());
    r.rotateRoot(root -> root.withExpires(Expiry.at(NOW.plus(Duration.ofDays(1)))), List.of(r1));
    assertEquals(3, verify(r).rootVersion());
  }

  // ---------------------------------------------------------------- timestamp (5.4)

  @Test
  void expiredTimestampIsRefused() {
    TestRepository r = standard();
    r.expires("timestamp", at("2026-01-01T00:00:00Z")).publish();
    VerificationError e = refused(r);
    assertEquals("timestamp.json: role 'timestamp': expired at 2026-01-01T00:00:00Z", e.getMessage());
  }

  @Test
  void timestampExpiringExactlyNowIsExpired() {
    TestRepository r = standard();
    r.expires("timestamp", NOW).publish();
    assertTrue(refused(r).getMessage().contains("expired at"));
  }

  @Test
  void timestampSignedByAnotherKeyIsRefused() {
    TestRepository r = standard();
    LocalSigner real = r.signer(RoleType.TIMESTAMP);
    r.useTopSigners(RoleType.TIMESTAMP, List.of(KeyPairs.generate(Scheme.ED25519))).publish();
    assertEquals(
        "timestamp.json: role 'timestamp': signed by 0 of 1 required keys (missing " + shortId(real) + ")",
        refused(r).getMessage());
  }

  @Test
  void timestampRollbackIsRefused() {
    TestRepository r = standard();
    byte[] first = r.lastTimestamp();
    r.publish();
    PreviousState previous = new PreviousState(r.lastTimestamp(), r.lastSnapshot());
    r.metadata.put("timestamp.json", first);
    assertEquals(
        "timestamp.json: role 'timestamp': version went back from 2 to 1", refused(r, previous).getMessage());
  }

  @Test
  void snapshotVersionRollbackInTimestampIsRefused() {
    TestRepository r = standard();
    r.publish();
    byte[] forged =
        TestRepository.sign(
            new Timestamp(
                Signed.SPEC_VERSION, 1, Expiry.at(NOW.plus(Duration.ofDays(1))), MetaFile.ofVersion(5), Map.of()),
            List.of(r.signer(RoleType.TIMESTAMP)));
    assertEquals(
        "timestamp.json: role 'timestamp': snapshot version went back from 5 to 2",
        refused(r, new PreviousState(forged, null)).getMessage());
  }

  @Test
  void rotatedTimestampKeyDiscardsThePreviousState() {
    TestRepository r = standard();
    byte[] fastForwarded =
        TestRepository.sign(
            new Timestamp(
                Signed.SPEC_VERSION, 99, Expiry.at(NOW.plus(Duration.ofDays(1))), MetaFile.ofVersion(99), Map.of()),
            List.of(r.signer(RoleType.TIMESTAMP)));
    PreviousState farAhead = new PreviousState(fastForwarded, null);
    assertEquals(
        "timestamp.json: role 'timestamp': version went back from 99 to 1", refused(r, farAhead).getMessage());
    // 5.3.11: once root v2 rotates the timestamp key, the fast-forwarded copy no longer counts.
    LocalSigner t2 = KeyPairs.generate(Scheme.ED25519);
    r.rotateRoot(
        root -> root.withRole(RoleType.TIMESTAMP, List.of(t2.keyId()), 1, Map.of(t2.keyId(), t2.key())),
        List.of(r.signer(RoleType.ROOT)));
    r.useTopSigners(RoleType.TIMESTAMP, List.of(t2)).publish();
    assertEquals(2, verify(r, farAhead).timestampVersion());
  }

  @Test
  void sameTimestampVersionWithOtherContentIsRefused() {
    TestRepository r = standard();
    byte[] other =
        TestRepository.sign(
            new Timestamp(
                Signed.SPEC_VERSION, 1, Expiry.at(NOW.plus(Duration.ofDays(2))), MetaFile.ofVersion(1), Map.of()),
            List.of(r.signer(RoleType.TIMESTAMP)));
    assertEquals(
        "timestamp.json: role 'timestamp': version 1 is already trusted with different content",
        refused(r, new PreviousState(other, null)).getMessage());
    assertEquals(1, verify(r, new PreviousState(r.lastTimestamp(), r.lastSnapshot())).timestampVersion());
  }

  // ---------------------------------------------------------------- snapshot (5.5)

  @Test
  void snapshotHashMismatchIsRefusedBeforeSignatures() {
    TestRepository r = standard();
    String file = r.fileName("snapshot", 1);
    byte[] b = r.metadata.get(file).clone();
    // Flip one hex digit of the signature: same length, different hash.
    String text = new String(b, java.nio.charset.StandardCharsets.UTF_8);
    int at = text.indexOf("\"sig\":\"") + 7;
    b[at] = (byte) (b[at] == 'a' ? 'b' : 'a');
    r.metadata.put(file, b);
    VerificationError e = refused(r);
    assertEquals("1.snapshot.json: hashes do not match timestamp's entry (sha256)", e.getMessage());
    assertEquals("1.snapshot.json", e.file());
  }

  @Test
  void snapshotLengthMismatchIsRefused() {
    TestRepository r = standard();
    String file = r.fileName("snapshot", 1);
    byte[] b = r.metadata.get(file);
    byte[] longer = java.util.Arrays.copyOf(b, b.length + 1);
    longer[b.length] = '\n';
    r.metadata.put(file, longer);
    assertEquals(
        "1.snapshot.json: role 'snapshot': length is " + longer.length + " bytes, timestamp's entry says "
            + b.length,
        refused(r).getMessage());
  }

  @Test
  void snapshotVersionMustEqualTimestamps() {
    TestRepository r = standard();
    // Snapshot v2 written where timestamp expects v1... by naming it in a timestamp as v1.
    r.forgeSnapshot(s -> s.withVersion(2));
    byte[] snap2 = r.metadata.get("2.snapshot.json");
    Timestamp ts =
        new Timestamp(
            Signed.SPEC_VERSION, 9, Expiry.at(NOW.plus(Duration.ofDays(1))),
            new MetaFile(1, (long) snap2.length, Map.of("sha256", Hex.encode(Crypto.sha256(snap2))), Map.of()),
            Map.of());
    r.metadata.put("1.snapshot.json", snap2);
    r.metadata.put("timestamp.json", TestRepository.sign(ts, List.of(r.signer(RoleType.TIMESTAMP))));
    assertEquals("1.snapshot.json: role 'snapshot': version is 2 but timestamp says 1", refused(r).getMessage());
  }

  @Test
  void snapshotEntryRollbackIsRefused() {
    TestRepository r = standard();
    Map<String, MetaFile> meta = new HashMap<>(snapshotOf(r).meta());
    meta.put("bin-3.json", MetaFile.ofVersion(r.role("bin-3").version() + 3));
    byte[] previous = previousSnapshot(r, meta);
    assertEquals(
        "1.snapshot.json: role 'snapshot': 'bin-3.json' version went back from 4 to 1",
        refused(r, new PreviousState(null, previous)).getMessage());
  }

  @Test
  void ofSeveralRolledBackEntriesTheFirstInOrderIsNamed() {
    TestRepository r = standard();
    Map<String, MetaFile> meta = new HashMap<>(snapshotOf(r).meta());
    meta.put("bin-9.json", MetaFile.ofVersion(r.role("bin-9").version() + 3));
    meta.put("bin-3.json", MetaFile.ofVersion(r.role("bin-3").version() + 3));
    meta.put("bin-c.json", MetaFile.ofVersion(r.role("bin-c").version() + 3));
    byte[] previous = previousSnapshot(r, meta);
    assertEquals(
        "1.snapshot.json: role 'snapshot': 'bin-3.json' version went back from 4 to 1",
        refused(r, new PreviousState(null, previous)).getMessage());
  }

  /** Metadata a caller holds is taken only for the very bytes it was decoded from. */
  @Test
  void heldMetadataStandsOnlyForItsOwnBytes() {
    TestRepository r = standard();
    byte[] snap = r.metadata.get("1.snapshot.json");
    dev.tufsh.model.Metadata<?> decoded = dev.tufsh.model.MetadataCodec.decodeForVerification(snap, "held");
    AlreadyDecoded held = b -> java.util.Arrays.equals(b, snap) ? decoded : null;
    TrustReport taken = new ClientVerifier(NOW).alreadyDecoded(held)
        .verify(r.trustedRoot(), r::readMetadata, r::readTarget, null);
    assertEquals(verify(r).roleVersions(), taken.roleVersions());
    assertTrue(taken.metadata().get("snapshot") == decoded, "the held record was used");
    // The file changes under the held record (one byte of a signature): it is read and refused.
    String text = new String(snap, java.nio.charset.StandardCharsets.UTF_8);
    int sig = text.indexOf("\"sig\":\"") + 7;
    char c = text.charAt(sig);
    r.metadata.put("1.snapshot.json", (text.substring(0, sig) + (c == '0' ? '1' : '0') + text.substring(sig + 1))
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    VerificationError e = org.junit.jupiter.api.Assertions.assertThrows(VerificationError.class,
        () -> new ClientVerifier(NOW).alreadyDecoded(held).verify(r.trustedRoot(), r::readMetadata, r::readTarget, null));
    assertTrue(e.getMessage().startsWith("1.snapshot.json"), e.getMessage());
  }

  @Test
  void droppedSnapshotEntryIsRefused() {
    TestRepository r = standard();
    Map<String, MetaFile> meta = new HashMap<>(snapshotOf(r).meta());
    meta.put("retired.json", MetaFile.ofVersion(2));
    byte[] previous = previousSnapshot(r, meta);
    assertEquals(
        "1.snapshot.json: role 'snapshot': 'retired.json' was dropped (the trusted snapshot lists version 2)",
        refused(r, new PreviousState(null, previous)).getMessage());
  }

  @Test
  void expiredSnapshotIsRefused() {
    TestRepository r = standard();
    r.expires("snapshot", at("2026-05-01T00:00:00Z")).publish();
    assertEquals("2.snapshot.json: role 'snapshot': expired at 2026-05-01T00:00:00Z", refused(r).getMessage());
  }

  // ---------------------------------------------------------------- targets (5.6)

  @Test
  void targetsVersionMustEqualSnapshots() {
    TestRepository r = standard().snapshotHashes(false);
    r.addTarget("targets", "more.txt", bytes("more")).publish();
    // The v2 file published under v1's name: signatures fine, version wrong.
    r.metadata.put("1.targets.json", r.metadata.get("2.targets.json"));
    r.forgeSnapshot(s -> s.withMeta(with(s.meta(), "targets.json", MetaFile.ofVersion(1))));
    assertEquals("1.targets.json: role 'targets': version is 2 but snapshot says 1", refused(r).getMessage());
  }

  @Test
  void snapshotWithoutTargetsIsRefused() {
    TestRepository r = standard();
    r.forgeSnapshot(s -> s.withMeta(without(s.meta(), "targets.json")));
    assertEquals("1.snapshot.json: role 'snapshot': does not list targets.json", refused(r).getMessage());
  }

  @Test
  void targetsSignedByAnotherKeyIsRefused() {
    TestRepository r = standard();
    LocalSigner real = r.signer(RoleType.TARGETS);
    r.useTopSigners(RoleType.TARGETS, List.of(KeyPairs.generate(Scheme.ED25519))).publish();
    assertEquals(
        "2.targets.json: role 'targets': signed by 0 of 1 required keys (missing " + shortId(real) + ")",
        refused(r).getMessage());
  }

  // ---------------------------------------------------------------- helpers

  static java.time.Instant at(String s) {
    return java.time.Instant.parse(s);
  }

  static Snapshot snapshotOf(TestRepository r) {
    return dev.tufsh.model.MetadataCodec.decode(r.lastSnapshot(), "snapshot", Snapshot.class).signed();
  }

  static byte[] previousSnapshot(TestRepository r, Map<String, MetaFile> meta) {
    Snapshot s = snapshotOf(r).withMeta(meta);
    return TestRepository.sign(s, List.of(r.signer(RoleType.SNAPSHOT)));
  }

  static Map<String, MetaFile> with(Map<String, MetaFile> m, String k, MetaFile v) {
    Map<String, MetaFile> out = new HashMap<>(m);
    out.put(k, v);
    return out;
  }

  static Map<String, MetaFile> without(Map<String, MetaFile> m, String k) {
    Map<String, MetaFile> out = new HashMap<>(m);
    out.remove(k);
    return out;
  }
}
