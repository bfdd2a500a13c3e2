package dev.tufsh.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.file.FileKeyStore;
import dev.tufsh.keys.file.ScryptParams;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Root;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Signature;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.Targets;
import dev.tufsh.model.Timestamp;
import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Resign;
import dev.tufsh.ops.Revoke;
import dev.tufsh.ops.Rotate;
import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.TargetSpec;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.StaticHttpServer;
import dev.tufsh.testing.TufClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance tests of the engine against a real client: every operation runs through the engine
 * (the ops API, or the CLI in this JVM), is published, and then tuf-js updates from the state it
 * trusted before (one cache folder kept across publishes, as a deployed client keeps it) and
 * downloads a target through the hashed bins.
 */
class EngineTufJsTest {
  static final String TARGET = "packages/hello-1.0.tar.gz";
  static final byte[] CONTENT = "hello from the tufsh engine\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;
  private StaticHttpServer server;
  private int runs;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Path repoDir() {
    return tmp.resolve("repo");
  }

  private Path meta(String name) {
    return repoDir().resolve("metadata").resolve(name);
  }

  /** init (16 bins, succinct), one target added, published; tuf-js's first refresh fills the cache. */
  private Workbench publishedWithTarget() throws IOException {
    Workbench b = Benches.at(repoDir());
    Init.run(b, Init.Request.defaults().withBins(16));
    Path f = tmp.resolve("hello-1.0.tar.gz");
    Files.write(f, CONTENT);
    TargetOps.add(b, List.of(TargetSpec.ofFile(TARGET, f)));
    Publishing.publish(b);
    firstRefresh();
    return b;
  }

  /** The client ships with 1.root.json and refreshes once, so its cache holds version 1 of everything. */
  private void firstRefresh() throws IOException {
    Files.copy(meta("1.root.json"), tmp.resolve("shipped-root.json"), StandardCopyOption.REPLACE_EXISTING);
    server = StaticHttpServer.serve(repoDir());
    TufClient.Result r = refresh(TARGET);
    assertTrue(r.ok(), r.toString());
    assertEquals(List.of(new TufClient.Target(TARGET, CONTENT.length, Hex.encode(Crypto.sha256(CONTENT)))), r.targets());
  }

  /** tuf-js from the kept cache (the previous trusted state) against the live repository. */
  private TufClient.Result refresh(String... targets) {
    return refreshFrom(server, tmp.resolve("cache"), targets);
  }

  private TufClient.Result refreshFrom(StaticHttpServer s, Path cache, String... targets) {
    TufClient.Refresh r = TufClient.TUF_JS.refresh(s.url("metadata/"), tmp.resolve("shipped-root.json"), cache)
        .targetsUrl(s.url("targets/"))
        .out(tmp.resolve("out-" + (++runs)));
    for (String t : targets) {
      r = r.target(t);
    }
    return r.run();
  }

  private void assertDownloads(TufClient.Result r) throws IOException {
    assertTrue(r.ok(), r.toString());
    assertEquals(List.of(new TufClient.Target(TARGET, CONTENT.length, Hex.encode(Crypto.sha256(CONTENT)))), r.targets(),
        r.toString());
    byte[] got = Files.readAllBytes(tmp.resolve("out-" + runs).resolve(TARGET));
    assertEquals(new String(CONTENT, StandardCharsets.UTF_8), new String(got, StandardCharsets.UTF_8));
  }

  private <T extends dev.tufsh.model.Signed> Metadata<T> read(String name, Class<T> type) throws IOException {
    return MetadataCodec.decode(Files.readAllBytes(meta(name)), name, type);
  }

  private Metadata<Snapshot> snapshot() throws IOException {
    Metadata<Timestamp> ts = read("timestamp.json", Timestamp.class);
    return read(ts.signed().snapshot().version() + ".snapshot.json", Snapshot.class);
  }

  private int version(String role) throws IOException {
    return snapshot().signed().entry(role).version();
  }

  private Metadata<Targets> published(String role) throws IOException {
    return read(version(role) + "." + role + ".json", Targets.class);
  }

  private String binOfTarget(Workbench b) {
    return TargetOps.remove(b, List.of(TARGET)).roleByPath().get(TARGET);
  }

  private List<String> fetched() {
    return server.requests().stream().filter(s -> s.startsWith("200 ")).map(s -> s.substring(4)).toList();
  }

  @Test
  void init_and_target_add() throws IOException {
    publishedWithTarget();
    List<String> got = fetched();
    assertTrue(got.contains("/metadata/1.bins.json"), got.toString());
    assertTrue(got.stream().anyMatch(p -> p.matches("/metadata/1\\.bin-[0-9a-f]\\.json")),
        "the target's bin came at version 1 (target add changed the staged first version): " + got);
    assertEquals(16, snapshot().signed().meta().keySet().stream().filter(n -> n.startsWith("bin-")).count());
  }

