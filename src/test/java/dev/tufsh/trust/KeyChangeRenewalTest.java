package dev.tufsh.trust;

import static dev.tufsh.trust.Fixtures.NOW;
import static dev.tufsh.trust.Fixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.SuccinctRoles;
import dev.tufsh.testing.TestRepository;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * After the bin key is replaced (revoke, rotate) every bin is re-signed by the new keys as a new
 * version with the same targets: a publish checks each as a renewal of the bin it verified before
 * (the same target scope, signatures against the NEW keys and threshold), as the daily job's are,
 * not decoded. Whatever a full check refuses is still refused, with the full check's message.
 */
class KeyChangeRenewalTest {
  static final LocalSigner NEW1 = KeyPairs.generate(Scheme.ED25519);
  static final LocalSigner NEW2 = KeyPairs.generate(Scheme.ED25519);

  /** How a publisher verifies: leaves dropped as they are checked, no target files. */
  static ClientVerifier publisher() {
    return new ClientVerifier(NOW).keepLeafMetadata(false);
  }

  /**
   * The standard repository, whose next publish lists roles in snapshot by version only, as
   * tufsh's does (a renewal is checked only where snapshot gives no hash to check instead).
   */
  static TestRepository standard() {
    return Fixtures.standard().snapshotHashes(false);
  }

  /** Every bin delegated to {@code keys} at {@code threshold} and re-signed by {@code signers}. */
  static void rekeyBins(TestRepository r, List<LocalSigner> keys, int threshold, List<LocalSigner> signers) {
    r.editRole("bins", t -> {
      SuccinctRoles s = t.delegations().succinctRoles();
      Map<String, Key> k = new HashMap<>();
      keys.forEach(x -> k.put(x.keyId(), x.key()));
      return t.withDelegations(
          Delegations.succinct(k, s.withKeys(keys.stream().map(LocalSigner::keyId).toList(), threshold)));
    });
    for (String bin : r.role("bins").delegations().succinctRoles().roleNames()) {
      r.signRoleWith(bin, signers);
    }
  }

  /** Verifies as a publisher building on {@code known}, counting in {@code reads} how often each file is read. */
  static TrustReport verify(TestRepository r, KnownRoles known, Map<String, AtomicInteger> reads) {
    return publisher().knownRoles(known).verify(r.trustedRoot(), name -> {
      reads.computeIfAbsent(name, x -> new AtomicInteger()).incrementAndGet();
      return r.readMetadata(name);
    }, null, null);
  }

  static int reads(Map<String, AtomicInteger> reads, String file) {
    AtomicInteger n = reads.get(file);
    return n == null ? 0 : n.get();
  }

  @Test
  void every_rekeyed_bin_is_checked_as_a_renewal_under_the_new_keys() {
    TestRepository r = standard();
    TrustReport before = publisher().verify(r.trustedRoot(), r::readMetadata, null, null);
    Map<String, Integer> was = new HashMap<>();
    List<String> bins = r.role("bins").delegations().succinctRoles().roleNames();
    bins.forEach(b -> was.put(b, r.role(b).version()));
    rekeyBins(r, List.of(NEW1, NEW2), 2, List.of(NEW1, NEW2));
    r.publish();

    Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    TrustReport after = verify(r, before.leaves()::get, reads);
    for (String bin : bins) {
      // A renewal reads the new file once and the vouched-for old one; a full check reads no old file.
      assertEquals(1, reads(reads, r.fileName(bin)), bin);
      assertEquals(1, reads(reads, was.get(bin) + "." + bin + ".json"), bin + ": checked as a renewal");
      assertNotEquals(before.leaves().get(bin).keyDigest(), after.leaves().get(bin).keyDigest());
      assertEquals(before.leaves().get(bin).scope(), after.leaves().get(bin).scope());
    }
    TrustReport full = publisher().verify(r.trustedRoot(), r::readMetadata, null, null);
    assertEquals(full.leaves(), after.leaves(), "the facts the next publish builds on are a full check's");
    assertEquals(full.roleVersions(), after.roleVersions());
  }

