package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.testing.Benches;
import dev.tufsh.trust.VerificationError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publish keeps an index of what it verified, bound to the snapshot it published, and trusts it
 * only while that is the snapshot clients see: a missing, damaged or stale index means a full
 * client verification, which finds a published file that was tampered with.
 */
class IncrementalPublishTest {
  @TempDir Path dir;

  private Workbench published(int bins) {
    return Benches.published(dir.resolve("repo"), bins);
  }

  private Path index(Workbench b) {
    return b.workspace().privateDir().resolve("verified.index");
  }

  private static TargetSpec target(String path) {
    return TargetSpec.external(path, 3, Map.of("sha256", "ab".repeat(32)));
  }

  private String snapshotFile(Workbench b) {
    return b.repository().publishedVersion("snapshot") + ".snapshot.json";
  }

  @Test
  void each_publish_records_every_bin_under_the_snapshot_it_published() throws Exception {
    Workbench b = published(16);
    assertEquals(17, Files.readAllLines(index(b), StandardCharsets.UTF_8).size(), "a line a bin, then the binding");
    String bin = TargetOps.add(b, List.of(target("pkgs/a-1.0.tar.gz"))).roleByPath().get("pkgs/a-1.0.tar.gz");
    Publishing.publish(b);
    List<String> lines = Files.readAllLines(index(b), StandardCharsets.UTF_8);
    byte[] snapshot = Files.readAllBytes(b.workspace().metadataDir().resolve(snapshotFile(b)));
    assertEquals("@ tufsh verified index 3 snapshot " + Hex.encode(Crypto.sha256(snapshot)),
        lines.get(lines.size() - 1));
    assertEquals(19, lines.size(), "the publish appended its one changed bin and a new binding, nothing else");
    String binLine = lines.get(17);
    assertTrue(binLine.startsWith(Hex.encode(bin.getBytes(StandardCharsets.UTF_8)) + "\t"), binLine);
    byte[] binFile = Files.readAllBytes(b.workspace().metadataDir().resolve("2." + bin + ".json"));
    assertEquals(List.of("2", Long.toString(binFile.length), Hex.encode(Crypto.sha256(binFile))),
        List.of(binLine.split("\t")).subList(1, 4));
    assertEquals(18, Verify.run(b, null, false).targetsRolesVerified(), "targets, bins and 16 bins");
  }

  @Test
  void the_status_cache_gains_a_line_for_what_a_publish_changed_and_status_reads_it() throws Exception {
    Workbench b = published(16);
    Status.run(b); // builds the cache: a line a bin, targets and bins, then the binding
    Path cache = b.workspace().privateDir().resolve("published.index");
    int before = Files.readAllLines(cache, StandardCharsets.UTF_8).size();
    String bin = TargetOps.add(b, List.of(target("pkgs/s-1.0.tar.gz"))).roleByPath().get("pkgs/s-1.0.tar.gz");
    Publishing.publish(b);
    List<String> lines = Files.readAllLines(cache, StandardCharsets.UTF_8);
    assertEquals(before + 2, lines.size(), "one line for the bin, one binding");
    assertTrue(lines.get(lines.size() - 1).endsWith(" snapshot " + b.repository().publishedVersion("snapshot")));
    Status.RoleStatus s = Status.run(b).roles().stream().filter(r -> r.role().equals(bin)).findFirst().orElseThrow();
    assertEquals(List.of(2, 1), List.of(s.version(), s.targets()));
    // Damaged, it is rebuilt from the published files, never believed.
    Files.writeString(cache, Files.readString(cache).replace("\t2\t", "\t7\t"));
    s = Status.run(b).roles().stream().filter(r -> r.role().equals(bin)).findFirst().orElseThrow();
    assertEquals(List.of(2, 1), List.of(s.version(), s.targets()));
  }

