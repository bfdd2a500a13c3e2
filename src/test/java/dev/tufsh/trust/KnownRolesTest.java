package dev.tufsh.trust;

import static dev.tufsh.trust.Fixtures.NOW;
import static dev.tufsh.trust.Fixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.Expiry;
import dev.tufsh.testing.TestRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A verification that builds on an earlier one reads exactly the roles whose acceptance could have
 * changed: new versions, and every role under a delegation that changed (keys, threshold, paths,
 * or anything on the chain above). The rest it takes from the earlier report without reading.
 */
class KnownRolesTest {
  /** {@code change} applied to the standard repository, then the bins a second verification must read. */
  record Case(String name, Consumer<TestRepository> change, int binsRead) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("nothing changed but snapshot and timestamp", r -> {}, 0),
        new Case("one target added to one bin", r -> r.addBinTarget("bins", "pkgs/c.tgz", bytes("c")), 1),
        new Case("two bins re-signed", r -> r.editRole("bin-0", t -> t).editRole("bin-f", t -> t), 2),
        new Case("bins' own file changed, its succinct delegation not", r -> r.editRole("bins", t -> t), 0),
        new Case("the bin key replaced: every bin re-signed", r -> r.delegateSuccinct("bins", 4, "bin"), 16),
        new Case("the delegation above the bins narrowed", r -> r.editRole("targets", t -> narrowBins(t)), 16));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reads_only_what_changed(Case c) {
    TestRepository r = Fixtures.standard();
    TrustReport before = new ClientVerifier(NOW).verify(r.trustedRoot(), r::readMetadata, null, null);
    assertEquals(17, before.leaves().size(), "16 bins and project-x delegate nothing");
    c.change.accept(r);
    r.publish();
    Set<String> read = new ConcurrentSkipListSet<>();
    TrustReport after = new ClientVerifier(NOW).knownRoles(before.leaves()::get)
        .verify(r.trustedRoot(), name -> {
          read.add(name);
          return r.readMetadata(name);
        }, null, null);
    Set<String> bins = read.stream().filter(n -> n.matches("\\d+\\.bin-[0-9a-f]\\.json")).collect(Collectors.toSet());
    assertEquals(c.binsRead, bins.size(), "bins read: " + new TreeSet<>(bins));
    // Every role is in the report either way, at the version snapshot names.
    TrustReport full = new ClientVerifier(NOW).verify(r.trustedRoot(), r::readMetadata, null, null);
    assertEquals(full.roleVersions().keySet(), after.roleVersions().keySet().stream()
        .collect(Collectors.toCollection(() -> new java.util.LinkedHashSet<String>())));
    assertEquals(new TreeSet<>(full.roleVersions().entrySet().stream().map(Object::toString).toList()),
        new TreeSet<>(after.roleVersions().entrySet().stream().map(Object::toString).toList()));
    assertEquals(full.leaves(), after.leaves(), "the facts to build on next are the same as a full verification's");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void a_changed_role_is_verified_in_full(Case c) {
    TestRepository r = Fixtures.standard();
    TrustReport before = new ClientVerifier(NOW).verify(r.trustedRoot(), r::readMetadata, null, null);
    c.change.accept(r);
    r.publish();
    // A bad signature on a re-published bin is found even though an earlier report knew the bin.
    String bin = r.addBinTarget("bins", "pkgs/bad.tgz", bytes("bad"));
    r.signRoleWith(bin, List.of(dev.tufsh.crypto.KeyPairs.generate(dev.tufsh.crypto.Scheme.ED25519)));
    r.publish();
    VerificationError e = assertThrows(VerificationError.class, () -> new ClientVerifier(NOW)
        .knownRoles(before.leaves()::get).verify(r.trustedRoot(), r::readMetadata, null, null));
    assertTrue(e.getMessage().contains(bin) && e.getMessage().contains("signed by 0 of 1"), e.getMessage());
  }

  /** How the facts an index holds about bin-3 differ from its file; null: they match. */
  record Stale(String name, java.util.function.UnaryOperator<KnownRole> edit, boolean read) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Stale> staleFacts() {
    return Stream.of(
        new Stale("the same facts", k -> k, false),
        new Stale("an older version", k -> new KnownRole(k.version() - 1, k.length(), k.sha256(), k.expires(),
            k.scope(), k.keyDigest()), true),
        new Stale("another scope", k -> new KnownRole(k.version(), k.length(), k.sha256(), k.expires(), "ff",
            k.keyDigest()), true),
        new Stale("other keys", k -> new KnownRole(k.version(), k.length(), k.sha256(), k.expires(), k.scope(),
            "ff"), true),
        new Stale("another length", k -> new KnownRole(k.version(), k.length() + 1, k.sha256(), k.expires(),
            k.scope(), k.keyDigest()), true),
        new Stale("another hash", k -> new KnownRole(k.version(), k.length(), "00" + k.sha256().substring(2),
            k.expires(), k.scope(), k.keyDigest()), true));
  }

  @ParameterizedTest(name = "known: {0}")
  @MethodSource("staleFacts")
  void facts_that_do_not_match_snapshot_are_not_used(Stale c) {
    TestRepository r = Fixtures.standard();
    // bin-3 at version 2, listed in snapshot with length and hashes.
    r.snapshotHashes(true).editRole("bin-3", t -> t).publish();
    KnownRole fact = c.edit.apply(
        new ClientVerifier(NOW).verify(r.trustedRoot(), r::readMetadata, null, null).leaves().get("bin-3"));
    Set<String> read = new ConcurrentSkipListSet<>();
    new ClientVerifier(NOW).knownRoles(role -> role.equals("bin-3") ? fact : null)
        .verify(r.trustedRoot(), name -> {
          read.add(name);
          return r.readMetadata(name);
        }, null, null);
    assertEquals(c.read, read.contains(r.fileName("bin-3")), "read: " + read);
  }

  @org.junit.jupiter.api.Test
  void a_known_role_that_expired_since_is_refused() {
    TestRepository r = Fixtures.standard();
    TrustReport before = new ClientVerifier(NOW).verify(r.trustedRoot(), r::readMetadata, null, null);
    KnownRole bin3 = before.leaves().get("bin-3");
    KnownRole expired = new KnownRole(bin3.version(), bin3.length(), bin3.sha256(),
        Expiry.at(NOW.minusSeconds(1)), bin3.scope(), bin3.keyDigest());
    VerificationError e = assertThrows(VerificationError.class, () -> new ClientVerifier(NOW)
        .knownRoles(role -> role.equals("bin-3") ? expired : before.leaves().get(role))
        .verify(r.trustedRoot(), r::readMetadata, null, null));
    assertTrue(e.getMessage().contains("bin-3") && e.getMessage().contains("expired at"), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void a_role_reached_by_two_delegators_is_always_read() {
    TestRepository r = Fixtures.standard();
    r.delegatePaths("targets", "shared", List.of("shared/*"));
    r.delegatePaths("project-x", "shared", List.of("*"));
    r.publish();
    TrustReport before = new ClientVerifier(NOW).verify(r.trustedRoot(), r::readMetadata, null, null);
    assertTrue(before.leaves().containsKey("shared"));
    Set<String> read = new ConcurrentSkipListSet<>();
    new ClientVerifier(NOW).knownRoles(before.leaves()::get).verify(r.trustedRoot(), name -> {
      read.add(name);
      return r.readMetadata(name);
    }, null, null);
    assertTrue(read.contains(r.fileName("shared")), "read: " + read);
  }

  private static dev.tufsh.model.Targets narrowBins(dev.tufsh.model.Targets t) {
    Delegations d = t.delegations();
    List<DelegatedRole> roles = new ArrayList<>();
    for (DelegatedRole x : d.roles()) {
      roles.add(x.name().equals("bins")
          ? new DelegatedRole(x.name(), x.keyids(), x.threshold(), x.terminating(), List.of("pkgs/*"), null, Map.of())
          : x);
    }
    return t.withDelegations(Delegations.of(d.keys(), roles));
  }

  /** KnownRole's equals and hashCode are written out (no ObjectMethods link at start-up): a record's. */
  @org.junit.jupiter.api.Test
  void a_known_role_equals_another_exactly_when_every_field_does() {
    Expiry e = Expiry.parse("2030-01-01T00:00:00Z");
    KnownRole k = new KnownRole(3, 120, "ab", e, "scope", "keys");
    assertEquals(k, new KnownRole(3, 120, "ab", Expiry.parse("2030-01-01T00:00:00Z"), "scope", "keys"));
    assertEquals(k.hashCode(), new KnownRole(3, 120, "ab", e, "scope", "keys").hashCode());
    assertEquals(new KnownRole(3, 120, null, e, "scope", "keys"), new KnownRole(3, 120, null, e, "scope", "keys"));
    for (KnownRole other : List.of(new KnownRole(4, 120, "ab", e, "scope", "keys"), new KnownRole(3, 121, "ab", e, "scope", "keys"),
        new KnownRole(3, 120, "ac", e, "scope", "keys"), new KnownRole(3, 120, null, e, "scope", "keys"),
        new KnownRole(3, 120, "ab", Expiry.parse("2030-01-01T00:00:01Z"), "scope", "keys"),
        new KnownRole(3, 120, "ab", e, "scope2", "keys"),
        new KnownRole(3, 120, "ab", e, "scope", "keys2"))) {
      assertTrue(!k.equals(other) && !other.equals(k), other.toString());
    }
  }
}