  @Test
  void target_remove_is_seen_as_missing() throws IOException {
    Workbench b = publishedWithTarget();
    String bin = binOfTarget(b);
    Publishing.publish(b);
    assertFalse(published(bin).signed().targets().containsKey(TARGET));
    TufClient.Result r = refresh(TARGET);
    assertFalse(r.ok(), r.toString());
    assertNotNull(r.error(), r.toString());
    assertTrue(r.error().contains("target '" + TARGET + "' is not listed"), r.error());
    assertTrue(fetched().contains("/metadata/2." + bin + ".json"), "tuf-js read the new bin: " + fetched());
  }

  @Test
  void bump_of_all_bins_moves_expiries_and_versions() throws IOException {
    Workbench b = publishedWithTarget();
    Map<String, Integer> before = new java.util.HashMap<>();
    Map<String, java.time.Instant> expiresBefore = new java.util.HashMap<>();
    for (int i = 0; i < 16; i++) {
      String bin = "bin-" + Integer.toHexString(i);
      before.put(bin, version(bin));
      expiresBefore.put(bin, published(bin).signed().expires().instant());
    }
    int snapshotBefore = snapshot().signed().version();
    Resign.bump(b, new Resign.Selection(List.of("bin-*"), null, null), new Resign.NewExpiry(null, Duration.ofDays(30)));
    Publishing.publish(b);
    for (var e : before.entrySet()) {
      Metadata<Targets> md = published(e.getKey());
      assertEquals(e.getValue() + 1, md.signed().version(), e.getKey());
      assertTrue(md.signed().expires().instant().isAfter(expiresBefore.get(e.getKey()).plus(Duration.ofDays(28))),
          e.getKey() + " expires " + md.signed().expires());
    }
    assertEquals(snapshotBefore + 1, snapshot().signed().version());
    assertDownloads(refresh(TARGET));
  }

  @Test
  void resign_keeps_expiry_and_raises_versions() throws IOException {
    Workbench b = publishedWithTarget();
    Metadata<Targets> binsBefore = published("bins");
    Metadata<Targets> targetsBefore = published("targets");
    Resign.resign(b, new Resign.Selection(List.of("targets", "bins"), null, null));
    Publishing.publish(b);
    assertEquals(targetsBefore.signed().version() + 1, published("targets").signed().version());
    assertEquals(binsBefore.signed().version() + 1, published("bins").signed().version());
    assertEquals(binsBefore.signed().expires(), published("bins").signed().expires());
    assertDownloads(refresh(TARGET));
    assertTrue(fetched().contains("/metadata/2.bins.json"), fetched().toString());
  }

  @Test
  void rotated_root_is_reached_through_the_chain() throws IOException {
    Workbench b = publishedWithTarget();
    Root v1 = read("1.root.json", Root.class).signed();
    Rotate.Result rot = Rotate.run(b, new Rotate.Request("root", null, null, null, 0));
    Publishing.publish(b);
    Metadata<Root> v2 = read("2.root.json", Root.class);
    assertEquals(List.of(rot.newKeyId()), v2.signed().role(RoleType.ROOT).keyids());
    // Signed by the old root key (the chain step) and the new one (its own threshold).
    List<String> signers = v2.signatures().stream().map(Signature::keyid).toList();
    assertTrue(signers.containsAll(List.of(rot.oldKeyId(), rot.newKeyId())), signers.toString());
    assertEquals(v1.role(RoleType.ROOT).keyids(), List.of(rot.oldKeyId()));
    assertDownloads(refresh(TARGET));
    assertTrue(server.requests().contains("200 /metadata/2.root.json"), server.requests().toString());
    assertTrue(server.requests().contains("404 /metadata/3.root.json"), server.requests().toString());
  }

  @Test
  void rotated_timestamp_and_snapshot_keys() throws IOException {
    Workbench b = publishedWithTarget();
    Rotate.Result ts = Rotate.run(b, new Rotate.Request("timestamp", null, null, null, 0));
    Rotate.Result sn = Rotate.run(b, new Rotate.Request("snapshot", null, null, null, 0));
    Publishing.publish(b);
    Root v2 = read("2.root.json", Root.class).signed();
    assertEquals(List.of(ts.newKeyId()), v2.role(RoleType.TIMESTAMP).keyids());
    assertEquals(List.of(sn.newKeyId()), v2.role(RoleType.SNAPSHOT).keyids());
    assertEquals(List.of(ts.newKeyId()),
        read("timestamp.json", Timestamp.class).signatures().stream().map(Signature::keyid).toList());
    assertEquals(List.of(sn.newKeyId()), snapshot().signatures().stream().map(Signature::keyid).toList());
    assertDownloads(refresh(TARGET));
    assertTrue(server.requests().contains("200 /metadata/2.root.json"), server.requests().toString());
  }

