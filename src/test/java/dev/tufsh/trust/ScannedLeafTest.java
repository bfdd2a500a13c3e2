package dev.tufsh.trust;

import static dev.tufsh.trust.Fixtures.ALL_PREFIXES;
import static dev.tufsh.trust.Fixtures.NOW;
import static dev.tufsh.trust.Fixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.SuccinctRoles;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.TargetsScan;
import dev.tufsh.testing.TestRepository;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bin checked from its bytes ({@link ScannedLeaf}, what publish and {@code verify --no-targets}
 * run) and a bin decoded whole (the walk that keeps its leaves, which never scans) give the same
 * verdict, the same error message and the same facts, over a table of hostile bins each validly
 * signed by the bin key: out of scope, bad paths, bad lengths and hashes, duplicate keys,
 * non-canonical bytes, wrong types, missing and extra fields, huge numbers, escapes in paths.
 */
class ScannedLeafTest {
  /** A PEP 458 shape in small: targets -> bins (every prefix) -> 16 succinct bins; one bin lists three packages. */
  static final class Repo {
    final TestRepository r = TestRepository.create(NOW).snapshotHashes(false);
    final LocalSigner binKey;
    final String bin;
    final String outside;

    Repo() {
      r.addTarget("targets", "readme.txt", bytes("read me"));
      r.delegatePrefixes("targets", "bins", ALL_PREFIXES);
      binKey = r.delegateSuccinct("bins", 4, "bin");
      SuccinctRoles s = r.role("bins").delegations().succinctRoles();
      bin = s.roleFor("pkgs/p0.tgz");
      List<String> in = new ArrayList<>();
      String out = null;
      for (int i = 0; in.size() < 3 || out == null; i++) {
        String p = "pkgs/p" + i + ".tgz";
        if (s.roleFor(p).equals(bin)) {
          in.add(p);
        } else if (out == null) {
          out = p;
        }
      }
      outside = out;
      for (String p : in) {
        r.addTarget(bin, p, bytes("package " + p));
      }
      r.publish();
    }

    /** The bin's {@code signed} text changed by {@code edit}, signed by the bin key as the decoder will check it. */
    void forge(UnaryOperator<String> edit) {
      forge(edit, binKey);
    }

    void forge(UnaryOperator<String> edit, LocalSigner key) {
      String name = r.fileName(bin);
      String s = new String(r.metadata.get(name), StandardCharsets.UTF_8);
      String signed = edit.apply(s.substring(s.indexOf(",\"signed\":") + 10, s.length() - 1));
      byte[] message;
      try {
        message = CanonicalJson.encode(Json.parse(bytes(signed), name));
      } catch (RuntimeException notJson) {
        message = bytes(signed);
      }
      String sig = Hex.encode(key.sign(message));
      r.metadata.put(name, bytes("{\"signatures\":[{\"keyid\":\"" + key.keyId() + "\",\"sig\":\"" + sig
          + "\"}],\"signed\":" + signed + "}"));
    }
  }

  record Case(String name, Consumer<Repo> change) {
    @Override
    public String toString() {
      return name;
    }
  }

  static UnaryOperator<String> replace(String from, String to) {
    return s -> {
      assertTrue(s.contains(from), from + " in " + s);
      return s.replace(from, to);
    };
  }

  static final String HASH = "\"sha256\":\"";

  static Stream<Case> cases() {
    return Stream.of(
        new Case("the bin as published", r -> {}),
        new Case("re-signed as it is", r -> r.forge(s -> s)),
        new Case("a target outside the bin's prefixes", r -> {
          r.r.editRole(r.bin, t -> t.withTargetsAdded(Map.of(r.outside, new TargetFile(1, Map.of("sha256",
              "ab".repeat(32))))));
          r.r.publish();
        }),
        new Case("signed by another key", r -> r.forge(s -> s, KeyPairs.generate(Scheme.ED25519))),
        new Case("a version other than snapshot's", r -> r.forge(replace("\"version\":1}", "\"version\":2}"))),
        new Case("expired", r -> {
          r.r.expires(r.bin, NOW.minusSeconds(1));
          r.r.publish();
        }),
        new Case("a '..' path", r -> r.forge(replace("pkgs/p0", "pkgs/../p0"))),
        new Case("an absolute path", r -> r.forge(replace("\"pkgs/p0", "\"/pkgs/p0"))),
        new Case("a backslash", r -> r.forge(replace("pkgs/p0", "pkgs\\\\p0"))),
        new Case("a control character", r -> r.forge(replace("pkgs/p0", "pkgs/\\u0007p0"))),
        new Case("an escaped slash, same path", r -> r.forge(replace("pkgs/p0", "pkgs\\/p0"))),
        new Case("an escaped letter, same path", r -> r.forge(replace("pkgs/p0", "pkgs/\\u0070" + "0"))),
        new Case("a negative length", r -> r.forge(s -> s.replaceFirst("\"length\":(\\d+)", "\"length\":-$1"))),
        new Case("a non-integer length", r -> r.forge(s -> s.replaceFirst("\"length\":(\\d+)", "\"length\":$1.5"))),
        new Case("a length of 2^53", r -> r.forge(s -> s.replaceFirst("\"length\":(\\d+)",
            "\"length\":9007199254740992"))),
        new Case("a hash of the wrong length", r -> r.forge(s -> s.replaceFirst(HASH + "[0-9a-f]{64}", HASH + "abcd"))),
        new Case("a hash not lower hex", r -> r.forge(s -> s.replaceFirst(HASH + "[0-9a-f]{64}", HASH + "AB".repeat(32)))),
        new Case("a duplicate target", r -> r.forge(s -> s.replaceFirst("(\"pkgs/p\\d+\\.tgz\":\\{[^}]*\\}\\})",
            "$1,$1"))),
        new Case("a duplicate member", r -> r.forge(replace("\"version\":1}", "\"version\":1,\"version\":1}"))),
        new Case("whitespace", r -> r.forge(replace(",\"targets\":{", ", \"targets\": {"))),
        new Case("a wrong type", r -> r.forge(replace("\"_type\":\"targets\"", "\"_type\":\"snapshot\""))),
        new Case("no targets member", r -> r.forge(s -> s.replaceFirst(",\"targets\":\\{.*\\}\\},\"version\"",
            ",\"version\""))),
        new Case("an extra member", r -> r.forge(replace("\"version\":1}", "\"version\":1,\"x-note\":\"hi\"}"))),
        new Case("custom data", r -> r.forge(s -> s.replaceFirst("\\{\"hashes\"", "{\"custom\":{\"n\":1},\"hashes\""))),
        new Case("a huge version", r -> r.forge(replace("\"version\":1}", "\"version\":" + "9".repeat(40) + "}"))),
        new Case("a spec version 2", r -> r.forge(s -> s.replaceFirst("\"spec_version\":\"[0-9.]+\"",
            "\"spec_version\":\"2.0.0\""))),
        new Case("an expiry in another form", r -> r.forge(s -> s.replaceFirst("(\"expires\":\"[0-9-]+T[0-9:]+)Z\"",
            "$1.5Z\""))));
  }

