package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Signed;
import dev.tufsh.model.SignedSplice;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import dev.tufsh.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An add's targets merged from its spill's bytes into a bin's canonical bytes (two sorted runs,
 * one exact-size array) give byte for byte what decoding the bin, adding the targets as a map and
 * encoding give, over real leaves (python-tuf's, tough's, sigstore's) and synthetic bins; the merge
 * leaves to decode exactly the bins whose listed entries it cannot copy as they are, or that list a
 * path of the add already.
 */
class SpilledMergeTest {
  private static final Expiry LATER = Expiry.at(Instant.parse("2031-05-06T07:08:09Z"));
  @TempDir Path dir;

  /** The add: plain lines' records (bytes at an offset, as a chunk holds them) and records of other targets. */
  private SpilledRole spilled(TargetSpill spill) {
    TargetSpill.Records r = new TargetSpill.Records(new HashMap<>());
    for (int i = 0; i < 60; i++) {
      String line = "p/" + (i * 37 % 100) + "/new" + i + ".whl " + String.format("%064x", i * 7919L);
      byte[] b = ("junk\n" + line + "\n").getBytes(StandardCharsets.US_ASCII);
      int path = 5;
      int space = line.indexOf(' ');
      r.addSha256(r.roleBytes("bin-1"), TargetSpill.partitionOf("bin-1"), b, path, space, i == 3 ? 99_999_999_999_999_999L : i * 1000L, path + space + 1);
    }
    r.add("bin-1", "0/first.tar.gz".getBytes(StandardCharsets.UTF_8), new TargetFile(0, Map.of("sha256", "aa".repeat(32))));
    r.add("bin-1", "packages/\u00e9/\u4e2d/\ud83c\udf7a-2.0.whl".getBytes(StandardCharsets.UTF_8),
        new TargetFile(12, Map.of("sha512", "cc".repeat(64), "sha256", "bb".repeat(32), "blake2b-256", "dd".repeat(32))));
    r.add("bin-1", "a \"quoted\"/new.zip".getBytes(StandardCharsets.UTF_8), new TargetFile(5, Map.of("sha256", "ee".repeat(32))));
    r.add("bin-1", "p/37/new1.whl".getBytes(StandardCharsets.UTF_8), new TargetFile(77, Map.of("sha256", "ff".repeat(32))));
    r.add("bin-1", "~zzz/last.zip".getBytes(StandardCharsets.UTF_8), new TargetFile(1, Map.of("sha256", "01".repeat(32))));
    spill.append(r);
    return spill.read(TargetSpill.partitionOf("bin-1")).get("bin-1");
  }

  /** Bins as an add stages them: plain entries, a quoted path, several hashes, non-ASCII; and an empty one. */
  private static List<Targets> syntheticBins() {
    Map<String, TargetFile> targets = new HashMap<>();
    for (int i = 0; i < 40; i++) {
      targets.put("p/" + (i * 7919 % 100) + "/pkg" + i + "-1.0.tar.gz",
          new TargetFile(1000L * i, Map.of("sha256", String.format("%064x", i))));
    }
    targets.put("packages/\u00e9/\u00f6/\ud83c\udf7a-1.0.whl",
        new TargetFile(0, Map.of("sha256", "01".repeat(32), "sha512", "23".repeat(64))));
    targets.put("a \"quoted\" path/x.tar.gz", new TargetFile(5, Map.of("sha256", "45".repeat(32))));
    targets.put("zq\"\"/odd", new TargetFile(5, Map.of("sha256", "46".repeat(32))));
    Expiry e = Expiry.parse("2030-02-03T04:05:06Z");
    return List.of(new Targets(Signed.SPEC_VERSION, 3, e, targets, null, Map.of()), Targets.empty(e).withVersion(1),
        new Targets(Signed.SPEC_VERSION, 9, e, Map.of("zz/only.whl", new TargetFile(3, Map.of("sha256", "ab".repeat(32)))),
            null, Map.of()));
  }

  private static List<Targets> realLeaves() throws Exception {
    List<Targets> out = new java.util.ArrayList<>();
    for (JsonNode tree : Fixtures.interopMetadata(Targets.class).values()) {
      ObjectNode leaf = tree.deepCopy();
      ((ObjectNode) leaf.get("signed")).remove("delegations");
      out.add((Targets) MetadataCodec.decode(leaf, "leaf").signed());
    }
    return out;
  }

  @Test
  void spilled_targets_merge_into_bins_as_decode_add_and_encode_do() throws Exception {
    int spliced = 0;
    try (TargetSpill spill = new TargetSpill(dir, 256)) {
      SpilledRole add = spilled(spill);
      Map<String, TargetFile> asMap = add.toMap();
      assertEquals(asMap.size(), add.size(), "each path once");
      assertEquals(77, asMap.get("p/37/new1.whl").length(), "the later record of a path wins");
      List<Targets> bins = new java.util.ArrayList<>(syntheticBins());
      int synthetic = bins.size();
      bins.addAll(realLeaves());
      for (int k = 0; k < bins.size(); k++) {
        Targets t = bins.get(k);
        byte[] file = MetadataCodec.fileBytes(new Metadata<>(t, List.of()));
        for (int v : new int[] {t.version() + 1, 1_000_000}) {
          Optional<byte[]> got = SignedSplice.of(file).flatMap(sp -> sp.withTargetsAdded(add, v, LATER));
          if (got.isEmpty()) {
            assertTrue(k >= synthetic, "a synthetic bin is spliced: " + k);
            boolean listed = asMap.keySet().stream().anyMatch(t.targets()::containsKey);
            boolean notPlain = t.targets().values().stream().anyMatch(f -> f.custom() != null || !f.extras().isEmpty())
                || !t.extras().isEmpty() || !t.specVersion().equals(Signed.SPEC_VERSION);
            assertTrue(listed || notPlain, "left to decode only for a reason: bin " + k);
            continue;
          }
          spliced++;
          byte[] want = MetadataCodec.canonicalSigned(
              t.withTargetsAdded(new LinkedHashMap<>(asMap)).withExpires(LATER).withVersion(v));
          assertArrayEquals(want, got.get(), "bin " + k + " v" + v);
        }
      }
      assertTrue(spliced >= 2 * synthetic + 2, "real leaves spliced too: " + spliced);
    }
  }

  @Test
  void a_path_the_bin_lists_already_is_left_to_decode() throws Exception {
    try (TargetSpill spill = new TargetSpill(dir)) {
      SpilledRole add = spilled(spill);
      Map<String, TargetFile> listed = new HashMap<>(syntheticBins().get(0).targets());
      listed.put("~zzz/last.zip", new TargetFile(1, Map.of("sha256", "01".repeat(32)))); // the add's last, same content
      Targets t = new Targets(Signed.SPEC_VERSION, 3, LATER, listed, null, Map.of());
      byte[] file = MetadataCodec.fileBytes(new Metadata<>(t, List.of()));
      assertTrue(SignedSplice.of(file).orElseThrow().withTargetsAdded(add, 4, LATER).isEmpty());
    }
  }
}
