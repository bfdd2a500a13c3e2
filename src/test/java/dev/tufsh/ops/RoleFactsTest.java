package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tufsh.model.Targets;
import dev.tufsh.repo.FileNames;
import dev.tufsh.repo.Repository;
import dev.tufsh.testing.Benches;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link RoleFacts} reads without decoding (from the status index, a peek of a staged role,
 * a scan of canonical bytes) is what decoding every role gives, on a hash-prefix layout with
 * published, staged, renewed and top-level roles and a project role that delegates; a published
 * file that is not canonical is never taken for a role that delegates nothing.
 */
class RoleFactsTest {
  @TempDir Path dir;

  @Test
  void facts_read_without_decoding_equal_the_decoded_roles() throws Exception {
    Workbench b = Benches.at(dir.resolve("repo"));
    Init.run(b, Init.Request.defaults().withBins(16).withLayout(false));
    b.keys().generate(dev.tufsh.crypto.Scheme.ED25519, "dev-1");
    Delegation.add(b, new Delegation.Add("proj", "targets", List.of("p/*"), List.of(), List.of("dev-1"), 1, true,
        "bins"));
    Delegation.add(b, new Delegation.Add("proj-docs", "proj", List.of("p/docs-*"), List.of(), List.of("dev-1"), 1,
        true, null));
    List<TargetSpec> targets = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      targets.add(TargetSpec.external((i % 5 == 0 ? "p/" : "x/") + "t" + i, i + 1, Map.of("sha256",
          String.format("%064x", i))));
    }
    TargetOps.add(b, targets);
    Publishing.publish(b);
    // Some roles staged over what is published: a renewal and an added target.
    Resign.bump(b, new Resign.Selection(List.of("bin-3"), null, null), new Resign.NewExpiry(null, Duration.ofDays(800)));
    Resign.bump(b, new Resign.Selection(List.of("timestamp"), null, null), new Resign.NewExpiry(null, Duration.ofDays(2)));
    TargetOps.add(b, List.of(TargetSpec.external("x/late", 7, Map.of("sha256", "ab".repeat(32)))));

    Repository repo = b.repository();
    List<String> roles = repo.roleNames();
    Map<String, RoleFacts.Facts> facts = RoleFacts.of(b, repo, roles);
    assertEquals(roles.size(), facts.size(), facts.keySet().toString());
    for (String r : roles) {
      var md = repo.metadata(r).orElseThrow();
      int count = md.signed() instanceof Targets t ? t.targets().size() : 0;
      assertEquals(new RoleFacts.Facts(md.signed().expires(), count), facts.get(r), r);
      boolean leaf = md.signed() instanceof Targets t && t.delegations() == null;
      if (!repo.isStaged(r) && leaf) {
        assertEquals(true, RoleFacts.delegatesNothing(repo, r), r);
      } else {
        assertFalse(RoleFacts.delegatesNothing(repo, r), r + " delegates, or is staged, or is not a targets role");
      }
    }

    // bump --expiring-within chooses exactly the roles whose decoded expiry is that near.
    for (Duration within : List.of(Duration.ofDays(3), Duration.ofDays(400))) {
      java.time.Instant limit = repo.now().plus(within);
      List<String> want = roles.stream().filter(r -> !repo.metadata(r).orElseThrow().signed().expires().instant()
          .isAfter(limit)).sorted().toList();
      List<String> got = Resign.select(b, b.repository(), new Resign.Selection(List.of(), null, within)).stream()
          .sorted().toList();
      assertEquals(want, got, "within " + within);
      assertFalse(got.isEmpty() || got.size() == roles.size(), within + " selects some roles: " + got);
    }

    // A published bin whose file is not canonical (whitespace added by hand): not known to delegate nothing.
    String bin = roles.stream().filter(r -> r.startsWith("bin-") && !repo.isStaged(r)).findFirst().orElseThrow();
    Path f = b.workspace().metadataDir().resolve(FileNames.metadata(bin, repo.published().version(bin)));
    Files.writeString(f, Files.readString(f, StandardCharsets.UTF_8).replaceFirst("\\{", "{ "), StandardCharsets.UTF_8);
    assertFalse(RoleFacts.delegatesNothing(b.repository(), bin));
  }
}
