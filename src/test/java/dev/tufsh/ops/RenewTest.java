package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.errors.SignatureError;
import dev.tufsh.json.Json;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Signed;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.Repository;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Trees;
import dev.tufsh.trust.VerificationError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daily job and the bin-key incident renew every bin: a bin whose published file is the one
 * the last publish verified is spliced, any other decoded, and both give the same bytes; a bin
 * changed in metadata/ since it was signed is refused, never re-signed and published.
 */
class RenewTest {
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  static final int BINS = 16;
  @TempDir Path dir;

  private Workbench bench(Path repo) {
    return Benches.at(repo, Benches.fixed(NOW));
  }

  /** A published repository of {@link #BINS} bins holding a few targets each. */
  private Workbench published(Path repo) {
    Workbench b = bench(repo);
    Init.run(b, Init.Request.defaults().withBins(BINS));
    List<TargetSpec> specs = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      specs.add(TargetSpec.external("packages/p" + i + "/\"expires\":\"x\"-" + i + ".tar.gz", i,
          Map.of("sha256", String.format("%064x", i))));
    }
    TargetOps.add(b, specs);
    Publishing.publish(b);
    return b;
  }

  private static List<String> bins(Repository repo) {
    return repo.roleNames().stream().filter(repo::isBin).toList();
  }

  private static Map<String, byte[]> staged(Workbench b) {
    return dev.tufsh.testing.Benches.stagedFiles(b);
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static Resign.Selection allBins() {
    return new Resign.Selection(List.of("bin-*"), null, null);
  }

  @Test
  void a_bump_splices_verified_bins_into_exactly_the_bytes_decoding_gives() throws Exception {
    Workbench a = published(dir.resolve("a"));
    copy(dir.resolve("a"), dir.resolve("b"));
    Workbench b = bench(dir.resolve("b"));
    // Without the verified index every bin is decoded, encoded, and checked against its keys first.
    Files.delete(b.workspace().privateDir().resolve("verified.index"));

    Repository ra = a.repository();
    Map<String, Targets> before = new TreeMap<>();
    for (String bin : bins(ra)) {
      before.put(bin, ra.requireTargets(bin));
    }
    Expiry later = Expiry.at(NOW.plus(Duration.ofDays(40)));
    assertEquals(BINS, ra.renewAll(bins(ra), (r, cur) -> later).spliced(), "every verified bin spliced");
    ra.save();
    Repository rb = b.repository();
    assertEquals(0, rb.renewAll(bins(rb), (r, cur) -> later).spliced(), "no index: every bin decoded");
    rb.save();

    Map<String, byte[]> fast = staged(a);
    Map<String, byte[]> slow = staged(b);
    assertEquals(slow.keySet(), fast.keySet());
    assertEquals(BINS, fast.size());
    for (String bin : fast.keySet()) {
      assertArrayEquals(slow.get(bin), fast.get(bin), bin + ": Ed25519 is deterministic, so the files match");
      Metadata<? extends Signed> md = MetadataCodec.decode(fast.get(bin), bin);
      Targets expected = before.get(bin).withExpires(later).withVersion(before.get(bin).version() + 1);
      assertEquals(expected, md.signed());
      assertArrayEquals(MetadataCodec.fileBytes(md), fast.get(bin), "canonical layout");
      // What the renewal told staging of the bytes it made is what a plan reading them would find.
      assertEquals(dev.tufsh.model.MetadataPeek.of(fast.get(bin)).orElseThrow(), ra.staging().peek(bin), bin);
      assertEquals(dev.tufsh.model.MetadataPeek.of(slow.get(bin)).orElseThrow(), rb.staging().peek(bin), bin);
    }
    Publishing.publish(a);
    assertEquals(BINS + 2, Verify.run(a, null, false).targetsRolesVerified());
  }

  @Test
  void the_incident_splices_every_bin_under_the_new_delegation_as_the_daily_job_does() {
    Workbench b = published(dir.resolve("r"));
    Repository repo = b.repository();
    // What 'revoke --generate' stages for a bin key (KeyChange): the new delegation first, then
    // every bin re-signed as it is.
    Targets t = repo.requireTargets("targets");
    dev.tufsh.crypto.Key fresh = dev.tufsh.crypto.KeyPairs.generate(dev.tufsh.crypto.Scheme.ED25519).key();
    repo.stageAll(Map.of("targets", t.withDelegations(KeyChange.withRoleKeys(t.delegations(), "bin-0",
        new KeyChange.RoleChange(List.of(fresh.keyId()), 1), Map.of(fresh.keyId(), fresh)))));
    assertEquals(BINS, repo.renewAll(bins(repo), (r, cur) -> null).spliced(), "no bin decoded");
  }

  @Test
  void the_daily_job_and_the_incident_publish_what_clients_verify() {
    Workbench b = published(dir.resolve("r"));
    int v0 = b.repository().publishedVersion("bin-0");
    Resign.Result r = Resign.bump(b, allBins(), new Resign.NewExpiry(null, Duration.ofDays(30)));
    assertEquals(BINS, r.versions().size());
    assertTrue(r.expires().values().stream().allMatch(e -> e.instant().equals(NOW.plus(Duration.ofDays(30)))));
    Publishing.publish(b);
    assertEquals(BINS + 2, Verify.run(b, null, false).targetsRolesVerified());

    Repository repo = b.repository();
    Map<String, Map<String, ?>> targets = new TreeMap<>();
    for (String bin : bins(repo)) {
      targets.put(bin, repo.requireTargets(bin).targets());
    }
    String binKey = repo.keysFor("bin-0").role().keyids().get(0);
    Revoke.Result rv = Revoke.run(b, new Revoke.Request(binKey, null, null, true, null));
    assertTrue(rv.staged().containsAll(bins(repo)), "every bin re-signed");
    Publishing.publish(b);
    Repository after = b.repository();
    assertEquals(BINS + 2, Verify.run(b, null, false).targetsRolesVerified());
    for (String bin : bins(after)) {
      assertEquals(targets.get(bin), after.requireTargets(bin).targets(), bin + ": only version and signature change");
      assertEquals(v0 + 2, after.publishedVersion(bin), bin);
      assertTrue(!after.keysFor(bin).role().keyids().contains(binKey));
    }
  }

  @Test
  void a_published_bin_changed_since_it_was_signed_is_refused_not_resigned() throws Exception {
    Workbench b = published(dir.resolve("r"));
    Path file = b.workspace().metadataDir().resolve(b.repository().publishedVersion("bin-3") + ".bin-3.json");
    String text = Files.readString(file);
    Files.writeString(file, text.replace("\"targets\":{", "\"targets\":{\"evil-1.0.tar.gz\":{\"hashes\":{\"sha256\":\""
        + "cd".repeat(32) + "\"},\"length\":5},"));
    for (Runnable op : List.<Runnable>of(
        () -> Resign.bump(b, allBins(), new Resign.NewExpiry(null, Duration.ofDays(30))),
        () -> Resign.resign(b, allBins()),
        () -> Revoke.run(b, new Revoke.Request("bin-n-1", null, null, true, null)))) {
      SignatureError e = assertThrows(SignatureError.class, op::run);
      assertTrue(e.getMessage().contains("'bin-3'") && e.getMessage().contains(file.getFileName().toString()),
          e.getMessage());
      assertTrue(b.repository().staging().roles().keySet().stream().noneMatch(r -> r.startsWith("bin-")),
          "nothing of the batch left staged");
    }
  }

  @Test
  void a_validly_signed_bin_in_another_layout_is_decoded_and_renewed() throws Exception {
    Workbench b = published(dir.resolve("r"));
    int v = b.repository().publishedVersion("bin-5");
    Path file = b.workspace().metadataDir().resolve(v + ".bin-5.json");
    byte[] pretty = Json.pretty(Json.parse(Files.readAllBytes(file), "bin")).getBytes(StandardCharsets.UTF_8);
    Files.write(file, pretty); // still valid: signatures cover the canonical form
    Repository repo = b.repository();
    assertEquals(BINS - 1, repo.renewAll(bins(repo), (r, cur) -> null).spliced());
    repo.save();
    byte[] staged = b.repository().staging().fileBytes("bin-5");
    Metadata<? extends Signed> md = MetadataCodec.decode(staged, "bin-5");
    assertArrayEquals(MetadataCodec.fileBytes(md), staged);
    assertEquals(v + 1, md.signed().version());
  }

  @Test
  void a_publish_whose_verification_fails_leaves_metadata_as_it_was() throws Exception {
    Workbench b = published(dir.resolve("r"));
    Resign.resign(b, allBins());
    Path log = b.workspace().stagedDir().resolve("roles.log");
    Trees.flipLastSignature(log);
    Path meta = b.workspace().metadataDir();
    Map<String, byte[]> before = Trees.contents(meta);
    assertThrows(VerificationError.class, () -> Publishing.publish(b));
    Map<String, byte[]> after = Trees.contents(meta);
    assertEquals(before.keySet(), after.keySet(), "no new file, no temp file left");
    before.forEach((n, bytes) -> assertArrayEquals(bytes, after.get(n), n));
  }
}
