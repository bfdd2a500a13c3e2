package dev.tufsh.trust;

import static dev.tufsh.trust.Fixtures.NOW;
import static dev.tufsh.trust.Fixtures.bytes;
import static dev.tufsh.trust.Fixtures.refused;
import static dev.tufsh.trust.Fixtures.shortId;
import static dev.tufsh.trust.Fixtures.standard;
import static dev.tufsh.trust.Fixtures.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import dev.tufsh.model.MetaFile;
import dev.tufsh.model.TargetFile;
import dev.tufsh.testing.TestRepository;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Delegated roles (spec 5.6.7), delegation scope (spec 4.5, TAP 15) and target files (spec 5.7). */
class DelegationVerificationTest {

  @Test
  void missingDelegatedFileIsNamed() {
    TestRepository r = standard();
    r.metadata.remove(r.fileName("bin-3"));
    VerificationError e = refused(r);
    assertEquals("1.bin-3.json: role 'bin-3': delegated by 'bins' but the file is missing", e.getMessage());
    assertEquals("bin-3", e.role());
  }

  @Test
  void delegatedRoleMissingFromSnapshotIsNamed() {
    TestRepository r = standard();
    r.forgeSnapshot(s -> s.withMeta(ClientVerifierTest.without(s.meta(), "project-x.json")));
    assertEquals(
        "1.snapshot.json: role 'project-x': delegated by 'targets' but not listed in snapshot meta",
        refused(r).getMessage());
  }

  @Test
  void badBinSignatureIsRefused() {
    TestRepository r = standard();
    Signer binKey = r.delegateSuccinctKey();
    r.signRoleWith("bin-a", List.of(KeyPairs.generate(Scheme.ED25519))).publish();
    assertEquals(
        "2.bin-a.json: role 'bin-a': signed by 0 of 1 required keys (missing " + shortId(binKey) + ")",
        refused(r).getMessage());
  }

  @Test
  void delegatedFileWhoseHashDiffersFromSnapshotIsRefused() {
    TestRepository r = standard();
    String file = r.fileName("bin-5");
    byte[] b = r.metadata.get(file).clone();
    int at = new String(b, StandardCharsets.UTF_8).indexOf("\"sig\":\"") + 7;
    b[at] = (byte) (b[at] == 'a' ? 'b' : 'a');
    r.metadata.put(file, b);
    assertEquals("1.bin-5.json: hashes do not match snapshot's entry (sha256)", refused(r).getMessage());
  }

  @Test
  void delegatedVersionMustEqualSnapshots() {
    TestRepository r = standard().snapshotHashes(false);
    r.addTarget("project-x", "project-x/y.tgz", bytes("y")).publish();
    r.metadata.put("1.project-x.json", r.metadata.get("2.project-x.json"));
    r.forgeSnapshot(
        s -> s.withMeta(ClientVerifierTest.with(s.meta(), "project-x.json", MetaFile.ofVersion(1))));
    assertEquals(
        "1.project-x.json: role 'project-x': version is 2 but snapshot says 1", refused(r).getMessage());
  }

  @Test
  void expiredBinIsRefused() {
    TestRepository r = standard();
    r.expires("bin-7", ClientVerifierTest.at("2026-02-03T04:05:06Z")).publish();
    assertEquals("2.bin-7.json: role 'bin-7': expired at 2026-02-03T04:05:06Z", refused(r).getMessage());
  }

  // ---------------------------------------------------------------- scope (spec 4.5)

  @Test
  void targetOutsideItsPathsIsRefused() {
    TestRepository r = standard();
    r.addTarget("project-x", "other/x.tgz", bytes("x")).publish();
    VerificationError e = refused(r);
    assertEquals(
        "2.project-x.json: role 'project-x': lists target 'other/x.tgz', which its delegation does not cover",
        e.getMessage());
  }

