package dev.tufsh.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.TargetSpec;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repositories tufsh did not write, or mirrors of one (a folder holding {@code metadata/} and
 * {@code targets/}, no {@code .tufsh/}): {@code verify}, {@code status} and {@code plan} work on them
 * read-only, and nothing at all is written there; a change is refused with a pointer to
 * {@code adopt}. Sigstore's production repository verifies from its root 2 with {@code verify --at}.
 */
class ForeignRepositoryTest {
  @TempDir Path tmp;

  /** Every file under {@code dir} with its size and modification time: what "nothing written" compares. */
  private static Map<String, String> tree(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        out.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir"
            : Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return out;
  }

  @Test
  void sigstore_production_chain_verifies_from_root_2_at_a_time_inside_its_validity() throws IOException {
    Path mirror = tmp.resolve("sigstore");
    EngineTufJsTest.copyTree(Fixtures.dir("sigstore-root-signing"), mirror);
    Files.delete(mirror.resolve("README.md"));
    Map<String, String> before = tree(mirror);
    String root2 = mirror.resolve("metadata/2.root.json").toString();

    Cli.Result ok = Cli.run("--repo", mirror.toString(), "--json", "verify", "--root", root2, "--at",
        "2026-08-22T00:00:00Z").assertOk();
    JsonNode r = dev.tufsh.testing.JsonResults.result(ok.out());
    assertEquals(15, r.get("root_version").asInt(), ok.out());
    assertEquals(762, r.get("timestamp_version").asInt());
    assertEquals(165, r.get("snapshot_version").asInt());
    assertTrue(r.get("target_files").asInt() > 0, ok.out());

    // Now (after 2026-08-28) its timestamp has expired: refused, one line, exit 1.
    Cli.Result late = Cli.run("--repo", mirror.toString(), "verify", "--root", root2, "--at", "2026-09-01");
    assertEquals(1, late.status(), late.toString());
    assertTrue(late.err().contains("timestamp.json") && late.err().contains("expired"), late.err());
    assertEquals(1, late.err().strip().lines().count(), late.err());

    Cli.Result bad = Cli.run("--repo", mirror.toString(), "verify", "--at", "yesterday");
    assertEquals(2, bad.status(), bad.toString());
    assertTrue(bad.err().contains("--at") && bad.err().contains("'yesterday' is not a time"), bad.err());

    assertEquals(before, tree(mirror), "nothing written to the foreign folder");
  }

  @Test
  void mirror_of_a_tufsh_repository_is_read_only() throws IOException {
    Path repo = tmp.resolve("repo");
    Workbench b = Benches.at(repo);
    Init.run(b, Init.Request.defaults().withBins(16));
    Path f = tmp.resolve("a.tar.gz");
    Files.writeString(f, "a\n", StandardCharsets.UTF_8);
    TargetOps.add(b, List.of(TargetSpec.ofFile("packages/a.tar.gz", f)));
    Publishing.publish(b);
    Path mirror = tmp.resolve("mirror");
    EngineTufJsTest.copyTree(repo.resolve("metadata"), mirror.resolve("metadata"));
    EngineTufJsTest.copyTree(repo.resolve("targets"), mirror.resolve("targets"));
    Map<String, String> before = tree(mirror);
    String m = mirror.toString();

    Cli.Result v = Cli.run("--repo", m, "verify").assertOk();
    assertTrue(v.out().contains("verified: root v1"), v.out());
    Cli.Result s = Cli.run("--repo", m, "--json", "status").assertOk();
    assertTrue(s.out().contains("bin-f"), s.out());
    Cli.Result p = Cli.run("--repo", m, "plan").assertOk();
    assertTrue(p.out().toLowerCase(java.util.Locale.ROOT).contains("nothing"), p.out());

    for (List<String> change : List.of(List.of("target", "add", "--path", "x/y.tar.gz", f.toString()),
        List.of("bump", "--expiring-within", "7d"), List.of("key", "generate", "k1"))) {
      String[] args = Stream.concat(Stream.of("--repo", m), change.stream()).toArray(String[]::new);
      Cli.Result refused = Cli.run(args);
      assertEquals(1, refused.status(), change + ": " + refused);
      assertTrue(refused.err().contains("is a foreign repository (metadata/ without .tufsh/), open read-only"),
          change + ": " + refused.err());
      assertTrue(refused.err().contains("'adopt'"), refused.err());
    }
    assertEquals(before, tree(mirror), "nothing written to the mirror");
  }

  @Test
  void folder_without_metadata_is_no_repository() {
    Cli.Result r = Cli.run("--repo", tmp.toString(), "status");
    assertEquals(1, r.status(), r.toString());
    assertTrue(r.err().contains("is not a repository: it has no metadata/ folder (create one with 'init')"),
        r.err());
  }
}
