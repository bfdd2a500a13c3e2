package dev.tufsh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.errors.SignatureError;
import dev.tufsh.errors.ThresholdError;
import dev.tufsh.errors.TufshException;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Metadata written by python-tuf and tough (fixtures/interop, see its README): every file decodes,
 * verifies against its delegator's keys and re-encodes to the canonical bytes that were signed, or
 * is refused exactly as its row says. The clock is fixed so expiry outcomes do not drift.
 */
class InteropRoundTripTest {
  static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
  static final Path DIR = Fixtures.dir("interop");

  /** Whose keys a file is checked against. */
  sealed interface Trust {}

  /** A root checked against its own root role. */
  record Self() implements Trust {}

  /** A top-level role (or a newer root) checked against the keys {@code rootFile} gives its type. */
  record ByRoot(String rootFile) implements Trust {}

  /** A delegated role checked against the keys its delegating targets file gives it. */
  record ByDelegator(String delegatorFile, String role) implements Trust {}

  /** What must happen when the file is loaded and checked at {@link #NOW}. */
  sealed interface Outcome {}

  /** Decodes, meets its threshold, and has not expired. */
  record Valid() implements Outcome {}

  /** Decodes and meets its threshold, but has expired. */
  record Expired() implements Outcome {}

  /** Decodes, but its valid signatures fall short of the threshold. */
  record Threshold(int have, int need) implements Outcome {}

  /** Refused with a one-line error whose message holds every fragment (file, role, field, problem). */
  record Refused(List<String> fragments) implements Outcome {}

  record Case(String file, Trust trust, Outcome expected, String why) {
    @Override
    public String toString() {
      String by = trust instanceof ByRoot r ? " by " + r.rootFile()
          : trust instanceof ByDelegator d ? " by " + d.delegatorFile() : " by itself";
      return file + by + " -> " + expected.getClass().getSimpleName();
    }
  }

  static final Valid VALID = new Valid();
  static final Expired EXPIRED = new Expired();
  static final Self SELF = new Self();

  static Refused refused(String file, String role, String field, String problem) {
    return new Refused(List.of(file + ": ", "role '" + role + "'", "field '" + field + "'", problem));
  }

  static Case self(String file, Outcome o, String why) {
    return new Case(file, SELF, o, why);
  }

  static Case byRoot(String file, String root, Outcome o, String why) {
    return new Case(file, new ByRoot(root), o, why);
  }

  static Case delegated(String file, String delegator, String role, Outcome o, String why) {
    return new Case(file, new ByDelegator(delegator, role), o, why);
  }

