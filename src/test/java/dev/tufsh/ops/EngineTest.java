package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.errors.ThresholdError;
import dev.tufsh.errors.UsageError;
import dev.tufsh.repo.Plan;
import dev.tufsh.repo.PublishResult;
import dev.tufsh.testing.Benches;
import dev.tufsh.trust.TrustReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
  @TempDir Path dir;

  private Workbench init(int bins, boolean succinct) {
    Workbench b = Benches.at(dir.resolve("repo"));
    Init.run(b, Init.Request.defaults().withBins(bins).withLayout(succinct));
    return b;
  }

  @Test
  void init_publish_verify() {
    Workbench b = init(16, true);
    Plan plan = Publishing.plan(b);
    assertTrue(plan.complete(), "all keys are local, so every threshold is met");
    assertEquals(16 + 5, plan.entries().size());
    PublishResult r = Publishing.publish(b);
    assertEquals(1, r.versions().get("timestamp"));
    TrustReport rep = Verify.run(b, null, true);
    assertEquals(1, rep.rootVersion());
    assertEquals(18, rep.targetsRolesVerified());
    assertTrue(Publishing.plan(b).isEmpty());
  }

  @Test
  void add_targets_then_bump_and_rotate() throws Exception {
    Workbench b = init(16, true);
    Publishing.publish(b);
    Path f = dir.resolve("pkg-1.0.tar.gz");
    Files.writeString(f, "hello tuf");
    var added = TargetOps.add(b, List.of(TargetSpec.ofFile("packages/pkg-1.0.tar.gz", f)));
    assertTrue(added.roleByPath().get("packages/pkg-1.0.tar.gz").startsWith("bin-"));
    Publishing.publish(b);
    TrustReport rep = Verify.run(b, null, true);
    assertEquals(1, rep.targetsListed());
    assertEquals(2, rep.timestampVersion());

    var bumped = Resign.bump(b, new Resign.Selection(List.of("bin-*"), null, null), null);
    assertEquals(16, bumped.versions().size());
    Publishing.publish(b);

    var rot = Rotate.run(b, new Rotate.Request("timestamp", null, null, null, 0));
    assertTrue(rot.staged().contains("root"));
    Publishing.publish(b);
    rep = Verify.run(b, null, true);
    assertEquals(2, rep.rootVersion());

    var rotBins = Rotate.run(b, new Rotate.Request("bin-3", null, null, null, 0));
    assertTrue(rotBins.staged().contains("bins"));
    assertEquals(16 + 1, rotBins.staged().size());
    Publishing.publish(b);
    Verify.run(b, null, true);
  }

  @Test
  void revoke_without_replacement_is_refused_and_changes_nothing() {
    Workbench b = init(4, true);
    Publishing.publish(b);
    var repo = b.repository();
    String binKey = repo.keysFor("bin-0").role().keyids().get(0);
    var radius = Revoke.blastRadius(b, binKey, null);
    assertEquals(1, radius.size());
    assertTrue(radius.get(0).falls());
    UsageError e = assertThrows(UsageError.class,
        () -> Revoke.run(b, new Revoke.Request(binKey, null, null, false, null)));
    assertTrue(e.getMessage().contains("--replace-with"), e.getMessage());
    assertTrue(Publishing.plan(b).isEmpty());
    var res = Revoke.run(b, new Revoke.Request(binKey, null, null, true, null));
    assertFalse(res.staged().isEmpty());
    Publishing.publish(b);
    Verify.run(b, null, true);
    assertFalse(b.repository().keysFor("bin-2").keys().containsKey(binKey));
  }

  @Test
  void publish_refuses_unmet_threshold_and_names_missing_key() throws Exception {
    Workbench b = init(2, true);
    Publishing.publish(b);
    // Remove the targets key file: targets can no longer be signed here.
    var repo = b.repository();
    String targetsKey = repo.keysFor("targets").role().keyids().get(0);
    Files.delete(b.workspace().keysDir().resolve("targets-1.key.json"));
    Resign.resign(Benches.at(dir.resolve("repo")), new Resign.Selection(List.of("targets"), null, null));
    ThresholdError e = assertThrows(ThresholdError.class, () -> Publishing.publish(Benches.at(dir.resolve("repo"))));
    assertTrue(e.getMessage().contains(targetsKey.substring(0, 16)), e.getMessage());
    Verify.run(b, null, true);
  }

  @Test
  void hash_prefix_layout() throws Exception {
    Workbench b = init(32, false);
    Publishing.publish(b);
    TargetOps.add(b, List.of(TargetSpec.external("a/b.whl", 3,
        java.util.Map.of("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))));
    Publishing.publish(b);
    TrustReport rep = Verify.run(b, null, false);
    assertEquals(34, rep.targetsRolesVerified());
  }
}
