package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Scheme;
import dev.tufsh.errors.TufshException;
import dev.tufsh.errors.UsageError;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.TargetFile;
import dev.tufsh.repo.FileNames;
import dev.tufsh.repo.Repository;
import dev.tufsh.testing.Benches;
import dev.tufsh.trust.TrustReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code reshape} at the operation level, one row per change of count and layout: every target is
 * found where a client looks for it in the new shape, with its length and hashes as they were;
 * every new bin exists; the old bins stay listed in the snapshot; publish verifies it as a client
 * and the full client workflow from 1.root.json accepts it; a target added afterwards lands in
 * its new bin. Refusals leave nothing staged.
 */
class ReshapeTest {
  static final int TARGETS = 300;

  @TempDir Path dir;

  /** A published repository of {@code bins} bins in {@code layout} with {@link #TARGETS} targets. */
  static Workbench published(Path repo, BinShape.Layout layout, int bins) {
    Workbench b = Benches.at(repo);
    Init.Request req = Init.Request.defaults().withBins(bins);
    Init.run(b, switch (layout) {
      case SUCCINCT -> req;
      case HASH_PREFIX -> req.withLayout(false);
      case RSTUF -> req.withRstufLayout();
    });
    Publishing.publish(b);
    List<TargetSpec> specs = new ArrayList<>();
    for (int i = 0; i < TARGETS; i++) {
      specs.add(TargetSpec.external("pkg/p" + i + "/p" + i + "-1.0.tar.gz", 100 + i,
          Map.of("sha256", String.format(Locale.ROOT, "%064x", i))));
    }
    TargetOps.add(b, specs);
    Publishing.publish(b);
    return b;
  }

  static Stream<Arguments> shapes() {
    return Stream.of(
        Arguments.of(BinShape.Layout.SUCCINCT, 16, BinShape.Layout.SUCCINCT, 64),
        Arguments.of(BinShape.Layout.SUCCINCT, 64, BinShape.Layout.SUCCINCT, 4),
        Arguments.of(BinShape.Layout.SUCCINCT, 16, BinShape.Layout.HASH_PREFIX, 16),
        Arguments.of(BinShape.Layout.HASH_PREFIX, 16, BinShape.Layout.SUCCINCT, 32),
        Arguments.of(BinShape.Layout.HASH_PREFIX, 16, BinShape.Layout.HASH_PREFIX, 1),
        Arguments.of(BinShape.Layout.HASH_PREFIX, 1, BinShape.Layout.HASH_PREFIX, 8),
        Arguments.of(BinShape.Layout.SUCCINCT, 16, BinShape.Layout.RSTUF, 16),
        Arguments.of(BinShape.Layout.RSTUF, 16, BinShape.Layout.RSTUF, 256),
        Arguments.of(BinShape.Layout.RSTUF, 16, BinShape.Layout.SUCCINCT, 16),
        Arguments.of(BinShape.Layout.HASH_PREFIX, 16, BinShape.Layout.RSTUF, 2));
  }

