package dev.tufsh.trust;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tufsh.crypto.Signer;
import dev.tufsh.testing.TestRepository;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The repositories the trust tests share, and short ways to verify them. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  static final List<String> ALL_PREFIXES = hexDigits();

  private Fixtures() {}

  /**
   * PEP 458 shape in small: targets lists readme.txt, delegates 'bins' (every path hash prefix) and
   * 'project-x' (paths project-x/*); bins delegates 16 succinct bins (bit_length 4) holding two packages.
   */
  static TestRepository standard() {
    TestRepository r = TestRepository.create(NOW);
    r.addTarget("targets", "readme.txt", bytes("read me"));
    r.delegatePrefixes("targets", "bins", ALL_PREFIXES);
    r.delegateSuccinct("bins", 4, "bin");
    r.addBinTarget("bins", "pkgs/a.tgz", bytes("package a"));
    r.addBinTarget("bins", "pkgs/b.tgz", bytes("package b, longer"));
    r.delegatePaths("targets", "project-x", List.of("project-x/*"));
    r.addTarget("project-x", "project-x/x.tgz", bytes("x"));
    return r.publish();
  }

  static TrustReport verify(TestRepository r) {
    return verify(r, null);
  }

  static TrustReport verify(TestRepository r, PreviousState previous) {
    return new ClientVerifier(NOW).verify(r.trustedRoot(), r::readMetadata, r::readTarget, previous);
  }

  static VerificationError refused(TestRepository r) {
    return refused(r, null);
  }

  static VerificationError refused(TestRepository r, PreviousState previous) {
    return assertThrows(VerificationError.class, () -> verify(r, previous));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** How errors abbreviate a key id. */
  static String shortId(Signer s) {
    return s.keyId().substring(0, 8) + "...";
  }

  private static List<String> hexDigits() {
    List<String> out = new ArrayList<>();
    for (char c : "0123456789abcdef".toCharArray()) {
      out.add(String.valueOf(c));
    }
    return List.copyOf(out);
  }
}
