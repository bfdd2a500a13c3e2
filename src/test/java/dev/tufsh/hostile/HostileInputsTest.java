package dev.tufsh.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Signer;
import dev.tufsh.errors.TufshException;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.model.RoleType;
import dev.tufsh.testing.TestRepository;
import dev.tufsh.trust.ClientVerifier;
import dev.tufsh.trust.TrustReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Hostile inputs the trust and model tests do not already cover (wrong bins, rollback of
 * timestamp and snapshot, cycles, bad hashes live in {@code trust/*Test}), one row per threat, named
 * like tough's fixture folders. Every row goes through the client workflow ({@link ClientVerifier})
 * over a small repository whose files are edited as raw JSON and re-signed where the threat needs
 * valid signatures.
 */
class HostileInputsTest {
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  /** Parser-limit rows must answer within this (no quadratic work, no stack exhaustion). */
  static final Duration QUICK = Duration.ofSeconds(5);

  @TestFactory
  Stream<DynamicTest> hostile_inputs() {
    return Stream.of(
        row("deeply-nested-json", () -> {
          StringBuilder sb = new StringBuilder("{\"signed\":");
          sb.append("[".repeat(10_000)).append("]".repeat(10_000)).append(",\"signatures\":[]}");
          String m = refusedQuickly("timestamp.json", sb.toString().getBytes(StandardCharsets.UTF_8));
          assertEquals("timestamp.json: role 'timestamp': malformed JSON: Document nesting depth ("
              + (Json.MAX_DEPTH + 1) + ") exceeds the maximum allowed (" + Json.MAX_DEPTH + ")", m);
        }),
        row("huge-json-string", () -> {
          StringBuilder sb = new StringBuilder(50 * 1024 * 1024 + 100);
          sb.append("{\"signatures\":[],\"signed\":{\"_type\":\"timestamp\",\"spec_version\":\"");
          sb.append("1".repeat(50 * 1024 * 1024)).append("\"}}");
          String m = refusedQuickly("timestamp.json", sb.toString().getBytes(StandardCharsets.UTF_8));
          assertTrue(m.startsWith("timestamp.json: role 'timestamp': malformed JSON: String value length"), m);
          assertTrue(m.endsWith("exceeds the maximum allowed (" + Json.MAX_STRING_CHARS + ")"), m);
        }),
        row("pretty-printed-metadata", () -> {
          // Signatures cover the canonical form of 'signed', not the file's layout: the trusted root
          // and timestamp.json (neither is hashed by another file) pretty-printed still verify.
          TestRepository r = standard();
          byte[] root = pretty(r.trustedRoot());
          r.metadata.put("1.root.json", root);
          r.metadata.put("timestamp.json", pretty(r.metadata.get("timestamp.json")));
          TrustReport report = new ClientVerifier(NOW).verify(root, r::readMetadata, r::readTarget, null);
          assertEquals(1, report.timestampVersion());
        }),
        row("spec-version-2", () -> {
          TestRepository r = standard();
          resign(r, "timestamp.json", s -> s.put("spec_version", "2.0.0"), r.signer(RoleType.TIMESTAMP));
          String m = refused(r);
          assertTrue(m.startsWith("timestamp.json: "), m);
          assertTrue(m.contains("spec_version"), m);
          assertTrue(m.contains("2.0.0"), m);
        }),
        row("key-listed-under-two-keyids", () -> {
          // The timestamp key listed a second time under a made-up key id, threshold 2 over both ids,
          // and timestamp.json carrying its one signature under each id: still one key, counted once
          // (as python-tuf and go-tuf count it), so the threshold of 2 is not met.
          TestRepository r = standard();
          Signer ts = r.signer(RoleType.TIMESTAMP);
          String fake = "ff".repeat(32);
          resign(r, "1.root.json", s -> {
            ObjectNode keys = (ObjectNode) s.get("keys");
            keys.set(fake, keys.get(ts.keyId()).deepCopy());
            ObjectNode role = (ObjectNode) s.get("roles").get("timestamp");
            ((ArrayNode) role.get("keyids")).add(fake);
            role.put("threshold", 2);
          }, r.signer(RoleType.ROOT));
          byte[] signedTs = resign(r, "timestamp.json", s -> {}, ts);
          ObjectNode doc = (ObjectNode) Json.parse(signedTs, "timestamp.json");
          ObjectNode twin = ((ObjectNode) doc.get("signatures").get(0)).deepCopy();
          twin.put("keyid", fake);
          ((ArrayNode) doc.get("signatures")).add(twin);
          r.metadata.put("timestamp.json", CanonicalJson.encodeFile(doc));
          String m = refused(r);
          assertTrue(m.startsWith("timestamp.json: "), m);
          assertTrue(m.contains("signed by 1 of 2 required keys"), m);
        }),
        row("key-listed-under-two-keyids-counts-once-and-verifies", () -> {
          // go-tuf's transition fixtures list one key under two ids; threshold 1 over either verifies.
          TestRepository r = standard();
          Signer ts = r.signer(RoleType.TIMESTAMP);
          String fake = "ff".repeat(32);
          byte[] root = resign(r, "1.root.json", s -> {
            ObjectNode keys = (ObjectNode) s.get("keys");
            keys.set(fake, keys.get(ts.keyId()).deepCopy());
            ((ArrayNode) s.get("roles").get("timestamp").get("keyids")).add(fake);
          }, r.signer(RoleType.ROOT));
          resign(r, "timestamp.json", s -> {}, ts);
          TrustReport report = new ClientVerifier(NOW).verify(root, r::readMetadata, r::readTarget, null);
          assertEquals(1, report.timestampVersion());
        }),
        row("delegated-key-listed-under-two-keyids", () -> {
          TestRepository r = standard();
          String fake = "ff".repeat(32);
          resign(r, r.fileName("targets"), s -> {
            ObjectNode d = (ObjectNode) s.get("delegations");
            ObjectNode keys = (ObjectNode) d.get("keys");
            ObjectNode role = (ObjectNode) d.get("roles").get(0);
            String real = role.get("keyids").get(0).textValue();
            keys.set(fake, keys.get(real).deepCopy());
            ((ArrayNode) role.get("keyids")).add(fake);
            role.put("threshold", 2);
          }, r.signer(RoleType.TARGETS));
          relist(r, "targets.json", r.fileName("targets"));
          String m = refused(r);
          assertTrue(m.contains("signed by 1 of 2 required keys"), m);
        }),
        row("delegated-threshold-above-key-count", () -> {
          TestRepository r = standard();
          resign(r, r.fileName("targets"),
              s -> ((ObjectNode) s.get("delegations").get("roles").get(0)).put("threshold", 3),
              r.signer(RoleType.TARGETS));
          relist(r, "targets.json", r.fileName("targets"));
          String m = refused(r);
          assertTrue(m.contains("threshold 3 exceeds the 1 keys listed, so it can never be met"), m);
        }),
        row("threshold-above-key-count", () -> {
          TestRepository r = standard();
          resign(r, "1.root.json", s -> ((ObjectNode) s.get("roles").get("timestamp")).put("threshold", 2),
              r.signer(RoleType.ROOT));
          String m = refused(r);
          assertEquals("trusted root: role 'root': field 'signed.roles.timestamp.threshold': threshold 2 exceeds"
              + " the 1 keys listed, so it can never be met", m);
        }),
        row("signature-with-unknown-keyid-is-ignored", () -> {
          TestRepository r = standard();
          byte[] signedTs = r.metadata.get("timestamp.json");
          ObjectNode doc = (ObjectNode) Json.parse(signedTs, "timestamp.json");
          ArrayNode sigs = (ArrayNode) doc.get("signatures");
          ObjectNode stranger = sigs.insertObject(0);
          stranger.put("keyid", "cd".repeat(32));
          stranger.put("sig", "00".repeat(64));
          r.metadata.put("timestamp.json", CanonicalJson.encodeFile(doc));
          assertEquals(1, verify(r).timestampVersion());
        }),
        row("only-unknown-keyid-signatures", () -> {
          TestRepository r = standard();
          ObjectNode doc = (ObjectNode) Json.parse(r.metadata.get("timestamp.json"), "timestamp.json");
          ((ObjectNode) doc.get("signatures").get(0)).put("keyid", "cd".repeat(32));
          r.metadata.put("timestamp.json", CanonicalJson.encodeFile(doc));
          String m = refused(r);
          assertTrue(m.startsWith("timestamp.json: role 'timestamp': signed by 0 of 1 required keys"), m);
        }),
        row("far-future-expiry", () -> {
          TestRepository r = standard();
          resign(r, "timestamp.json", s -> s.put("expires", "9999-12-31T23:59:59Z"), r.signer(RoleType.TIMESTAMP));
          assertEquals(1, verify(r).timestampVersion());
        }),
        row("overlong-role-name", () -> {
          TestRepository r = standard();
          String name = "r".repeat(10_000);
          resign(r, r.fileName("targets"), s -> {
            ObjectNode d = (ObjectNode) ((ArrayNode) s.get("delegations").get("roles")).get(0);
            d.put("name", name);
          }, r.signer(RoleType.TARGETS));
          relist(r, "targets.json", r.fileName("targets"));
          String m = refused(r);
          assertTrue(m.contains("role name is longer than 255 bytes"), m);
          assertTrue(m.length() < 1000, "the error does not repeat the name: " + m.length() + " chars");
        }),
        row("overlong-target-path", () -> {
          TestRepository r = standard();
          String path = "p/".repeat(2_500) + "x.tgz";
          resign(r, r.fileName("targets"), s -> {
            ObjectNode targets = (ObjectNode) s.get("targets");
            targets.set(path, targets.get("readme.txt").deepCopy());
          }, r.signer(RoleType.TARGETS));
          relist(r, "targets.json", r.fileName("targets"));
          String m = refused(r);
          assertTrue(m.contains("target path is longer than 4096 bytes"), m);
          assertTrue(m.length() < 1000, "the error does not repeat the path: " + m.length() + " chars");
        }),
        row("huge-json-member-name", () -> {
          String name = "p".repeat(100_000);
          String doc = "{\"signatures\":[],\"signed\":{\"targets\":{\"" + name + "\":{}}}}";
          String m = refusedQuickly("timestamp.json", doc.getBytes(StandardCharsets.UTF_8));
          assertTrue(m.startsWith("timestamp.json: role 'timestamp': malformed JSON: Name length"), m);
          assertTrue(m.length() < 1000, m);
        }));
  }

  private static DynamicTest row(String threat, Executable check) {
    return DynamicTest.dynamicTest(threat, check);
  }

  private static TestRepository standard() {
    TestRepository r = TestRepository.create(NOW);
    r.addTarget("targets", "readme.txt", "read me".getBytes(StandardCharsets.UTF_8));
    r.delegatePaths("targets", "project-x", List.of("project-x/*"));
    r.addTarget("project-x", "project-x/x.tgz", "x".getBytes(StandardCharsets.UTF_8));
    return r.publish();
  }

  private static TrustReport verify(TestRepository r) {
    return new ClientVerifier(NOW).verify(r.trustedRoot(), r::readMetadata, r::readTarget, null);
  }

  private static String refused(TestRepository r) {
    TufshException e = assertThrows(TufshException.class, () -> verify(r));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    return e.getMessage();
  }

  /** Puts {@code bytes} as {@code file} into a good repository; the refusal must come quickly. */
  private static String refusedQuickly(String file, byte[] bytes) {
    TestRepository r = standard();
    r.metadata.put(file, bytes);
    return assertTimeoutPreemptively(QUICK, () -> refused(r));
  }

  /** Edits {@code file}'s signed part and signs it again with {@code signers}; returns the new bytes. */
  private static byte[] resign(TestRepository r, String file, Consumer<ObjectNode> edit, Signer... signers) {
    ObjectNode doc = (ObjectNode) Json.parse(r.metadata.get(file), file);
    ObjectNode signed = (ObjectNode) doc.get("signed");
    edit.accept(signed);
    byte[] canonical = CanonicalJson.encode(signed);
    ArrayNode sigs = doc.putArray("signatures");
    for (Signer s : signers) {
      ObjectNode sig = sigs.addObject();
      sig.put("keyid", s.keyId());
      sig.put("sig", Hex.encode(s.sign(canonical)));
    }
    byte[] out = CanonicalJson.encodeFile(doc);
    r.metadata.put(file, out);
    return out;
  }

  /**
   * After {@code file} (listed in snapshot as {@code entry}) was edited: snapshot's length and
   * hashes for it, then timestamp's for snapshot, updated and re-signed, so only the edit is wrong.
   */
  private static void relist(TestRepository r, String entry, String file) {
    String snapshotFile = r.fileName("snapshot", r.snapshotVersion());
    resign(r, snapshotFile, s -> describe((ObjectNode) s.get("meta").get(entry), r.metadata.get(file)),
        r.signer(RoleType.SNAPSHOT));
    resign(r, "timestamp.json", s -> describe((ObjectNode) s.get("meta").get("snapshot.json"),
        r.metadata.get(snapshotFile)), r.signer(RoleType.TIMESTAMP));
  }

  private static void describe(ObjectNode metaFile, byte[] bytes) {
    if (metaFile.has("length")) {
      metaFile.put("length", bytes.length);
    }
    if (metaFile.has("hashes")) {
      ObjectNode h = metaFile.putObject("hashes");
      h.put("sha256", Hex.encode(dev.tufsh.crypto.Crypto.sha256(bytes)));
    }
  }

  private static byte[] pretty(byte[] file) {
    return Json.pretty(Json.parse(file, "file")).getBytes(StandardCharsets.UTF_8);
  }
}