  static String outcome(ClientVerifier v, Repo r) {
    try {
      TrustReport t = v.verify(r.r.trustedRoot(), r.r::readMetadata, null, null);
      return "accepted: " + t.roleVersions() + ", " + t.targetsRolesVerified() + " roles, " + t.targetsListed()
          + " targets, leaves " + new java.util.TreeMap<>(t.leaves());
    } catch (VerificationError e) {
      return "refused: " + e.getMessage();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void a_scanned_bin_and_a_decoded_bin_give_the_same_outcome(Case c) {
    Repo r = new Repo();
    c.change.accept(r);
    ClientVerifier decoded = new ClientVerifier(NOW).checkTargetFiles(false).keepLeafMetadata(true);
    ClientVerifier scanned = decoded.keepLeafMetadata(false);
    String whole = outcome(decoded, r);
    assertEquals(whole, outcome(scanned, r));
    assertEquals(outcome(decoded.leafDigests(false), r), outcome(scanned.leafDigests(false), r), "without digests");
  }

  @Test
  void the_table_holds_refusals_and_acceptances() {
    // Both kinds, so the comparison above is not of one outcome only.
    List<String> outcomes = cases().map(c -> {
      Repo r = new Repo();
      c.change.accept(r);
      return outcome(new ClientVerifier(NOW).checkTargetFiles(false), r);
    }).toList();
    assertTrue(outcomes.stream().filter(o -> o.startsWith("refused")).count() >= 15, outcomes.toString());
    assertTrue(outcomes.stream().filter(o -> o.startsWith("accepted")).count() >= 4, outcomes.toString());
    assertTrue(outcomes.get(2).contains("lists target '"), outcomes.get(2));
  }

  @Test
  void a_published_bin_is_scanned_and_gives_what_the_decode_records() {
    Repo r = new Repo();
    byte[] file = r.r.metadata.get(r.r.fileName(r.bin));
    assertNotNull(TargetsScan.of(file, (b, f, t) -> true), "tufsh's bins are in the layout the scan reads");
    SuccinctRoles s = r.r.role("bins").delegations().succinctRoles();
    var keys = r.r.role("bins").delegations().keys();
    Edge top = new Edge("targets", "bins", Map.of(), new dev.tufsh.model.Role(List.of("k"), 1),
        r.r.role("targets").delegations().roles().get(0), null, -1, "s0", "k0");
    Edge e = new Edge("bins", r.bin, keys, new dev.tufsh.model.Role(List.of(r.binKey.keyId()), 1), null, s,
        s.indexOf(r.bin), "s1", "k1");
    Map<String, List<Edge>> incoming = Map.of("bins", List.of(top), r.bin, List.of(e));
    var a = ScannedLeaf.check(file, e, dev.tufsh.model.MetaFile.ofVersion(1), NOW, incoming,
        dev.tufsh.crypto.Key::verifies, true).orElseThrow();
    assertEquals(3, a.targets());
    assertEquals(new KnownRole(1, file.length, Hex.encode(dev.tufsh.crypto.Crypto.sha256(file)),
        r.r.role(r.bin).expires(), "s1", "k1"), a.leaf());
    Expiry at = r.r.role(r.bin).expires();
    assertFalse(ScannedLeaf.check(file, e, dev.tufsh.model.MetaFile.ofVersion(1), at.instant(), incoming,
        dev.tufsh.crypto.Key::verifies, true).isPresent(), "expired at its expiry");
    assertFalse(ScannedLeaf.check(file, e, dev.tufsh.model.MetaFile.ofVersion(2), NOW, incoming,
        dev.tufsh.crypto.Key::verifies, true).isPresent(), "another version");
    Edge elsewhere = new Edge("bins", r.bin, keys, e.role(), null, s, (s.indexOf(r.bin) + 1) % 16, "s1", "k1");
    assertFalse(ScannedLeaf.check(file, elsewhere, dev.tufsh.model.MetaFile.ofVersion(1), NOW,
        Map.of("bins", List.of(top), r.bin, List.of(elsewhere)), dev.tufsh.crypto.Key::verifies, true).isPresent(),
        "another bin's scope");
  }
}