  @ParameterizedTest(name = "{0} {1} -> {2} {3}")
  @MethodSource("shapes")
  void every_target_moves_to_its_bin_in_the_new_shape(BinShape.Layout from, int n, BinShape.Layout to, int m) {
    Workbench b = published(dir.resolve("repo"), from, n);
    Repository before = b.repository();
    BinShape old = BinShape.find(before::targets).orElseThrow();
    assertEquals(from, old.layout());
    Map<String, TargetFile> listed = new HashMap<>();
    old.binNames().forEach(r -> listed.putAll(before.requireTargets(r).targets()));
    assertEquals(TARGETS, listed.size());
    if (from == BinShape.Layout.RSTUF && to != BinShape.Layout.RSTUF) {
      b.keys().generate(Scheme.ED25519, "bins-new");
    }

    Reshape.Result r = Reshape.run(b, new Reshape.Request(m, to, "bins-new"));

    assertEquals(to, r.after().layout());
    assertEquals(m, r.after().bins());
    assertEquals(TARGETS, r.targets());
    assertEquals(old.keyids(), r.after().keyids(), "the bins keep their keys");
    Repository staged = b.repository();
    TargetRouter router = new TargetRouter(staged);
    for (var e : listed.entrySet()) {
      String role = router.roleFor(e.getKey());
      assertTrue(r.after().binNames().contains(role), e.getKey() + " routes to " + role);
      assertEquals(e.getValue(), staged.requireTargets(role).targets().get(e.getKey()), e.getKey());
    }
    long inBins = r.after().binNames().stream().mapToLong(x -> staged.requireTargets(x).targets().size()).sum();
    assertEquals(TARGETS, inBins, "no target listed twice");
    r.after().binNames().forEach(x -> assertTrue(staged.isStaged(x), x + " is staged, empty or not"));
    assertTrue(staged.isStaged(r.after().parent()), "the delegating role is re-signed");
    assertTrue(Publishing.plan(b).complete(), "the keys at hand sign every role");
    assertTrue(r.cost().after().newClient() > 0 && r.cost().before().newClient() > 0, r.cost().toString());

    Publishing.publish(b);

    Snapshot snap = b.repository().published().snapshot().orElseThrow().signed();
    for (String gone : r.dropped()) {
      assertNotNull(snap.entry(gone), gone + " stays in the snapshot: clients refuse one that drops a name");
    }
    TrustReport v = Verify.run(b, null, false);
    assertTrue(v.targetsListed() >= TARGETS, "a client finds every target: " + v.targetsListed());
    for (String bin : r.after().binNames()) {
      assertTrue(v.roleVersions().containsKey(bin), bin + " verified");
    }
    String late = "pkg/late/late-1.0.tar.gz";
    TargetOps.Result added = TargetOps.add(b, List.of(TargetSpec.external(late, 1, Map.of("sha256", "0".repeat(64)))));
    assertEquals(r.after().binNames().get((int) dev.tufsh.model.SuccinctRoles.binIndex(late,
        Integer.numberOfTrailingZeros(m))), added.roleByPath().get(late));
  }