  /** A key change gone wrong in one bin, bin-3, and what the full check says about it. */
  record Case(String name, Consumer<TestRepository> change, String error) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> refused() {
    return Stream.of(
        new Case("bin-3 still signed by the revoked key only", r -> {
          rekeyBins(r, List.of(NEW1), 1, List.of(NEW1));
          r.signRoleWith("bin-3", List.of(r.delegateSuccinctKey()));
        }, "signed by 0 of 1"),
        new Case("bin-3 below the new threshold", r -> {
          rekeyBins(r, List.of(NEW1, NEW2), 2, List.of(NEW1, NEW2));
          r.signRoleWith("bin-3", List.of(NEW1));
        }, "signed by 1 of 2"),
        new Case("bin-3 re-signed with a target of another bin added", r -> {
          rekeyBins(r, List.of(NEW1), 1, List.of(NEW1));
          r.addTarget("bin-3", pathOutside(r, "bin-3"), bytes("smuggled"));
        }, "bin-3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void what_a_full_check_refuses_is_refused_with_its_message(Case c) {
    TestRepository r = standard();
    TrustReport before = publisher().verify(r.trustedRoot(), r::readMetadata, null, null);
    c.change.accept(r);
    r.publish();
    VerificationError reference = assertThrows(VerificationError.class,
        () -> publisher().verify(r.trustedRoot(), r::readMetadata, null, null));
    assertTrue(reference.getMessage().contains(c.error), reference.getMessage());
    Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    VerificationError e = assertThrows(VerificationError.class, () -> verify(r, before.leaves()::get, reads));
    assertEquals(reference.getMessage(), e.getMessage());
    String old = before.leaves().get("bin-3").version() + ".bin-3.json";
    assertTrue(reads.containsKey(old), "tried as a renewal first: " + reads.keySet());
  }

  @Test
  void a_rekeyed_bin_whose_targets_changed_in_scope_is_decoded_and_accepted() {
    TestRepository r = standard();
    TrustReport before = publisher().verify(r.trustedRoot(), r::readMetadata, null, null);
    rekeyBins(r, List.of(NEW1), 1, List.of(NEW1));
    String bin = r.addBinTarget("bins", "pkgs/new-1.0.tgz", bytes("new"));
    r.publish();
    Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    TrustReport after = verify(r, before.leaves()::get, reads);
    assertEquals(2, reads(reads, r.fileName(bin)), "tried as a renewal, then read in full");
    assertEquals(publisher().verify(r.trustedRoot(), r::readMetadata, null, null).leaves(), after.leaves());
  }

  @Test
  void a_rekeyed_bin_known_under_another_scope_is_read_in_full() {
    TestRepository r = standard();
    TrustReport before = publisher().verify(r.trustedRoot(), r::readMetadata, null, null);
    rekeyBins(r, List.of(NEW1), 1, List.of(NEW1));
    r.publish();
    // What an earlier check vouched for under other paths or another bin says nothing of these.
    KnownRoles otherScope = role -> {
      KnownRole k = before.leaves().get(role);
      return k == null ? null
          : new KnownRole(k.version(), k.length(), k.sha256(), k.expires(), "ff", k.keyDigest());
    };
    Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    verify(r, otherScope, reads);
    int oldFilesRead = 0;
    for (String bin : r.role("bins").delegations().succinctRoles().roleNames()) {
      oldFilesRead += reads(reads, (r.role(bin).version() - 1) + "." + bin + ".json");
    }
    assertEquals(0, oldFilesRead, "no renewal tried under another scope");
  }

  /** A path the bins' delegation puts in some bin other than {@code bin}. */
  private static String pathOutside(TestRepository r, String bin) {
    SuccinctRoles s = r.role("bins").delegations().succinctRoles();
    for (int i = 0; ; i++) {
      String p = "pkgs/other-" + i + ".tgz";
      if (!s.roleFor(p).equals(bin)) {
        return p;
      }
    }
  }
}