  @Test
  void rotated_bins_key_resigns_every_bin() throws IOException {
    Workbench b = publishedWithTarget();
    Rotate.Result rot = Rotate.run(b, new Rotate.Request("bin-0", null, null, null, 0));
    Publishing.publish(b);
    assertEquals(List.of(rot.newKeyId()), published("bins").signed().delegations().succinctRoles().keyids());
    for (int i = 0; i < 16; i++) {
      Metadata<Targets> bin = published("bin-" + Integer.toHexString(i));
      assertEquals(List.of(rot.newKeyId()), bin.signatures().stream().map(Signature::keyid).toList());
    }
    assertDownloads(refresh(TARGET));
  }

  @Test
  void revoked_bin_key_signatures_are_refused() throws IOException {
    Workbench b = publishedWithTarget();
    String bin = binOfTarget(b);
    Publishing.discard(b);
    Key revoked = b.repository().keysFor(bin).keys().values().iterator().next();
    byte[] oldBin = Files.readAllBytes(meta(version(bin) + "." + bin + ".json"));
    Revoke.Result res = Revoke.run(b, new Revoke.Request(revoked.keyId(), null, null, true, null));
    Publishing.publish(b);
    assertNotEquals(revoked.keyId(), res.replacementId());
    String newName = version(bin) + "." + bin + ".json";
    assertFalse(published("bins").signed().delegations().keys().containsKey(revoked.keyId()));
    // Clients that last saw the repository before the revocation: their cache holds the old bin.
    Path before = tmp.resolve("cache-before-revoke");
    copyTree(tmp.resolve("cache"), before);
    assertDownloads(refresh(TARGET));

    // A copy of the repository where the attacker, holding the revoked key, serves bins it signed.
    Path evil = tmp.resolve("evil");
    copyTree(repoDir(), evil);
    Path evilBin = evil.resolve("metadata").resolve(newName);
    Files.write(evilBin, oldBin); // the old file, signed by the revoked key, under the new version's name
    try (StaticHttpServer s = StaticHttpServer.serve(evil)) {
      TufClient.Result r = refreshFrom(s, copyCache("cache-evil-1"), TARGET);
      assertFalse(r.ok(), r.toString());
      assertNotNull(r.error(), r.toString());
      assertTrue(r.error().contains(bin + " was signed by 0/1 keys"), r.error());
    }
    // The new version's exact content, signed only by the revoked key.
    Metadata<Targets> current = published(bin);
    Signer old = b.keys().signerFor(revoked).orElseThrow();
    byte[] sig = old.sign(MetadataCodec.canonicalSigned(current.signed()));
    Files.write(evilBin, MetadataCodec.fileBytes(current.withSignatures(List.of(new Signature(revoked.keyId(),
        Hex.encode(sig))))));
    try (StaticHttpServer s = StaticHttpServer.serve(evil)) {
      TufClient.Result r = refreshFrom(s, copyCache("cache-evil-2"), TARGET);
      assertFalse(r.ok(), r.toString());
      assertTrue(r.error().contains(bin + " was signed by 0/1 keys"), r.error());
    }
    // The honest repository still serves the client.
    assertDownloads(refresh(TARGET));
  }

  /** Root goes from 2 of 3 keys to 3 of 3 with one key replaced; tuf-js walks 1 -> 2. */
  @Test
  void root_rotation_with_a_new_threshold() throws IOException {
    Path pass = passphraseFile(Benches.PASSPHRASE);
    String repo = repoDir().toString();
    Cli.run("--repo", repo, "--passphrase-file", pass.toString(), "init", "--bins", "16", "--root-keys", "3",
        "--root-threshold", "2").assertOk();
    Path f = tmp.resolve("hello-1.0.tar.gz");
    Files.write(f, CONTENT);
    Cli.run("--repo", repo, "--passphrase-file", pass.toString(), "target", "add", "--path", TARGET, f.toString())
        .assertOk();
    Cli.run("--repo", repo, "--passphrase-file", pass.toString(), "publish").assertOk();
    Root v1 = read("1.root.json", Root.class).signed();
    assertEquals(2, v1.role(RoleType.ROOT).threshold());
    assertEquals(3, v1.role(RoleType.ROOT).keyids().size());
    firstRefresh();

    Cli.run("--repo", repo, "--passphrase-file", pass.toString(), "--yes", "rotate", "root", "--old", "root-1",
        "--threshold", "3").assertOk();
    Cli.run("--repo", repo, "--passphrase-file", pass.toString(), "--yes", "publish").assertOk();
    Metadata<Root> v2 = read("2.root.json", Root.class);
    assertEquals(3, v2.signed().role(RoleType.ROOT).threshold());
    List<String> newIds = v2.signed().role(RoleType.ROOT).keyids();
    assertEquals(3, newIds.size());
    List<String> signers = v2.signatures().stream().map(Signature::keyid).toList();
    assertTrue(signers.containsAll(newIds), "the new root meets its own threshold: " + signers);
    assertTrue(signers.containsAll(v1.role(RoleType.ROOT).keyids()), "and the old root's: " + signers);
    assertDownloads(refresh(TARGET));
    assertTrue(server.requests().contains("200 /metadata/2.root.json"), server.requests().toString());
  }