  /**
   * A daily (every bin bumped, then published) keeps the status cache at a line a role: written
   * whole instead of appended, which doubled it with each daily until a status rewrote it. So in the
   * process that holds the cache and in a fresh one (a copy: nothing held), and the bytes are those
   * a status rebuilding the cache writes.
   */
  @Test
  void dailies_keep_the_status_cache_a_line_a_role() throws Exception {
    Path repo = dir.resolve("repo");
    // 256 bins: past the few batches' slack a cache may grow by (IndexJournal.compactAt).
    Workbench b = published(256);
    Path cache = b.workspace().privateDir().resolve("published.index");
    assertEquals(259, Files.readAllLines(cache).size(), "targets, bins and 256 bins, then the binding");
    for (int day = 1; day <= 4; day++) {
      if (day % 2 == 0) { // a fresh process: the copy's cache was never read or written in this one
        Path next = dir.resolve("day" + day);
        dev.tufsh.testing.Trees.copy(repo, next);
        repo = next;
        b = Benches.at(next);
        cache = b.workspace().privateDir().resolve("published.index");
      }
      Resign.bump(b, new Resign.Selection(List.of("bin-*"), null, null),
          new Resign.NewExpiry(null, java.time.Duration.ofDays(2 + day), true));
      Publishing.publish(b);
      assertEquals(259, Files.readAllLines(cache).size(), "after daily " + day);
    }
    Path rebuilt = dir.resolve("rebuilt");
    dev.tufsh.testing.Trees.copy(repo, rebuilt);
    Path fresh = rebuilt.resolve(dir.relativize(cache).subpath(1, dir.relativize(cache).getNameCount()));
    Files.delete(fresh);
    Status.run(Benches.at(rebuilt)); // rebuilds the cache from the published files
    assertEquals(Files.readString(fresh), Files.readString(cache));
    String bin = TargetOps.add(b, List.of(target("pkgs/u-1.0.tar.gz"))).roleByPath().get("pkgs/u-1.0.tar.gz");
    Publishing.publish(b);
    assertEquals(261, Files.readAllLines(cache).size(), "an upload still appends its bin and a binding");
    Status.RoleStatus s = Status.run(b).roles().stream().filter(x -> x.role().equals(bin)).findFirst().orElseThrow();
    assertEquals(List.of(6, 1), List.of(s.version(), s.targets()), "four dailies and the upload");
  }

  @Test
  void an_index_grown_to_twice_its_size_is_written_whole_again() throws Exception {
    Workbench b = published(4);
    for (int i = 0; i < 70; i++) {
      TargetOps.add(b, List.of(target("pkgs/p" + i + "-1.0.tar.gz")));
      Publishing.publish(b);
    }
    List<String> lines = Files.readAllLines(index(b), StandardCharsets.UTF_8);
    assertTrue(lines.size() <= 2 * 4 + 64 + 2, lines.size() + " lines");
    assertEquals(6, Verify.run(b, null, false).targetsRolesVerified(), "targets, bins and 4 bins");
  }

  @Test
  void a_torn_append_is_never_trusted() throws Exception {
    Workbench b = published(16);
    Path meta = b.workspace().metadataDir();
    String other = TargetOps.add(b, List.of(target("pkgs/t.tar.gz"))).roleByPath().get("pkgs/t.tar.gz");
    String victim = other.equals("bin-0") ? "bin-1" : "bin-0";
    Path file = meta.resolve("1." + victim + ".json");
    Files.writeString(file, Files.readString(file).replace("\"version\":1", "\"version\":1,\"x\":1"));
    // An append cut short after its lines, before its binding: the file no longer ends with one.
    Files.writeString(index(b), Hex.encode(victim.getBytes(StandardCharsets.UTF_8)) + "\t1\t0\t00\t\n",
        java.nio.file.StandardOpenOption.APPEND);
    VerificationError e = assertThrows(VerificationError.class, () -> Publishing.publish(b));
    assertTrue(e.getMessage().contains(victim), e.getMessage());
  }

  @Test
  void without_a_usable_index_publish_verifies_every_published_file() throws Exception {
    for (String damage : List.of("missing", "garbage", "stale")) {
      Workbench b = published(16);
      Path meta = b.workspace().metadataDir();
      // Tamper with a published bin that the next publish does not change.
      String victim = "bin-0";
      String other = TargetOps.add(b, List.of(target("pkgs/x.tar.gz"))).roleByPath().get("pkgs/x.tar.gz");
      if (other.equals(victim)) {
        victim = "bin-1";
      }
      Path file = meta.resolve("1." + victim + ".json");
      Files.writeString(file, Files.readString(file).replace("\"version\":1", "\"version\":1,\"x\":1"));
      switch (damage) {
        case "missing" -> Files.delete(index(b));
        case "garbage" -> Files.writeString(index(b), "not an index\n");
        default -> Files.writeString(index(b), Files.readString(index(b)).replaceFirst("snapshot [0-9a-f]{8}",
            "snapshot 00000000"));
      }
      String v = victim;
      VerificationError e = assertThrows(VerificationError.class, () -> Publishing.publish(b), damage);
      assertTrue(e.getMessage().contains(v), damage + ": " + e.getMessage());
      deleteTree(dir.resolve("repo"));
    }
  }

  @Test
  void the_index_is_rebuilt_by_the_next_full_verification() throws Exception {
    Workbench b = published(16);
    Files.delete(index(b));
    TargetOps.add(b, List.of(target("pkgs/y.tar.gz")));
    Publishing.publish(b);
    assertEquals(17, Files.readAllLines(index(b), StandardCharsets.UTF_8).size());
  }

  private static void deleteTree(Path p) throws Exception {
    try (var walk = Files.walk(p)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
