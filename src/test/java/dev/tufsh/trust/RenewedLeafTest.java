package dev.tufsh.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.errors.MetadataError;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.MetaFile;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Role;
import dev.tufsh.model.Signatures;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A renewed bin is accepted without decoding its targets only when it is the vouched-for file with
 * a new version and expiry, signed by a threshold of the delegation's keys, unexpired, at the
 * snapshot's version: any other difference sends it to the full check, which refuses or reports it.
 */
class RenewedLeafTest {
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  static final LocalSigner KEY = KeyPairs.generate(Scheme.ED25519);
  static final LocalSigner OTHER = KeyPairs.generate(Scheme.ED25519);
  static final Edge EDGE = new Edge("bins", "bin-3", Map.of(KEY.key().keyId(), KEY.key()),
      new Role(List.of(KEY.key().keyId()), 1), null, null, 3, "scope-digest", "key-digest");

  static Targets bin(int version, Expiry expires) {
    Map<String, TargetFile> t = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      t.put("packages/p" + i + "/\"version\":" + i + ".tar.gz", new TargetFile(i, Map.of("sha256", "ab".repeat(32))));
    }
    return new Targets("1.0.31", version, expires, t, null, Map.of());
  }

  static byte[] file(Targets t, LocalSigner... signers) {
    return MetadataCodec.fileBytes(Signatures.sign(t, List.of(signers)));
  }

  static final Expiry OLD = Expiry.at(Instant.parse("2026-12-05T00:00:00Z"));
  static final Expiry NEW = Expiry.at(Instant.parse("2027-01-05T00:00:00Z"));
  static final byte[] BEFORE = file(bin(7, OLD), KEY);
  static final KnownRole KNOWN = new KnownRole(7, BEFORE.length, Hex.encode(Crypto.sha256(BEFORE)), OLD, "scope-digest",
      "key-digest");

  @Test
  void accepts_the_vouched_file_renewed_and_signed() {
    byte[] after = file(bin(8, NEW), KEY);
    var a = RenewedLeaf.check(after, BEFORE, KNOWN, EDGE, MetaFile.ofVersion(8), NOW, dev.tufsh.crypto.Key::verifies)
        .orElseThrow();
    assertEquals(50, a.targets());
    assertEquals(new KnownRole(8, after.length, Hex.encode(Crypto.sha256(after)), NEW, "scope-digest", "key-digest"),
        a.leaf());
  }

  record Case(String name, byte[] after, byte[] before, MetaFile entry) {
    @Override
    public String toString() {
      return name;
    }
  }

  static byte[] edit(byte[] b, UnaryOperator<String> f) {
    return f.apply(new String(b, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
  }

  static List<Case> refused() {
    byte[] good = file(bin(8, NEW), KEY);
    Targets extra = bin(8, NEW).withTargets(new HashMap<>(bin(8, NEW).targets()) {
      {
        put("evil-1.0.tar.gz", new TargetFile(5, Map.of("sha256", "cd".repeat(32))));
      }
    });
    return List.of(
        new Case("a target added, validly signed", file(extra, KEY), BEFORE, MetaFile.ofVersion(8)),
        new Case("signed by a key the delegation does not trust", file(bin(8, NEW), OTHER), BEFORE, MetaFile.ofVersion(8)),
        new Case("unsigned", file(bin(8, NEW)), BEFORE, MetaFile.ofVersion(8)),
        new Case("a signature that does not verify", edit(good, s -> {
          int at = s.indexOf("\"sig\":\"") + 17;
          return s.substring(0, at) + (s.charAt(at) == '0' ? '1' : '0') + s.substring(at + 1);
        }), BEFORE, MetaFile.ofVersion(8)),
        new Case("a version other than snapshot's", good, BEFORE, MetaFile.ofVersion(9)),
        new Case("expired", file(bin(8, Expiry.at(NOW.minusSeconds(1))), KEY), BEFORE, MetaFile.ofVersion(8)),
        new Case("a length other than snapshot's", good, BEFORE, new MetaFile(8, (long) good.length + 1, null, Map.of())),
        new Case("hashes in snapshot", good, BEFORE,
            new MetaFile(8, null, Map.of("sha256", Hex.encode(Crypto.sha256(good))), Map.of())),
        new Case("the old file is not the vouched one", good, edit(BEFORE, s -> s.replace("p1/", "q1/")),
            MetaFile.ofVersion(8)),
        new Case("the old file is missing", good, null, MetaFile.ofVersion(8)),
        new Case("not canonical", edit(good, s -> s.replace("\"signed\":{", "\"signed\": {")), BEFORE,
            MetaFile.ofVersion(8)),
        new Case("a duplicate signature", edit(good, s -> s.replaceFirst("\\[(\\{[^}]*\\})\\]", "[$1,$1]")), BEFORE,
            MetaFile.ofVersion(8)));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void leaves_anything_else_to_the_full_check(Case c) {
    assertFalse(RenewedLeaf.check(c.after(), c.before(), KNOWN, EDGE, c.entry(), NOW, new RepeatedSignatures())
        .isPresent());
  }

  @Test
  void the_cases_differ_from_the_accepted_file_only_where_they_say() {
    // The refusals above are not of damaged JSON: each still decodes as a role.
    for (Case c : refused()) {
      if (c.name().equals("a duplicate signature")) {
        assertThrows(MetadataError.class, () -> MetadataCodec.decode(c.after(), c.name()), "refused in full too");
      } else {
        Metadata<?> md = MetadataCodec.decode(c.after(), c.name());
        assertTrue(md.signed() instanceof Targets, c.name());
      }
    }
  }
}
