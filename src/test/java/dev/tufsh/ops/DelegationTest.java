package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Scheme;
import dev.tufsh.errors.UsageError;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Snapshot;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.Staging;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Delegations on a PEP 480 tree (targets -> claimed, recently-claimed, unclaimed -> 16 bins; a
 * project {@code proj} for {@code p/*} under recently-claimed): what is refused, each with one line
 * naming the command, the role and the field, and changing nothing; and every operation that knew
 * only bins (routing, rotate, revoke's blast radius, bump, resign, status, verify) on this tree.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DelegationTest {
  Path dir;
  Workbench shared;

  @BeforeAll
  void pep480(@TempDir Path tmp) {
    dir = tmp;
    shared = tree(dir.resolve("shared"));
  }

  private static Workbench tree(Path repo) {
    Workbench b = Benches.at(repo);
    Init.run(b, Init.Request.defaults().withBins(16).withPep480Layout());
    b.keys().generate(Scheme.ED25519, "proj-dev");
    Delegation.add(b, add("proj", "recently-claimed", List.of("p/*"), List.of(), true));
    Publishing.publish(b);
    return b;
  }

  /** A target path, the first hex digit of its path hash's, and another digit. */
  static final String HASHED = "h/a-1.0.tgz";
  static final String DIGIT = dev.tufsh.crypto.Hex.encode(dev.tufsh.crypto.Crypto.sha256(
      HASHED.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 1);
  static final String OTHER_DIGIT = DIGIT.equals("0") ? "1" : "0";
  static final String[] ALL_HEX = "0123456789abcdef".split("");

  /**
   * {@code delegation set --hash-prefix} re-sets what a role is delegated by path hash: narrowed to
   * what still covers every target it lists, or turned from paths into prefixes; the delegator is
   * staged, the role routes and verifies as before, and setting the same prefixes again changes
   * nothing.
   */
  @Test
  void set_hash_prefixes_that_still_cover_what_the_role_holds() throws IOException {
    Workbench b = Benches.at(copy("set hash prefixes"));
    Delegation.add(b, add("hp", "claimed", List.of(), List.of(ALL_HEX), false));
    TargetOps.add(b, List.of(TargetSpec.external(HASHED, 3, Map.of("sha256", "ab".repeat(32)))));
    Publishing.publish(b);
    Delegation.Result r = Delegation.change(b, new Delegation.Change("hp", null, null, null, null,
        List.of(DIGIT, OTHER_DIGIT)));
    assertEquals(java.util.Set.of("claimed"), r.staged());
    Publishing.publish(b);
    var entry = Delegation.show(b, "targets").stream().filter(e -> e.role().equals("hp")).findFirst().orElseThrow();
    assertEquals(List.of(DIGIT, OTHER_DIGIT), entry.hashPrefixes());
    assertEquals(null, entry.paths());
    assertEquals("hp", new TargetRouter(b.repository()).roleFor(HASHED));
    var report = Verify.run(b, b.workspace().root().resolve("metadata/1.root.json"), false); // an external target
    assertTrue(report.roleVersions().containsKey("hp"), report.roleVersions().toString());
    UsageError same = assertThrows(UsageError.class, () -> Delegation.change(b, new Delegation.Change("hp", null,
        null, null, null, List.of(DIGIT, OTHER_DIGIT))));
    assertTrue(same.getMessage().contains("nothing to change"), same.getMessage());
    // From paths to prefixes: proj's p/* becomes every hash under recently-claimed's.
    assertEquals(java.util.Set.of("recently-claimed"), Delegation.change(b, new Delegation.Change("proj", null, null,
        null, null, List.of(ALL_HEX))).staged());
  }

  /** The count an upload asks for (how many signatures at most) is the length of the list, bins or named roles. */
  @Test
  void role_count_is_how_many_roles_role_names_lists(@TempDir Path tmp) throws IOException {
    Workbench named = Benches.at(copy("role count"));
    Delegation.add(named, add("hp", "claimed", List.of(), List.of(ALL_HEX), false));
    Workbench bins = Benches.published(tmp.resolve("bins"), 16);
    for (Workbench b : List.of(named, bins)) {
      assertEquals(b.repository().roleNames().size(), b.repository().roleCount(), b.repository().roleNames().toString());
    }
    assertEquals(4 + 1 + 16, bins.repository().roleCount(), "top-level roles, bins, 16 bins");
  }

  static Delegation.Add add(String role, String parent, List<String> paths, List<String> prefixes, boolean term) {
    return new Delegation.Add(role, parent, paths, prefixes, List.of("proj-dev"), 1, term, null);
  }

  record Refusal(String name, Consumer<Workbench> action, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Refusal> refusals() {
    List<String> x = List.of("x/*");
    return Stream.of(
        new Refusal("unknown delegator", b -> Delegation.add(b, add("x", "nope", x, List.of(), false)),
            "delegation add x: --parent 'nope': unknown role"),
        new Refusal("a bin delegates no further", b -> Delegation.add(b, add("x", "bin-3", x, List.of(), false)),
            "delegation add x: --parent 'bin-3' is a hashed bin; bins delegate no further"),
        new Refusal("beside succinct bins", b -> Delegation.add(b, add("x", "unclaimed", x, List.of(), false)),
            "delegation add x: --parent 'unclaimed' delegates to succinct hashed bins, which cannot share a"
                + " delegations list with other roles"),
        new Refusal("a top-level delegator", b -> Delegation.add(b, add("x", "snapshot", x, List.of(), false)),
            "delegation add x: --parent 'snapshot' is not a targets role"),
        new Refusal("a role twice in the tree", b -> Delegation.add(b, add("proj", "claimed", x, List.of(), false)),
            "delegation add proj: role 'proj' exists already (delegated by recently-claimed); a role appears once in"
                + " the tree"),
        new Refusal("a bin's name", b -> Delegation.add(b, add("bin-3", "claimed", x, List.of(), false)),
            "delegation add bin-3: role 'bin-3' exists already (delegated by unclaimed); a role appears once in the"
                + " tree"),
        new Refusal("a cycle", b -> Delegation.move(b, new Delegation.Move(List.of("recently-claimed"), "proj", null)),
            "delegation move recently-claimed: --parent 'proj' is delegated by 'recently-claimed' (that would be a"
                + " cycle)"),
        new Refusal("a path outside the delegator's", b -> Delegation.add(b, add("x", "proj", x, List.of(), false)),
            "delegation add x: --path 'x/*' is outside what 'proj' is delegated (paths p/*)"),
        new Refusal("a wider wildcard", b -> Delegation.add(b, add("x", "proj", List.of("*/*"), List.of(), false)),
            "delegation add x: --path '*/*' is outside what 'proj' is delegated (paths p/*)"),
        new Refusal("'?' is not '*'", b -> Delegation.add(b, add("x", "proj", List.of("p/a*"), List.of(), false))
            .roles(), null),
        new Refusal("hash prefixes under paths", b -> Delegation.add(b, add("x", "proj", List.of(), List.of("a"),
            false)), "delegation add x: --hash-prefix 'a' cannot be checked against the paths 'proj' is delegated"
                + " (p/*); delegate by --path"),
        new Refusal("paths and prefixes", b -> Delegation.add(b, add("x", "claimed", x, List.of("a"), false)),
            "delegation add x: give --path or --hash-prefix (exactly one kind)"),
        new Refusal("a pattern that climbs", b -> Delegation.add(b, add("x", "claimed", List.of("../*"), List.of(),
            false)), "delegation add x: --path '../*' has an empty, '.' or '..' segment"),
        new Refusal("not hex", b -> Delegation.add(b, add("x", "claimed", List.of(), List.of("A"), false)),
            "delegation add x: field 'path_hash_prefixes': 'A' is not lowercase hex"),
        new Refusal("a name that is a path", b -> Delegation.add(b, add("a/b", "claimed", x, List.of(), false)),
            "delegation add a/b: field 'role': role name 'a/b' contains a path separator"),
        new Refusal("a top-level name", b -> Delegation.add(b, add("snapshot", "claimed", x, List.of(), false)),
            "delegation add snapshot: field 'role': 'snapshot' is a top-level role and cannot be delegated"),
        new Refusal("an unknown key", b -> Delegation.add(b, new Delegation.Add("x", "claimed", x, List.of(),
            List.of("nobody"), 1, false, null)), "delegation add x: --key 'nobody': no key 'nobody' in the key store"
                + " (give a key name, or at least 8 hex digits of its id)"),
        new Refusal("a key twice", b -> Delegation.add(b, new Delegation.Add("x", "claimed", x, List.of(),
            List.of("proj-dev", "proj-dev"), 1, false, null)), "delegation add x: --key 'proj-dev' is given twice"),
        new Refusal("threshold above the keys", b -> Delegation.add(b, new Delegation.Add("x", "claimed", x,
            List.of(), List.of("proj-dev"), 2, false, null)),
            "delegation add x: --threshold 2 must be between 1 and the number of keys (1)"),
        new Refusal("--before a stranger", b -> Delegation.add(b, new Delegation.Add("x", "claimed", x, List.of(),
            List.of("proj-dev"), 1, false, "bins")), "delegation add x: --before 'bins' is not delegated by 'claimed'"),
        new Refusal("shadowed by a terminating sibling", b -> Delegation.add(b, add("x", "targets", x, List.of(),
            false)), "delegation add x: 'unclaimed' comes first, is terminating and takes every path 'x' would, so"
                + " clients would never search it; give --before unclaimed"),
        new Refusal("set a bin", b -> Delegation.change(b, new Delegation.Change("bin-3", null, 1, null)),
            "delegation set bin-3: 'bin-3' is a hashed bin; its delegation is every bin's (use rotate, or delegation"
                + " commands on the role that delegates the bins)"),
        new Refusal("set a top-level role", b -> Delegation.change(b, new Delegation.Change("timestamp", null, 1,
            null)), "delegation set timestamp: 'timestamp' is a top-level role (root lists its keys: use rotate)"),
        new Refusal("set nothing", b -> Delegation.change(b, new Delegation.Change("proj", null, null, true)),
            "delegation set proj: nothing to change (give --key, --threshold, --terminating, --path or"
                + " --hash-prefix)"),
        new Refusal("set --path and --hash-prefix", b -> Delegation.change(b, new Delegation.Change("claimed", null,
            null, null, List.of("c/*"), List.of("0"))), "delegation set claimed: give --path or --hash-prefix, not both"),
        new Refusal("set a --hash-prefix that is not hex", b -> Delegation.change(b, new Delegation.Change("claimed",
            null, null, null, null, List.of("A"))),
            "delegation set claimed: field 'path_hash_prefixes': 'A' is not lowercase hex"),
        new Refusal("set no --hash-prefix", b -> Delegation.change(b, new Delegation.Change("claimed", null, null,
            null, null, List.of())), "delegation set claimed: give at least one --hash-prefix"),
        new Refusal("set --hash-prefix leaving a role delegated by paths out", b -> Delegation.change(b,
            new Delegation.Change("recently-claimed", null, null, null, null, List.of("0"))),
            "delegation set recently-claimed: 'recently-claimed' delegates 'proj' paths p/*, which the new prefixes do"
                + " not cover; change or move 'proj' first"),
        new Refusal("set --hash-prefix narrowing the bins' delegator", b -> Delegation.change(b,
            new Delegation.Change("unclaimed", null, null, null, null, List.of("0", "1"))),
            "delegation set unclaimed: 'unclaimed' delegates to succinct hashed bins, which cover every path hash; the"
                + " new prefixes must too"),
        new Refusal("set --hash-prefix leaving a listed target out (after a setup)", b -> {
          Delegation.add(b, add("hp", "claimed", List.of(), List.of(ALL_HEX), false));
          TargetOps.add(b, List.of(TargetSpec.external(HASHED, 3, Map.of("sha256", "ab".repeat(32)))));
          Delegation.change(b, new Delegation.Change("hp", null, null, null, null, List.of(OTHER_DIGIT)));
        }, "delegation set hp: 'hp' lists 1 target(s) whose path hash the new prefixes do not cover (first: "
            + HASHED + "); remove them first, or give a --hash-prefix that covers them"),
        new Refusal("set --hash-prefix leaving a role delegated by prefixes out (after a setup)", b -> {
          Delegation.add(b, add("hp", "claimed", List.of(), List.of("a", "b"), false));
          Delegation.add(b, add("hp-a", "hp", List.of(), List.of("a1"), false));
          Delegation.change(b, new Delegation.Change("hp", null, null, null, null, List.of("b")));
        }, "delegation set hp: 'hp' delegates 'hp-a' path_hash_prefixes a1, which the new prefixes do not cover;"
            + " change or move 'hp-a' first"),
        new Refusal("set --hash-prefix outside the delegator's (after a setup)", b -> {
          Delegation.add(b, add("hp", "claimed", List.of(), List.of("a"), false));
          Delegation.add(b, add("hp-a", "hp", List.of(), List.of("a1"), false));
          Delegation.change(b, new Delegation.Change("hp-a", null, null, null, null, List.of("b")));
        }, "delegation set hp-a: --hash-prefix 'b' is outside what 'hp' is delegated (path_hash_prefixes a)"),
        new Refusal("set a --path that climbs", b -> Delegation.change(b, new Delegation.Change("proj", null, null,
            null, List.of("p/../x"))), "delegation set proj: --path 'p/../x' has an empty, '.' or '..' segment"),
        new Refusal("set --path leaving a listed target out", b -> {
          TargetOps.add(b, List.of(TargetSpec.external("p/a.tgz", 3, Map.of("sha256", "ab".repeat(32)))));
          Delegation.change(b, new Delegation.Change("proj", null, null, null, List.of("q/*")));
        }, "delegation set proj: 'proj' lists 1 target(s) the new paths do not cover (first: p/a.tgz); remove them"
            + " first, or give a --path that covers them"),
        new Refusal("set --path leaving a delegated role out", b -> {
          Delegation.add(b, new Delegation.Add("proj-docs", "proj", List.of("p/docs-*"), List.of(),
              List.of("proj-dev"), 1, true, null));
          Delegation.change(b, new Delegation.Change("proj", null, null, null, List.of("p/src-*")));
        }, "delegation set proj: 'proj' delegates 'proj-docs' paths p/docs-*, which the new paths do not cover;"
            + " change or move 'proj-docs' first"),
        new Refusal("remove an unknown role", b -> Delegation.remove(b, List.of("nope")),
            "delegation remove nope: unknown role 'nope'"),
        new Refusal("move outside the new delegator's paths", b -> {
          Delegation.add(b, new Delegation.Add("team", "claimed", List.of("t/*"), List.of(), List.of("proj-dev"), 1,
              false, null));
          Delegation.move(b, new Delegation.Move(List.of("proj"), "team", null));
        }, "delegation move proj: --path 'p/*' is outside what 'team' is delegated (paths t/*)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refused_with_one_line_naming_role_and_field(Refusal r) throws IOException {
    Workbench b = Benches.at(copy(r.name()));
    if (r.message() == null) {
      // "p/a*" is inside "p/*": the control row that the check is not a blanket refusal
      r.action().accept(b);
      return;
    }
    var before = Staging.names(b.workspace().stagedDir());
    UsageError e = assertThrows(UsageError.class, () -> r.action().accept(b));
    assertEquals(r.message(), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    if (!r.name().startsWith("move outside") && !r.name().startsWith("set --path leaving")
        && !r.name().endsWith("(after a setup)")) {
      assertEquals(before, Staging.names(b.workspace().stagedDir()), "a refusal staged something");
    }
  }

  @Test
  void routing_follows_the_client_search_and_ops_work_on_the_tree() throws IOException {
    Workbench b = Benches.at(copy("ops"));
    Repository repo = b.repository();
    TargetRouter router = new TargetRouter(repo);
    assertEquals("proj", router.roleFor("p/a.tgz"));
    String bin = router.roleFor("other/a.tgz");
    assertTrue(bin.startsWith("bin-"), bin);
    // The periodic job: proj moves to claimed, unchanged itself; its targets still route to it.
    Delegation.Result moved = Delegation.move(b, new Delegation.Move(List.of("pro*"), "claimed", null));
    assertEquals(List.of("proj"), moved.roles());
    assertEquals(java.util.Set.of("claimed", "recently-claimed"), moved.staged());
    assertEquals("proj", new TargetRouter(b.repository()).roleFor("p/a.tgz"));
    assertEquals("claimed", b.repository().delegatorOf("proj").orElseThrow());
    // A project with its own developers' keys: 2 of 2, a subrole with a narrower path.
    b.keys().generate(Scheme.ED25519, "dev-a");
    b.keys().generate(Scheme.ED25519, "dev-b");
    Delegation.change(b, new Delegation.Change("proj", List.of("dev-a", "dev-b"), 2, null));
    Delegation.add(b, new Delegation.Add("proj-docs", "proj", List.of("p/docs-*"), List.of(), List.of("dev-a"), 1,
        true, null));
    assertEquals("proj-docs", new TargetRouter(b.repository()).roleFor("p/docs-1.zip"));
    Publishing.publish(b);

    // rotate and revoke (blast radius names the delegator) on a project role.
    Rotate.Result rot = Rotate.run(b, new Rotate.Request("proj-docs", null, null, null, 0));
    assertEquals(java.util.Set.of("proj", "proj-docs"), rot.staged());
    List<Revoke.Impact> radius = Revoke.blastRadius(b, "dev-a", null);
    assertEquals(List.of(new Revoke.Impact("proj", "claimed", 2, 2, 1)), radius);
    Revoke.Result rev = Revoke.run(b, new Revoke.Request("dev-a", null, null, true, null));
    assertTrue(rev.staged().containsAll(List.of("claimed", "proj")), rev.staged().toString());
    // bump and resign by glob reach every project role; status and verify see the whole tree.
    Resign.Result bumped = Resign.bump(b, new Resign.Selection(List.of("proj*", "claimed"), null, null),
        new Resign.NewExpiry(null, Duration.ofDays(400)));
    assertEquals(java.util.Set.of("proj", "proj-docs", "claimed"), bumped.versions().keySet());
    Publishing.publish(b);
    var status = Status.run(b);
    assertTrue(status.roles().stream().anyMatch(s -> s.role().equals("proj-docs") && s.kind().equals("delegated")
        && s.thresholdMet()), status.toString());
    var report = Verify.run(b, b.workspace().root().resolve("metadata/1.root.json"), true);
    assertTrue(report.roleVersions().containsKey("proj-docs"), report.roleVersions().toString());

    // Removing proj takes proj-docs with it; snapshot keeps listing both (spec 5.5.5).
    Delegation.Result removed = Delegation.remove(b, List.of("proj"));
    assertEquals(List.of("proj", "proj-docs"), removed.removed());
    Publishing.publish(b);
    assertFalse(b.repository().roleNames().contains("proj-docs"));
    Path meta = b.workspace().root().resolve("metadata");
    int v = b.repository().publishedVersion("snapshot");
    Snapshot snap = MetadataCodec.decode(Files.readAllBytes(meta.resolve(v + ".snapshot.json")), "snapshot",
        Snapshot.class).signed();
    assertTrue(snap.meta().containsKey("proj-docs.json") && snap.meta().containsKey("proj.json"), snap.meta().keySet()
        .toString());
    assertTrue(new TargetRouter(b.repository()).roleFor("p/a.tgz").startsWith("bin-"));
  }

  private Path copy(String name) throws IOException {
    return Trees.copy(shared.workspace().root(), dir.resolve("copy-" + name.replaceAll("[^a-z0-9]+", "-")));
  }

}