  @Test
  void globsDoNotCrossSlashes() {
    TestRepository r = standard();
    r.addTarget("project-x", "project-x/sub/x.tgz", bytes("x")).publish();
    assertEquals(
        "2.project-x.json: role 'project-x': lists target 'project-x/sub/x.tgz', which its delegation does not"
            + " cover",
        refused(r).getMessage());
  }

  @Test
  void targetInTheWrongBinIsRefused() {
    TestRepository r = standard();
    String path = "pkgs/d.tgz";
    String right = r.role("bins").delegations().succinctRoles().roleFor(path);
    String wrong = right.equals("bin-0") ? "bin-1" : "bin-0";
    r.addTarget(wrong, path, bytes("d")).publish();
    assertEquals(
        "2." + wrong + ".json: role '" + wrong + "': lists target 'pkgs/d.tgz', which its delegation does not cover",
        refused(r).getMessage());
  }

  @Test
  void everyDelegationOnTheChainMustCoverTheTarget() {
    // bins only gets path hashes starting with the first digit of the package's hash, so a
    // package hashing elsewhere is refused even though its bin matches.
    TestRepository r = TestRepository.create(NOW);
    String inside = "pkgs/in.tgz";
    String prefix = Hex.encode(Crypto.sha256(bytes(inside))).substring(0, 1);
    r.delegatePrefixes("targets", "bins", List.of(prefix));
    r.delegateSuccinct("bins", 4, "bin");
    r.addBinTarget("bins", inside, bytes("in"));
    r.publish();
    assertEquals(3 + 18, verify(r).roleVersions().size());
    String outside = outsidePrefix(prefix);
    String bin = r.addBinTarget("bins", outside, bytes("out"));
    r.publish();
    assertEquals(
        "2." + bin + ".json: role '" + bin + "': lists target '" + outside
            + "', which its delegation does not cover",
        refused(r).getMessage());
  }

  private static String outsidePrefix(String prefix) {
    for (int i = 0; ; i++) {
      String p = "pkgs/out-" + i + ".tgz";
      if (!Hex.encode(Crypto.sha256(bytes(p))).startsWith(prefix)) {
        return p;
      }
    }
  }

  // ---------------------------------------------------------------- graph shape

  @Test
  void roleReachedTwiceIsVerifiedOnce() {
    TestRepository r = TestRepository.create(NOW);
    r.delegatePaths("targets", "a", List.of("shared/*"));
    r.delegatePaths("targets", "b", List.of("shared/*"));
    r.delegatePaths("a", "c", List.of("shared/*"));
    r.delegatePaths("b", "c", List.of("shared/*.tgz"));
    r.addTarget("c", "shared/one.tgz", bytes("1"));
    r.publish();
    TrustReport report = verify(r);
    assertEquals(4, report.targetsRolesVerified());
    assertEquals(
        List.of("root", "timestamp", "snapshot", "targets", "a", "b", "c"),
        List.copyOf(report.roleVersions().keySet()));
    // A path only one of the two chains covers is still permitted (a client can reach it through a).
    r.addTarget("c", "shared/two.txt", bytes("2")).publish();
    assertEquals(2, verify(r).targetsListed());
  }

  @Test
  void secondDelegatorWithOtherKeysIsChecked() {
    TestRepository r = TestRepository.create(NOW);
    r.delegatePaths("targets", "a", List.of("*"));
    r.delegatePaths("targets", "b", List.of("*"));
    Signer cKey = r.delegatePaths("a", "c", List.of("*"));
    r.publish();
    // b delegates c to a key c is not signed with.
    Signer other = KeyPairs.generate(Scheme.ED25519);
    r.editRole("b", t -> t.withDelegations(
        dev.tufsh.model.Delegations.of(
            Map.of(other.keyId(), other.key()),
            List.of(new dev.tufsh.model.DelegatedRole("c", List.of(other.keyId()), 1, false, List.of("*"), null,
                Map.of())))));
    r.publish();
    assertNotEquals(cKey.keyId(), other.keyId());
    assertEquals(
        "1.c.json: role 'c': signed by 0 of 1 required keys of delegator 'b' (missing " + shortId(other) + ")",
        refused(r).getMessage());
  }