  @Test
  void plan_shows_the_cost_to_clients_until_published() {
    Workbench b = published(dir.resolve("repo"), BinShape.Layout.SUCCINCT, 16);
    assertTrue(Reshape.pendingCost(b, Publishing.preview(b)).isEmpty(), "nothing staged, no cost shown");
    Reshape.Result r = Reshape.run(b, new Reshape.Request(4, null, null));
    ClientCost.Comparison c = Reshape.pendingCost(b, Publishing.preview(b)).orElseThrow();
    assertEquals(r.cost(), c);
    // Fewer, fuller bins: one bin costs more; the snapshot keeps every old name (bin-0..3 are reused).
    assertTrue(c.after().meanBin() > 3 * c.before().meanBin(), c.toString());
    assertTrue(c.after().snapshot() >= c.before().snapshot(), c.toString());
    assertTrue(c.newClientRatio() > 1 && c.returningClientRatio() > 1, c.toString());
    assertEquals(List.of("targets", "bins"), List.copyOf(c.after().path().keySet()));
    Publishing.publish(b);
    // What plan predicted is what clients now fetch (signatures estimated from the previous files).
    Repository pub = b.repository();
    long snapshot = pub.published().snapshotBytes().length;
    assertTrue(Math.abs(snapshot - c.after().snapshot()) <= 8, snapshot + " vs " + c.after().snapshot());
    assertTrue(Reshape.pendingCost(b, Publishing.preview(b)).isEmpty());
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(100, null, "--bins must be a power of two from 1 to 65536, got 100"),
        Arguments.of(1 << 17, null, "--bins must be a power of two from 1 to 65536, got 131072"),
        Arguments.of(0, null, "--bins must be a power of two"),
        Arguments.of(16, null, "already has 16 succinct bins under bins; nothing to reshape"),
        Arguments.of(1, BinShape.Layout.SUCCINCT, "succinct hashed bins need at least 2 bins"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("refusals")
  void shapes_that_cannot_hold_are_refused(int m, BinShape.Layout layout, String message) throws Exception {
    Workbench b = published(dir.resolve("repo"), BinShape.Layout.SUCCINCT, 16);
    UsageError e = assertThrows(UsageError.class, () -> Reshape.run(b, new Reshape.Request(m, layout, null)));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertTrue(b.repository().staging().isEmpty());
  }

  @Test
  void the_command_line_shows_the_cost_and_refuses_in_one_line() {
    dev.tufsh.testing.CliRepo cli = dev.tufsh.testing.CliRepo.published(dir, 8, java.time.Instant.now());
    dev.tufsh.testing.Cli.Result bad = cli.run("reshape", "--bins", "12");
    assertEquals(dev.tufsh.cli.ExitCodes.USAGE, bad.status(), bad.toString());
    assertEquals("tufsh: error: --bins must be a power of two from 1 to 65536, got 12\n", bad.err());
    String out = cli.run("reshape", "--bins", "32", "--layout", "hash-prefix").assertOk().out();
    assertTrue(out.startsWith("reshape staged: 8 succinct bins under bins -> 32 hash-prefix bins under bins; 0"
        + " target(s)"), out);
    assertTrue(out.contains("8 role(s) no longer delegated"), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("new +\\d+ +\\d+ +x\\d\\.\\d\\d")), out);
    String plan = cli.run("plan").assertOk().out();
    assertTrue(plan.contains("32 bins") && plan.contains("bytes a client fetches to resolve one target"), plan);
    var json = dev.tufsh.testing.JsonResults.result(cli.run("--json", "plan").assertOk().out());
    assertEquals(json.get("client_cost").get("after").get("new_client").asLong(),
        json.get("client_cost").get("after").get("timestamp").asLong()
            + json.get("client_cost").get("after").get("snapshot").asLong()
            + json.get("client_cost").get("after").get("path").get("targets").asLong()
            + json.get("client_cost").get("after").get("path").get("bins").asLong()
            + json.get("client_cost").get("after").get("mean_bin").asLong());
    cli.run("publish").assertOk();
    assertTrue(dev.tufsh.testing.JsonResults.result(cli.run("--json", "plan").assertOk().out()).get("client_cost")
        .isNull(), "published: no reshape staged");
  }

  @Test
  void pending_changes_and_a_missing_bins_key_are_refused() {
    Workbench b = published(dir.resolve("repo"), BinShape.Layout.RSTUF, 16);
    TufshException e = assertThrows(UsageError.class,
        () -> Reshape.run(b, new Reshape.Request(16, BinShape.Layout.SUCCINCT, null)));
    assertTrue(e.getMessage().contains("give --bins-key NAME"), e.getMessage());
    TargetOps.add(b, List.of(TargetSpec.external("x.txt", 1, Map.of("sha256", "1".repeat(64)))));
    e = assertThrows(TufshException.class, () -> Reshape.run(b, new Reshape.Request(64, null, null)));
    assertTrue(e.getMessage().contains("1 staged change(s) are pending; publish or discard them first"),
        e.getMessage());
  }

  @Test
  void bins_move_up_into_targets_and_back_under_a_bins_role() {
    Workbench b = published(dir.resolve("repo"), BinShape.Layout.SUCCINCT, 16);
    int bins = b.repository().publishedVersion("bins");
    Reshape.Result up = Reshape.run(b, new Reshape.Request(16, BinShape.Layout.RSTUF, null));
    assertTrue(up.dropped().contains("bins"), up.dropped().toString());
    Publishing.publish(b);
    b.keys().generate(Scheme.ED25519, "bins-2");
    Reshape.Result down = Reshape.run(b, new Reshape.Request(16, BinShape.Layout.SUCCINCT, "bins-2"));
    assertEquals(List.of("targets", "bins"), down.after().path());
    Publishing.publish(b);
    assertTrue(b.repository().publishedVersion("bins") > bins, "bins comes back above the version clients cached");
    assertEquals(TARGETS, Verify.run(b, null, false).targetsListed());
  }

  @Test
  void reused_bin_names_publish_above_every_version_clients_hold() {
    // 16 -> 8 -> 16 bins: bin-0..bin-f come back, above the versions a returning client cached.
    Workbench b = published(dir.resolve("repo"), BinShape.Layout.HASH_PREFIX, 16);
    int v0 = b.repository().publishedVersion("bin-0");
    Reshape.run(b, new Reshape.Request(8, null, null));
    Publishing.publish(b);
    Reshape.run(b, new Reshape.Request(16, null, null));
    Publishing.publish(b);
    assertTrue(b.repository().publishedVersion("bin-0") > v0);
    assertTrue(Files.exists(b.workspace().metadataDir().resolve(FileNames.metadata("bin-0",
        b.repository().publishedVersion("bin-0")))));
    assertEquals(TARGETS, Verify.run(b, null, false).targetsListed());
  }
}
