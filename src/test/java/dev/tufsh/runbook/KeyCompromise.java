package dev.tufsh.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.StaticHttpServer;
import dev.tufsh.testing.TufClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The incident {@code key-compromise-recovery.tufsh} recovers from, as ExamplesTest stages it: a
 * checkpoint is made while the repository is good; an attacker with the online host's keys then
 * publishes a changed target and a new one; python-tuf (and ExamplesTest's tuf-js client) follow
 * and fetch the malicious bytes. After the runbook both clients, their caches warm with the
 * attacker's metadata, end with the good target, and the attacker's new one is gone.
 */
final class KeyCompromise {
  static final byte[] EVIL = "hello from an attacker\n".getBytes(StandardCharsets.UTF_8);
  static final String EVIL_SHA256 = Hex.encode(Crypto.sha256(EVIL));
  static final String ADDED = "packages/backdoor-6.6.tar.gz";
  static final String GOOD_SHA256 = Hex.encode(Crypto.sha256(RunbookRepos.CONTENT));

  private KeyCompromise() {}

  private static TufClient.Refresh python(StaticHttpServer server, Path work, String out) {
    return TufClient.PYTHON_TUF.refresh(server, ExamplesTest.repos.base.resolve("metadata/1.root.json"),
        work.resolve("python-cache")).out(work.resolve(out));
  }

  static Map<String, String> strike(Path repo, StaticHttpServer server, Path work) throws Exception {
    Files.createDirectories(work);
    Path checkpoint = work.resolve("known-good.checkpoint.json");
    ExamplesTest.repos.cli(repo, "checkpoint", "--out", checkpoint.toString(), "--key", "targets-1").assertOk();
    TufClient.Result before = python(server, work, "py-before").target(RunbookRepos.TARGET).run();
    assertTrue(before.ok(), before.toString());
    assertEquals(GOOD_SHA256, before.targets().get(0).sha256());

    Path evil = Files.write(work.resolve("evil.tar.gz"), EVIL);
    ExamplesTest.repos.cli(repo, "target", "add", evil.toString(), "--path", RunbookRepos.TARGET, "--if-exists",
        "replace").assertOk();
    ExamplesTest.repos.cli(repo, "target", "add", evil.toString(), "--path", ADDED).assertOk();
    ExamplesTest.repos.cli(repo, "publish").assertOk();

    TufClient.Result seen = python(server, work, "py-attacked").target(RunbookRepos.TARGET).target(ADDED).run();
    assertTrue(seen.ok(), seen.toString());
    assertEquals(List.of(EVIL_SHA256, EVIL_SHA256), seen.targets().stream().map(TufClient.Target::sha256).toList(),
        "python-tuf fetched what the attacker published");
    return Map.of("CHECKPOINT", checkpoint.toString());
  }

  static void check(Path before, Path after, Cli.Result run) {
    assertTrue(run.out().contains("~ " + RunbookRepos.TARGET), "the first diff names the changed target: "
        + run.out());
    assertTrue(run.out().contains("+ " + ADDED), "and the added one: " + run.out());
    assertTrue(run.out().contains("\n2 change(s) since the checkpoint"), "before the restore: " + run.out());
    assertTrue(run.out().contains("\n0 change(s) since the checkpoint"), "the last diff finds nothing: "
        + run.out());
    assertNotEquals(ExamplesTest.delegations(before, "bins").path("succinct_roles").path("keyids"),
        ExamplesTest.delegations(after, "bins").path("succinct_roles").path("keyids"), "a new bin key");
    for (String role : List.of("timestamp", "snapshot")) {
      assertNotEquals(ExamplesTest.root(before).path("roles").path(role).path("keyids"),
          ExamplesTest.root(after).path("roles").path(role).path("keyids"), role + " key rotated");
    }
  }

  static Map<String, String> aftermath(Path repo, StaticHttpServer server, Path work) {
    TufClient.Result good = python(server, work, "py-after").target(RunbookRepos.TARGET).run();
    assertTrue(good.ok(), good.toString());
    assertEquals(GOOD_SHA256, good.targets().get(0).sha256(), "python-tuf ends with the good target: " + good);
    TufClient.Result gone = python(server, work, "py-after-added").target(ADDED).run();
    assertFalse(gone.ok(), "the attacker's target is no longer listed: " + gone);
    return Map.of();
  }
}