  static List<Case> cases() {
    String pt = "python-tuf/repository/metadata/";
    String fr = "python-tuf/fishy_rolenames/";
    String ri = "tough/tuf-reference-impl/metadata/";
    String cs = "tough/consistent-snapshots/metadata/";
    String dr = "tough/dubious-role-names/metadata/";
    String er = "tough/expired-repository/metadata/";
    String sp = "tough/safe-target-paths/metadata/";
    String rr = "tough/rotated-root/";
    Refused fishyTargets =
        refused(fr + "metadata/1.targets.json", "targets", "signed.delegations.roles[0].name",
            "role name '../a' contains a path separator");
    Refused dubiousTargets =
        refused(dr + "targets.json", "targets", "signed.delegations.roles[0].name",
            "role name '../../path/like/dubious' contains a path separator");
    String rsaKey = "8ec3a843a0f9328c863cac4046ab1cacbbc67888476ac7acf73d9bcd9a223ada";
    return List.of(
        // python-tuf's reference repository: legacy keyid_hash_algorithms, consistent_snapshot false.
        self(pt + "root.json", VALID, "python-tuf reference root"),
        self(pt + "1.root.json", VALID, "the same root under its versioned name"),
        byRoot(pt + "targets.json", pt + "root.json", VALID, "top-level targets with a delegation"),
        byRoot(pt + "snapshot.json", pt + "root.json", VALID, "snapshot with versions only"),
        byRoot(pt + "timestamp.json", pt + "root.json", VALID, "timestamp with length and hashes"),
        delegated(pt + "role1.json", pt + "targets.json", "role1", VALID, "delegated by targets"),
        delegated(pt + "role2.json", pt + "role1.json", "role2", VALID, "delegated by role1 with empty paths"),
        // python-tuf fishy_rolenames: role names that become file names outside the metadata folder.
        self(fr + "metadata/1.root.json", VALID, "an ordinary root"),
        byRoot(fr + "metadata/timestamp.json", fr + "metadata/1.root.json", VALID, "ordinary timestamp"),
        byRoot(fr + "metadata/1.targets.json", fr + "metadata/1.root.json", fishyTargets,
            "delegates to '../a', '.' and 'ö': the first would be written outside metadata/"),
        byRoot(fr + "metadata/2.snapshot.json", fr + "metadata/1.root.json",
            refused(fr + "metadata/2.snapshot.json", "snapshot", "signed.meta.../a.json",
                "role name '../a' contains a path separator"),
            "lists ../a.json, a file outside metadata/"),
        delegated(fr + "1.a.json", fr + "metadata/1.targets.json", "../a", fishyTargets,
            "what a naive client writes for role '../a': its delegator is refused"),
        delegated(fr + "metadata/1...json", fr + "metadata/1.targets.json", "..", fishyTargets,
            "role '..': its delegator is refused"),
        delegated(fr + "metadata/1.ö.json", fr + "metadata/1.targets.json", "ö", fishyTargets,
            "role 'ö' is a fine name, but its delegator is refused"),
        // tough: the python reference repository as tough's tests hold it (role2 adds empty roles).
        self(ri + "root.json", VALID, "reference root"),
        self(ri + "1.root.json", VALID, "reference root, versioned name"),
        byRoot(ri + "targets.json", ri + "root.json", VALID, "reference targets"),
        byRoot(ri + "snapshot.json", ri + "root.json", VALID, "snapshot that also lists root.json"),
        byRoot(ri + "timestamp.json", ri + "root.json", VALID, "reference timestamp"),
        delegated(ri + "role1.json", ri + "targets.json", "role1", VALID, "delegated by targets"),
        delegated(ri + "role2.json", ri + "role1.json", "role2", VALID, "delegations with an empty role list"),
        // tough consistent-snapshots: versioned metadata names, hash-prefixed targets.
        self(cs + "1.root.json", VALID, "root with consistent_snapshot true"),
        byRoot(cs + "1.targets.json", cs + "1.root.json", VALID, "versioned targets"),
        byRoot(cs + "1.snapshot.json", cs + "1.root.json", VALID, "versioned snapshot"),
        byRoot(cs + "timestamp.json", cs + "1.root.json", VALID, "timestamp"),
        // tough dubious-role-names: delegated names with '/' and '..' (the files are percent-encoded).
        self(dr + "1.root.json", VALID, "ordinary root; expiry far in the future"),
        byRoot(dr + "timestamp.json", dr + "1.root.json", VALID, "fractional-second expiry kept as written"),
        byRoot(dr + "targets.json", dr + "1.root.json", dubiousTargets,
            "delegates to '../../path/like/dubious' and '🍺/30'"),
        byRoot(dr + "snapshot.json", dr + "1.root.json",
            refused(dr + "snapshot.json", "snapshot", "signed.meta.../../path/like/dubious.json",
                "role name '../../path/like/dubious' contains a path separator"),
            "lists ../../path/like/dubious.json and 🍺/30.json; the first in canonical order is reported"),
        delegated(dr + "..%2F..%2Fpath%2Flike%2Fdubious.json", dr + "targets.json", "../../path/like/dubious",
            dubiousTargets, "its delegator is refused"),
        delegated(dr + "%F0%9F%8D%BA%2F30.json", dr + "targets.json", "🍺/30", dubiousTargets,
            "its delegator is refused"),
        delegated(dr + "%E1%9A%A9%20os%2C%20%E1%9A%B1%20rad%2C%20%E1%9A%B3%20cen%2C%20%E1%9A%B7%20gyfu%2C%20"
                + "%E1%9A%B9%20%C6%BFynn%2C%20%E1%9A%BB%20h%C3%A6gl%2C%20....json",
            dr + "targets.json", "ᚩ os, ᚱ rad, ᚳ cen, ᚷ gyfu, ᚹ ƿynn, ᚻ hægl, ...", dubiousTargets,
            "a safe runic name, but its delegator is refused"),
        // tough expired-repository: everything valid but the timestamp, which expired in 1999.
        self(er + "1.root.json", VALID, "root"),
        byRoot(er + "1589485578.targets.json", er + "1.root.json", VALID, "versions are Unix times"),
        byRoot(er + "1589485578.snapshot.json", er + "1.root.json", VALID, "snapshot listing root.json"),
        byRoot(er + "timestamp.json", er + "1.root.json", EXPIRED, "expired 1999-01-01"),
        // tough safe-target-paths: target paths with '..' segments.
        self(sp + "1.root.json", VALID, "root"),
        byRoot(sp + "snapshot.json", sp + "1.root.json", VALID, "snapshot"),
        byRoot(sp + "timestamp.json", sp + "1.root.json", VALID, "timestamp"),
        byRoot(sp + "targets.json", sp + "1.root.json",
            refused(sp + "targets.json", "targets", "signed.targets",
                "target path 'foo/../bar/../baz/../data1.txt' has a '..' segment"),
            "target paths 'foo/../bar/../baz/../data1.txt' and 'foo/bar/baz/../data2.txt'"),
        delegated(sp + "delegated.json", sp + "targets.json", "delegated",
            refused(sp + "delegated.json", "targets", "signed.targets",
                "target path '../delegated/foo/../subdir/data3.txt' has a '..' segment"),
            "a target path that starts by leaving the targets folder"),
        // tough rotated-root: root v1 (expired) rotated to v2, cross-signed by the old and new keys.
        self(rr + "1.root.json", EXPIRED, "root v1 expired in 1998; its signature is good"),
        self(rr + "2.root.json", VALID, "root v2 signed by its own new key"),
        byRoot(rr + "2.root.json", rr + "1.root.json", VALID, "root v2 signed by the v1 root key too"),
        byRoot(rr + "1.targets.json", rr + "2.root.json", VALID, "targets under the rotated key"),
        byRoot(rr + "1.snapshot.json", rr + "2.root.json", VALID, "snapshot under the rotated key"),
        byRoot(rr + "timestamp.json", rr + "2.root.json", VALID, "timestamp under the rotated key"),
        // tough single-root scenarios.
        self("tough/simple-rsa/root.json", VALID, "one RSA-PSS key for every role"),
        self("tough/ecdsa-new-type-sig-keys/root.json", EXPIRED,
            "keytype 'ecdsa', PEM keys, signatures from old keys too; 3 of 5 needed; expired 2024-09-12"),
        self("tough/pem-encoded-ecdsa-sig-keys/root.json", EXPIRED,
            "keytype 'ecdsa-sha2-nistp256' with PEM keys; expired 2023-04-18"),
        self("tough/hex-encoded-ecdsa-sig-keys/root.json", EXPIRED,
            "raw hex EC points (legacy tough); nanosecond expiry 2022-05-11"),
        self("tough/cross-sign-root/1.root.json", new Threshold(0, 1),
            "an unsigned root that tough's tests cross-sign"),
        self("tough/expired-root-json-signature/root.json", EXPIRED, "good signature, expired 1970"),
        self("tough/no-root-json-signatures/root.json", new Threshold(0, 1), "an empty signature list"),
        self("tough/invalid-root-json-signature/root.json", new Threshold(0, 1), "a signature of all f's"),
        self("tough/duplicate-keyid/root.json",
            new Refused(List.of("tough/duplicate-keyid/root.json: ", "malformed JSON", "Duplicate field '" + rsaKey + "'")),
            "the same key id twice in keys: parsers would disagree about which one counts"),
        self("tough/duplicate-sigs/root.json",
            refused("tough/duplicate-sigs/root.json", "root", "signatures[1].keyid", "duplicate signature from key " + rsaKey),
            "one signature listed twice to meet threshold 2 with one key"),
        self("tough/duplicate-sig-keys/root.json",
            refused("tough/duplicate-sig-keys/root.json", "root", "signatures[1].keyid", "duplicate signature from key " + rsaKey),
            "two different signatures by one key to meet threshold 2"),
        self("tough/mismatched-root-json-keyids/root.json",
            refused("tough/mismatched-root-json-keyids/root.json", "root", "signed.roles.root.keyids",
                "key id ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff is not in keys"),
            "the root role names a key id that keys does not hold"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void loads_verifies_and_round_trips_or_is_refused(Case c) {
    Outcome actual;
    String message = null;
    try {
      actual = check(c);
    } catch (ThresholdError e) {
      actual = new Threshold(e.have(), e.need());
      message = e.getMessage();
    } catch (TufshException e) {
      actual = new Refused(List.of());
      message = e.getMessage();
    }
    String where = c.file() + " (" + c.why() + ")";
    if (c.expected() instanceof Refused r) {
      assertTrue(actual instanceof Refused, where + ": expected refusal, got " + actual);
      assertFalse(message.contains("\n"), where + ": error is not one line: " + message);
      for (String f : r.fragments()) {
        assertTrue(message.contains(f), where + ": error lacks '" + f + "': " + message);
      }
    } else {
      assertEquals(c.expected(), actual, where + (message == null ? "" : ": " + message));
    }
    if (actual instanceof Threshold) {
      assertTrue(message.startsWith(c.file() + ": role '"), "threshold error names file and role: " + message);
    }
  }

  /** Loads, round-trips and verifies {@code c.file}; throws what the library throws. */
  private static Outcome check(Case c) {
    byte[] bytes = read(c.file());
    Metadata<? extends Signed> md = MetadataCodec.decode(bytes, c.file());
    assertCanonicalRoundTrip(c.file(), bytes, md);
    String roleName;
    Map<String, Key> keys;
    Role role;
    if (c.trust() instanceof ByRoot b) {
      Root root = MetadataCodec.decode(read(b.rootFile()), b.rootFile(), Root.class).signed();
      roleName = md.signed().type().wire();
      keys = root.keysOf(md.signed().type());
      role = root.role(md.signed().type());
    } else if (c.trust() instanceof ByDelegator d) {
      Targets delegator =
          MetadataCodec.decode(read(d.delegatorFile()), d.delegatorFile(), Targets.class).signed();
      assertTrue(md.signed() instanceof Targets, c.file() + " is a delegated role, so of type targets");
      roleName = d.role();
      keys = delegator.delegations().keys();
      role = delegator.delegations().roleFor(d.role())
          .orElseThrow(() -> new AssertionError(d.delegatorFile() + " does not delegate to " + d.role()));
    } else {
      Root root = md.as(Root.class).signed();
      roleName = "root";
      keys = root.keysOf(RoleType.ROOT);
      role = root.role(RoleType.ROOT);
    }
    Signatures.require(c.file(), roleName, md, md.signedBytes(), keys, role);
    return md.signed().expires().isExpiredAt(NOW) ? EXPIRED : VALID;
  }

  /** The decoded record re-encodes to exactly the canonical bytes of the file's own signed tree. */
  private static void assertCanonicalRoundTrip(String file, byte[] bytes, Metadata<?> md) {
    JsonNode signed = Json.parse(bytes, file).get("signed");
    String expected = new String(CanonicalJson.encode(signed), StandardCharsets.UTF_8);
    String actual = new String(MetadataCodec.canonicalSigned(md.signed()), StandardCharsets.UTF_8);
    assertEquals(expected, actual, file + ": re-encoded canonical bytes differ from the file's");
  }

  @Test
  void the_table_covers_every_metadata_file() throws IOException {
    Set<String> onDisk;
    try (Stream<Path> files = Files.walk(DIR)) {
      onDisk = files.filter(p -> p.toString().endsWith(".json"))
          .map(p -> DIR.relativize(p).toString().replace('\\', '/'))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> inTable = cases().stream().map(Case::file).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(onDisk, inTable, "every .json file under fixtures/interop needs a row, and every row a file");
  }

  @Test
  void every_kind_of_outcome_is_exercised() {
    Set<Class<?>> kinds = cases().stream().map(c -> c.expected().getClass()).collect(Collectors.toSet());
    assertEquals(Set.of(Valid.class, Expired.class, Threshold.class, Refused.class), kinds);
  }

  /** A python-tuf keystore file and the role that lists its public key. */
  record KeystoreCase(String keyFile, String listedIn, String role) {
    @Override
    public String toString() {
      return keyFile + " -> " + role;
    }
  }

  static List<KeystoreCase> keystore() {
    String md = "python-tuf/repository/metadata/";
    return List.of(
        new KeystoreCase("root_key", md + "root.json", "root"),
        new KeystoreCase("targets_key", md + "root.json", "targets"),
        new KeystoreCase("snapshot_key", md + "root.json", "snapshot"),
        new KeystoreCase("timestamp_key", md + "root.json", "timestamp"),
        new KeystoreCase("delegation_key", md + "targets.json", "role1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keystore")
  void keystore_keys_match_the_ids_python_tuf_lists(KeystoreCase k) {
    String pem = new String(read("python-tuf/keystore/" + k.keyFile()), StandardCharsets.US_ASCII);
    LocalSigner signer = KeyPairs.fromPem(pem);
    Signed listing = MetadataCodec.decode(read(k.listedIn()), k.listedIn()).signed();
    Map<String, Key> keys;
    Role role;
    if (listing instanceof Root root) {
      RoleType t = RoleType.fromWire(k.role()).orElseThrow();
      keys = root.keys();
      role = root.role(t);
    } else {
      Delegations d = ((Targets) listing).delegations();
      keys = d.keys();
      role = d.roleFor(k.role()).orElseThrow();
    }
    assertEquals(1, role.keyids().size(), k + ": the fixture lists one key for the role");
    String listedId = role.keyids().get(0);
    Key listed = keys.get(listedId);
    Key ours = signer.key();
    assertEquals(listed.keyType(), ours.keyType(), k + ": key type");
    assertEquals(listed.scheme(), ours.scheme(), k + ": scheme");
    assertEquals(listed.publicValue().strip(), ours.publicValue().strip(), k + ": public key material");
    // python-tuf's keys carry the legacy keyid_hash_algorithms member, which its ids cover.
    Key oursAsListed =
        new Key(ours.keyType(), ours.scheme(), listed.publicValue(), ours.keyvalExtras(), listed.extras());
    assertEquals(listedId, oursAsListed.keyId(), k + ": key id from our key with the listed members");
    assertEquals(listedId, listed.keyId(), k + ": key id computed from the listed key object");
    byte[] msg = MetadataCodec.canonicalSigned(listing);
    assertTrue(listed.verifies(msg, signer.sign(msg)), k + ": the listed key verifies our signature");
  }

  @Test
  void securesystemslib_encrypted_keys_are_refused_with_one_line() {
    for (String f : List.of("root_key2", "root_key3")) {
      String text = new String(read("python-tuf/keystore/" + f), StandardCharsets.US_ASCII);
      SignatureError e = assertThrows(SignatureError.class, () -> KeyPairs.fromPem(text), f);
      assertEquals("private key is not a PEM PRIVATE KEY block", e.getMessage(), f);
    }
  }

  static byte[] read(String file) {
    try {
      return Files.readAllBytes(DIR.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