  /**
   * The targets key lives offline: plan shows its signature missing, publish refuses naming it,
   * the exported file is signed with the key loaded from its own store, imported, published.
   */
  @Test
  void offline_signing_of_targets() throws IOException {
    Path pass = passphraseFile(Benches.PASSPHRASE);
    String repo = repoDir().toString();
    String[] g = {"--repo", repo, "--passphrase-file", pass.toString()};
    Cli.run(cat(g, "init", "--bins", "16")).assertOk();
    Path f = tmp.resolve("hello-1.0.tar.gz");
    Files.write(f, CONTENT);
    Cli.run(cat(g, "target", "add", "--path", TARGET, f.toString())).assertOk();
    Cli.run(cat(g, "publish")).assertOk();
    firstRefresh();

    // The targets key goes to the offline machine.
    Path offline = tmp.resolve("offline-keys");
    Files.createDirectories(offline);
    Files.move(repoDir().resolve(".tufsh/keys/targets-1.key.json"), offline.resolve("targets-1.key.json"));
    String targetsKey = read("1.root.json", Root.class).signed().role(RoleType.TARGETS).keyids().get(0);

    Cli.run(cat(g, "resign", "targets")).assertOk();
    Cli.Result plan = Cli.run(cat(g, "--json", "plan"));
    assertEquals(dev.tufsh.cli.ExitCodes.ATTENTION, plan.status(), "a plan short of a threshold needs a person");
    assertTrue(plan.out().contains("\"complete\" : false") || plan.out().contains("\"complete\":false"), plan.out());
    assertTrue(plan.out().contains(targetsKey), "plan lists the missing key: " + plan.out());
    Cli.Result refused = Cli.run(cat(g, "publish"));
    assertEquals(1, refused.status(), refused.toString());
    assertTrue(refused.err().contains("role 'targets'") && refused.err().contains(targetsKey.substring(0, 16)),
        refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());

    Path exported = tmp.resolve("to-sign");
    Cli.run(cat(g, "sign", "export", "targets", "--out", exported.toString())).assertOk();
    Path file = exported.resolve("targets.json");
    Metadata<? extends dev.tufsh.model.Signed> md = MetadataCodec.decode(Files.readAllBytes(file), file.toString());
    FileKeyStore offlineStore = new FileKeyStore(offline,
        (purpose, confirm) -> new Secret(Benches.PASSPHRASE.toCharArray()), ScryptParams.withLog2N(10));
    Key key = offlineStore.find("targets-1").orElseThrow().key();
    assertEquals(targetsKey, key.keyId());
    Signer signer = offlineStore.signerFor(key).orElseThrow();
    List<Signature> sigs = new java.util.ArrayList<>(md.signatures());
    sigs.add(new Signature(key.keyId(), Hex.encode(signer.sign(MetadataCodec.canonicalSigned(md.signed())))));
    Files.write(file, MetadataCodec.fileBytes(md.withSignatures(sigs)));

    Cli.Result imported = Cli.run(cat(g, "sign", "import", file.toString())).assertOk();
    assertTrue(imported.out().contains("added 1 signature"), imported.out());
    Cli.run(cat(g, "publish")).assertOk();
    assertEquals(2, version("targets"));
    assertTrue(published("targets").signatures().stream().anyMatch(s -> s.keyid().equals(targetsKey)));
    assertDownloads(refresh(TARGET));
    assertTrue(fetched().contains("/metadata/2.targets.json"), fetched().toString());
  }

  private static String[] cat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private Path passphraseFile(String text) throws IOException {
    Path p = tmp.resolve("passphrase");
    dev.tufsh.testing.PassphraseFiles.write(p, text + "\n");
    return p;
  }

  private Path copyCache(String name) throws IOException {
    Path to = tmp.resolve(name);
    copyTree(tmp.resolve("cache-before-revoke"), to);
    return to;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
