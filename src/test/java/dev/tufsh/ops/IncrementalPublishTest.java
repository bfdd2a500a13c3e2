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
    Workbench b = Benches.at(dir.resolve("repo"));
    Init.run(b, Init.Request.defaults().withBins(bins));
    Publishing.publish(b);
    return b;
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
    String bin = TargetOps.add(b, List.of(target("pkgs/a-1.0.tar.gz"))).roleByPath().get("pkgs/a-1.0.tar.gz");
    Publishing.publish(b);
    List<String> lines = Files.readAllLines(index(b), StandardCharsets.UTF_8);
    byte[] snapshot = Files.readAllBytes(b.workspace().metadataDir().resolve(snapshotFile(b)));
    assertEquals("tufsh verified index 1 snapshot " + Hex.encode(Crypto.sha256(snapshot)), lines.get(0));
    assertEquals(16, lines.size() - 1, "one line a bin");
    String binLine = lines.stream().filter(l -> l.startsWith(Hex.encode(bin.getBytes(StandardCharsets.UTF_8)) + "\t"))
        .findFirst().orElseThrow();
    byte[] binFile = Files.readAllBytes(b.workspace().metadataDir().resolve("2." + bin + ".json"));
    assertEquals(List.of("2", Long.toString(binFile.length), Hex.encode(Crypto.sha256(binFile))),
        List.of(binLine.split("\t")).subList(1, 4));
    assertEquals(18, Verify.run(b, null, false).targetsRolesVerified(), "targets, bins and 16 bins");
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