  @Test
  void delegationCycleIsRefused() {
    TestRepository r = TestRepository.create(NOW);
    r.delegatePaths("targets", "project-x", List.of("*"));
    r.delegatePaths("project-x", "project-y", List.of("*"));
    r.delegatePaths("project-y", "project-x", List.of("*"));
    r.publish();
    VerificationError e = refused(r);
    assertEquals(
        "1.project-y.json: role 'project-y': delegates to 'project-x', which closes a delegation cycle:"
            + " targets -> project-x -> project-y -> project-x",
        e.getMessage());
  }

  @Test
  void roleDelegatingToItselfIsACycle() {
    TestRepository r = TestRepository.create(NOW);
    r.delegatePaths("targets", "loop", List.of("*"));
    r.delegatePaths("loop", "loop", List.of("*"));
    r.publish();
    assertEquals(
        "1.loop.json: role 'loop': delegates to 'loop', which closes a delegation cycle: targets -> loop -> loop",
        refused(r).getMessage());
  }

  // ---------------------------------------------------------------- target files (5.7)

  @Test
  void targetFileHashMismatchIsRefused() {
    TestRepository r = standard();
    TargetFile tf = r.role("project-x").targets().get("project-x/x.tgz");
    String copy = r.targetFileName("project-x/x.tgz", tf.hashes().get("sha256"));
    r.targets.put(copy, bytes("y"));
    VerificationError e = refused(r);
    assertEquals(
        "targets/" + copy + ": role 'project-x': target 'project-x/x.tgz': sha256 hash does not match",
        e.getMessage());
  }

  @Test
  void everyHashCopyIsChecked() {
    TestRepository r = standard();
    TargetFile tf = r.role("targets").targets().get("readme.txt");
    String copy = r.targetFileName("readme.txt", tf.hashes().get("sha512"));
    r.targets.put(copy, bytes("read mE"));
    assertEquals(
        "targets/" + copy + ": role 'targets': target 'readme.txt': sha256 hash does not match",
        refused(r).getMessage());
  }

  @Test
  void targetFileLengthMismatchIsRefused() {
    TestRepository r = standard();
    TargetFile tf = r.role("targets").targets().get("readme.txt");
    String copy = r.targetFileName("readme.txt", tf.hashes().get("sha256"));
    r.targets.put(copy, bytes("read me!"));
    assertEquals(
        "targets/" + copy + ": role 'targets': target 'readme.txt': length is 8 bytes, metadata says 7",
        refused(r).getMessage());
  }

  @Test
  void missingTargetFileIsRefused() {
    TestRepository r = standard();
    String bin = r.role("bins").delegations().succinctRoles().roleFor("pkgs/a.tgz");
    TargetFile tf = r.role(bin).targets().get("pkgs/a.tgz");
    String copy = r.targetFileName("pkgs/a.tgz", tf.hashes().get("sha512"));
    r.targets.remove(copy);
    assertEquals(
        "targets/" + copy + ": role '" + bin + "': target 'pkgs/a.tgz': file is missing",
        refused(r).getMessage());
  }

  @Test
  void targetHashThatIsNotHexIsRefusedBeforeItBecomesAFileName() {
    // The hash names a file to read, so '../' in it must never get that far.
    TestRepository r = standard();
    Map<String, TargetFile> t = new HashMap<>(r.role("targets").targets());
    t.put("evil.txt", new TargetFile(1, Map.of("sha256", "../../etc/passwd")));
    r.editRole("targets", x -> x.withTargets(t)).publish();
    VerificationError e = refused(r);
    assertEquals(
        "2.targets.json: role 'targets': field 'signed.targets.evil.txt.hashes.sha256': must be a lowercase hex"
            + " digest",
        e.getMessage());
    assertEquals("2.targets.json", e.file());
  }
}
