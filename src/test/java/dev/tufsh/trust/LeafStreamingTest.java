package dev.tufsh.trust;

import static dev.tufsh.trust.Fixtures.NOW;
import static dev.tufsh.trust.Fixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.TestRepository;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Verification that drops each leaf role once it is checked finds what the verification that
 * keeps them finds: the same counts and versions on a good repository, the same error on a bad one;
 * and so does one that does not hash the leaves (what {@code verify} runs), whose leaves lack only
 * their digests.
 */
class LeafStreamingTest {
  record Case(String name, Consumer<TestRepository> change, String error) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("the standard repository", r -> {}, null),
        new Case("a target file changed under a bin", r -> {
          String bin = r.addBinTarget("bins", "pkgs/c.tgz", bytes("c"));
          r.publish();
          r.targets.replaceAll((k, v) -> k.endsWith("c.tgz") ? bytes("C") : v);
        }, "pkgs/c.tgz"),
        new Case("a bin signed by the wrong key", r -> {
          String bin = r.addBinTarget("bins", "pkgs/d.tgz", bytes("d"));
          r.signRoleWith(bin, List.of(dev.tufsh.crypto.KeyPairs.generate(dev.tufsh.crypto.Scheme.ED25519)));
          r.publish();
        }, "signed by 0 of 1"),
        new Case("a leaf listing a target outside its delegation", r -> {
          r.addTarget("project-x", "elsewhere/y.tgz", bytes("y"));
          r.publish();
        }, "elsewhere/y.tgz"),
        new Case("a leaf out of scope on one chain, in scope on another", r -> {
          r.delegatePaths("targets", "shared", List.of("shared/*"));
          r.delegatePaths("project-x", "shared", List.of("project-x/*"));
          r.addTarget("shared", "project-x/s.tgz", bytes("s"));
          r.addTarget("shared", "shared/t.tgz", bytes("t"));
          r.publish();
        }, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void dropping_leaves_finds_the_same(Case c) {
    TestRepository r = Fixtures.standard();
    c.change.accept(r);
    ClientVerifier keep = new ClientVerifier(NOW);
    ClientVerifier drop = new ClientVerifier(NOW).keepLeafMetadata(false);
    ClientVerifier bare = drop.leafDigests(false);
    if (c.error == null) {
      TrustReport a = keep.verify(r.trustedRoot(), r::readMetadata, r::readTarget, null);
      TrustReport b = drop.verify(r.trustedRoot(), r::readMetadata, r::readTarget, null);
      assertEquals(a.roleVersions(), b.roleVersions());
      assertEquals(List.copyOf(a.roleVersions().keySet()), List.copyOf(b.roleVersions().keySet()), "same order");
      assertEquals(a.targetsRolesVerified(), b.targetsRolesVerified());
      assertEquals(a.targetsListed(), b.targetsListed());
      assertEquals(a.targetFilesVerified(), b.targetFilesVerified());
      assertTrue(a.targetFilesVerified() > 0);
      assertEquals(a.leaves(), b.leaves());
      assertTrue(b.metadata().size() < a.metadata().size(), "leaves dropped: " + b.metadata().keySet());
      TrustReport c0 = bare.verify(r.trustedRoot(), r::readMetadata, r::readTarget, null);
      assertEquals(b.roleVersions(), c0.roleVersions());
      assertEquals(b.targetsListed(), c0.targetsListed());
      assertEquals(b.targetFilesVerified(), c0.targetFilesVerified());
      assertEquals(b.leaves().keySet(), c0.leaves().keySet());
      b.leaves().forEach((role, k) -> {
        assertNotNull(k.sha256());
        assertEquals(new KnownRole(k.version(), k.length(), null, k.expires(), k.scope(), k.keyDigest()),
            c0.leaves().get(role));
      });
    } else {
      VerificationError a = assertThrows(VerificationError.class,
          () -> keep.verify(r.trustedRoot(), r::readMetadata, r::readTarget, null));
      VerificationError b = assertThrows(VerificationError.class,
          () -> drop.verify(r.trustedRoot(), r::readMetadata, r::readTarget, null));
      assertTrue(a.getMessage().contains(c.error), a.getMessage());
      assertEquals(a.getMessage(), b.getMessage());
      assertEquals(a.getMessage(), assertThrows(VerificationError.class,
          () -> bare.verify(r.trustedRoot(), r::readMetadata, r::readTarget, null)).getMessage());
    }
  }
}
