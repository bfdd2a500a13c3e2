package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.json.Json;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.CliRepo;
import dev.tufsh.testing.StaticHttpServer;
import dev.tufsh.testing.TufClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gc} on a repository with history (a target added, bins bumped, the target removed): the
 * retention window protects fresh files and whatever a just-superseded snapshot lists, the dry run
 * lists exactly what the real run removes with its bytes, roots are never removed, and a new
 * python-tuf client still fetches everything after the prune.
 */
class GcTest {
  @TempDir Path dir;
  CliRepo cli;
  Path repo;

  @BeforeEach
  void setUp() throws Exception {
    cli = CliRepo.published(dir, 8, null);
    repo = cli.repo();
    Path a = dir.resolve("a-1.0.tar.gz");
    Files.writeString(a, "first");
    tufsh("target", "add", a.toString()).assertOk();
    tufsh("publish").assertOk();
    Path b = dir.resolve("b-1.0.tar.gz");
    Files.writeString(b, "second");
    tufsh("target", "add", b.toString()).assertOk();
    tufsh("publish").assertOk();
    tufsh("target", "remove", "a-1.0.tar.gz").assertOk();
    tufsh("publish").assertOk();
  }

  private Cli.Result tufsh(String... args) {
    return cli.run(args);
  }

  private JsonNode gc(String... extra) {
    List<String> args = new ArrayList<>(List.of("--json", "gc"));
    args.addAll(List.of(extra));
    return dev.tufsh.testing.JsonResults.result(tufsh(args.toArray(String[]::new)).assertOk().out());
  }

  private Set<String> files() throws Exception {
    try (Stream<Path> s = Files.walk(repo)) {
      Set<String> out = new TreeSet<>();
      s.filter(Files::isRegularFile).map(p -> repo.relativize(p).toString())
          .filter(p -> !p.startsWith(".tufsh")).forEach(out::add);
      return out;
    }
  }

  private void age(Duration by) throws Exception {
    FileTime then = FileTime.from(Instant.now().minus(by));
    try (Stream<Path> s = Files.walk(repo)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(p, then);
      }
    }
  }

  @Test
  void fresh_files_are_kept_whatever_their_reachability() throws Exception {
    Set<String> before = files();
    JsonNode r = gc();
    assertEquals(0, r.get("files").size(), r.toString());
    assertEquals(before, files());
  }

  @Test
  void the_dry_run_lists_what_the_real_run_removes_and_clients_still_work() throws Exception {
    age(Duration.ofHours(3));
    Set<String> before = files();
    JsonNode dry = gc("--dry-run");
    assertEquals(before, files(), "a dry run removes nothing");
    Set<String> listed = new TreeSet<>();
    long bytes = 0;
    for (JsonNode f : dry.get("files")) {
      listed.add(f.get("path").asText());
      assertEquals(Files.size(repo.resolve(f.get("path").asText())), f.get("bytes").asLong());
      bytes += f.get("bytes").asLong();
    }
    assertEquals(bytes, dry.get("bytes").asLong());
    assertTrue(listed.contains("metadata/1.snapshot.json") && listed.contains("metadata/3.snapshot.json"), listed.toString());
    assertFalse(listed.contains("metadata/4.snapshot.json"), "the current snapshot stays");
    assertTrue(listed.stream().anyMatch(p -> p.matches("targets/[0-9a-f]{64}\\.a-1\\.0\\.tar\\.gz")), listed.toString());
    assertTrue(listed.stream().noneMatch(p -> p.contains("b-1.0")), "b is still listed");
    assertTrue(listed.stream().noneMatch(p -> p.contains("root")), "roots are never pruned");
    assertTrue(listed.stream().noneMatch(p -> p.equals("targets/a-1.0.tar.gz")), "plain names are left alone");

    JsonNode real = gc();
    assertEquals(dry.get("files"), real.get("files"));
    Set<String> after = new TreeSet<>(before);
    after.removeAll(listed);
    assertEquals(after, files());
    assertTrue(Files.exists(repo.resolve("metadata/1.root.json")));

    assertEquals(0, tufsh("verify").status(), "the repository still verifies");
    Path root = dir.resolve("trusted-root.json");
    Files.copy(repo.resolve("metadata/1.root.json"), root);
    try (StaticHttpServer server = StaticHttpServer.serve(repo)) {
      TufClient.Result r = TufClient.PYTHON_TUF.refresh(server, root, dir.resolve("cache"))
          .target("b-1.0.tar.gz").out(dir.resolve("out")).run();
      assertTrue(r.ok(), r.toString());
      assertEquals("second", Files.readString(dir.resolve("out").resolve("b-1.0.tar.gz")));
    }
  }

  @Test
  void what_a_just_superseded_snapshot_lists_survives_the_window() throws Exception {
    age(Duration.ofHours(3));
    Files.setLastModifiedTime(repo.resolve("metadata/4.snapshot.json"), FileTime.from(Instant.now()));
    JsonNode r = gc();
    assertEquals(2, r.get("live_snapshots").asInt(), r.toString());
    assertTrue(Files.exists(repo.resolve("metadata/3.snapshot.json")), "snapshot 3 was current a moment ago");
    try (Stream<Path> s = Files.list(repo.resolve("targets"))) {
      assertTrue(s.anyMatch(p -> p.getFileName().toString().matches("[0-9a-f]{64}\\.a-1\\.0\\.tar\\.gz")),
          "snapshot 3 still lists a");
    }
    assertFalse(Files.exists(repo.resolve("metadata/2.snapshot.json")));
  }
}
