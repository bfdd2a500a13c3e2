package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.errors.UsageError;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.Repository;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Trees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large {@code target add} streams: targets are kept by role in a spill (temp files past a
 * budget), each role is merged and signed on its own, and nothing is staged until every role is
 * ready. Its staged bytes equal those of staging the same content the old way, in memory.
 */
class StreamedAddTest {
  private static final Clock CLOCK = Benches.fixed(Instant.parse("2030-01-01T00:00:00Z"));

  @TempDir Path dir;

  private static List<TargetSpec> targets(int n, String prefix) {
    List<TargetSpec> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(TargetSpec.external(prefix + i + "/pkg-" + i + ".tar.gz", 1000 + i,
          Map.of("sha256", String.format("%064x", i))));
    }
    return out;
  }

  /** Three copies of one published repository: the same keys, so the same bytes sign the same. */
  private List<Workbench> copies(int bins, int n) throws Exception {
    Path first = dir.resolve("r0");
    Workbench b = Benches.at(first, CLOCK);
    Init.run(b, Init.Request.defaults().withBins(bins));
    TargetOps.add(b, targets(n, "old/"));
    Publishing.publish(b);
    List<Workbench> out = new ArrayList<>(List.of(b));
    for (int i = 1; i < 3; i++) {
      Trees.copy(first, dir.resolve("r" + i));
      out.add(Benches.at(dir.resolve("r" + i), CLOCK));
    }
    return out;
  }

  private static Map<String, byte[]> staged(Workbench b) {
    return dev.tufsh.testing.Benches.stagedFiles(b);
  }

  @Test
  void spilled_in_memory_and_old_staging_give_the_same_bytes() throws Exception {
    List<Workbench> w = copies(32, 40);
    List<TargetSpec> add = targets(300, "new/");
    TargetOps.Result spilled = TargetOps.add(w.get(0), add, TargetOps.AddOptions.DEFAULTS, 512);
    TargetOps.Result held = TargetOps.add(w.get(1), add);
    assertEquals(300, spilled.count());
    assertEquals(held.roleByPath(), spilled.roleByPath());
    assertEquals(held.versions(), spilled.versions());

    // The old way: every changed role decoded, merged and staged at once through stageAll.
    Workbench old = w.get(2);
    Repository repo = old.repository();
    Map<String, Map<String, TargetFile>> byRole = new TreeMap<>();
    spilled.roleByPath().forEach((path, role) -> byRole.computeIfAbsent(role, x -> new HashMap<>()).put(path,
        add.stream().filter(s -> s.path().equals(path)).map(s -> new TargetFile(s.length(), s.hashes()))
            .findFirst().orElseThrow()));
    Map<String, Targets> changed = new TreeMap<>();
    byRole.forEach((role, more) -> {
      Targets t = repo.requireTargets(role);
      Map<String, TargetFile> all = new HashMap<>(t.targets());
      all.putAll(more);
      changed.put(role, t.withTargets(all).withExpires(repo.freshExpiry(role)));
    });
    repo.stageAll(changed);
    repo.save();

    Map<String, byte[]> a = staged(w.get(0));
    Map<String, byte[]> b = staged(w.get(1));
    Map<String, byte[]> c = staged(old);
    assertEquals(c.keySet(), a.keySet());
    assertEquals(c.keySet(), b.keySet());
    for (String r : c.keySet()) {
      assertArrayEquals(c.get(r), a.get(r), r + ": spilled");
      assertArrayEquals(c.get(r), b.get(r), r + ": in memory");
      // Decoded and encoded again, as every other change stages, it is the same file.
      assertArrayEquals(MetadataCodec.fileBytes(w.get(0).repository().staging().role(r)), a.get(r), r);
    }
    assertEquals(Map.of(), Publishing.review(w.get(0)).invalid(), "every staged signature verifies");
    Publishing.publish(w.get(0));
    assertEquals(340, Verify.run(w.get(0), null, false).targetsListed());
  }

  @Test
  void a_second_add_over_staged_bins_splices_the_bytes_one_add_of_both_lists_gives() throws Exception {
    List<Workbench> w = copies(16, 40);
    List<TargetSpec> first = targets(150, "a/");
    List<TargetSpec> second = new ArrayList<>(targets(150, "b/"));
    second.add(first.get(3)); // listed by the first add with the same content: no change
    TargetOps.add(w.get(0), first);
    TargetOps.Result r = TargetOps.add(w.get(0), second);
    assertEquals(151, r.count());
    List<TargetSpec> both = new ArrayList<>(first);
    both.addAll(second.subList(0, 150));
    TargetOps.add(w.get(1), both); // one add: every bin decoded from its published file and encoded
    Map<String, byte[]> spliced = staged(w.get(0));
    Map<String, byte[]> once = staged(w.get(1));
    assertEquals(once.keySet(), spliced.keySet());
    for (String role : once.keySet()) {
      assertArrayEquals(once.get(role), spliced.get(role), role);
    }
    // A path the first add staged, now with other content: refused as before, nothing more staged.
    UsageError e = assertThrows(UsageError.class, () -> TargetOps.add(w.get(0), List.of(TargetSpec.external(
        first.get(5).path(), 1, Map.of("sha256", "ee".repeat(32))))));
    assertTrue(e.getMessage().contains("is already listed in bin-"), e.getMessage());
    Map<String, byte[]> after = staged(w.get(0));
    for (String role : once.keySet()) {
      assertArrayEquals(once.get(role), after.get(role), role);
    }
    assertEquals(Map.of(), Publishing.review(w.get(0)).invalid(), "every staged signature verifies");
    Publishing.publish(w.get(0));
    assertEquals(340, Verify.run(w.get(0), null, false).targetsListed());
  }

  @Test
  void a_conflict_in_any_role_refuses_the_whole_add_and_stages_nothing() throws Exception {
    Workbench b = copies(32, 40).get(0);
    List<TargetSpec> add = targets(200, "new/");
    // The same path as a published target, with other content: refused, wherever it routes.
    add.add(TargetSpec.external("old/7/pkg-7.tar.gz", 5, Map.of("sha256", "cd".repeat(32))));
    UsageError e = assertThrows(UsageError.class, () -> TargetOps.add(b, add, TargetOps.AddOptions.DEFAULTS, 512));
    assertTrue(e.getMessage().contains("old/7/pkg-7.tar.gz is already listed in bin-"), e.getMessage());
    assertEquals(new TreeSet<>(), new TreeSet<>(b.repository().staging().roles().keySet()), "nothing staged");
    assertEquals(List.of(), spillFolders(b), "the spill is removed");

    // --if-exists skip leaves it out and adds the rest.
    TargetOps.Result r = TargetOps.add(b, add, new TargetOps.AddOptions(null, false, TargetOps.IfExists.SKIP), 512);
    assertEquals(200, r.count());
    assertTrue(!r.roleByPath().containsKey("old/7/pkg-7.tar.gz"));
    assertEquals(1007, b.repository().requireTargets(new TargetRouter(b.repository()).roleFor("old/7/pkg-7.tar.gz"))
        .targets().get("old/7/pkg-7.tar.gz").length(), "the published entry stands");
    assertEquals(List.of(), spillFolders(b));
  }

  @Test
  void a_bad_target_names_where_it_was_read_and_stages_nothing() throws Exception {
    Workbench b = copies(16, 0).get(0);
    List<TargetSpec> add = new ArrayList<>(targets(50, "new/"));
    add.add(TargetSpec.external("bad.tar.gz", 1, Map.of("sha256", "XY")).from("list.txt:51"));
    UsageError e = assertThrows(UsageError.class, () -> TargetOps.add(b, add, TargetOps.AddOptions.DEFAULTS, 256));
    assertEquals("list.txt:51: target bad.tar.gz: sha256 must be 64 lowercase hex digits", e.getMessage());
    assertTrue(b.repository().staging().isEmpty());
    assertEquals(List.of(), spillFolders(b));
  }

  @Test
  void spill_files_are_owner_only_read_back_in_order_and_removed() throws Exception {
    Path parent = Files.createDirectories(dir.resolve("private"));
    Path stale = Files.createDirectory(parent.resolve("add-spill-killed"));
    Files.writeString(stale.resolve("part-3"), "left by a killed add");
    try (TargetSpill s = new TargetSpill(parent, 64)) {
      assertTrue(Files.notExists(stale), "a killed add's spill is removed by the next");
      for (int i = 0; i < 100; i++) {
        s.add("bin-1", "p/" + i, new TargetFile(i, Map.of("sha256", "ab".repeat(32))));
      }
      s.add("bin-1", "p/5", new TargetFile(55, Map.of("sha512", "cd".repeat(64))));
      TargetFile both = new TargetFile(6, Map.of("sha256", "ef".repeat(32), "blake2b-256", "01".repeat(32)));
      s.add("bin-1", "p/6", both);
      List<Path> spilled = spillFolders(parent);
      assertEquals(1, spilled.size());
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spilled.get(0))));
      try (var files = Files.list(spilled.get(0))) {
        for (Path f : files.toList()) {
          assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
      }
      SpilledRole spilled1 = s.read(TargetSpill.partitionOf("bin-1")).get("bin-1");
      assertEquals(100, spilled1.size(), "each path once");
      Map<String, TargetFile> bin = spilled1.toMap();
      assertEquals(100, bin.size());
      assertEquals(List.of("p/0", "p/1", "p/2"), new ArrayList<>(bin.keySet()).subList(0, 3));
      assertEquals(new TargetFile(55, Map.of("sha512", "cd".repeat(64))), bin.get("p/5"), "a later entry wins");
      assertEquals(both, bin.get("p/6"), "each of its hashes");
      assertEquals("sha256", bin.get("p/7").hashes().keySet().iterator().next(), "after another algorithm");
    }
    assertEquals(List.of(), spillFolders(parent));
  }

  @Test
  void a_conflict_after_the_batch_wrote_earlier_roles_to_disk_takes_them_all_back() throws Exception {
    Path root = dir.resolve("big");
    Workbench b = Benches.at(root, CLOCK);
    Init.run(b, Init.Request.defaults().withBins(32));
    TargetOps.add(b, targets(40, "old/"));
    Publishing.publish(b);
    TargetOps.add(b, targets(3, "staged/")); // staged before: the failed add must leave it as it was
    Map<String, byte[]> stagedBefore = staged(b);
    Map<String, Long> filesBefore = filesUnder(b.workspace().privateDir());
    // ~24 MB of bins: past the batch's 16 MB chunk, so earlier partitions' roles are on disk as staged
    // role files and log records when the conflict is met in the last partition that holds a bin.
    List<TargetSpec> add = targets(140_000, "new/");
    TargetRouter router = new TargetRouter(b.repository());
    String last = java.util.stream.IntStream.range(0, 40).mapToObj(i -> "old/" + i + "/pkg-" + i + ".tar.gz")
        .max(java.util.Comparator.comparingInt(path -> TargetSpill.partitionOf(router.roleFor(path)))).orElseThrow();
    add.add(TargetSpec.external(last, 5, Map.of("sha256", "cd".repeat(32))));
    UsageError e = assertThrows(UsageError.class, () -> TargetOps.add(b, add));
    assertTrue(e.getMessage().contains(last + " is already listed in bin-"), e.getMessage());
    Map<String, byte[]> stagedAfter = staged(b);
    assertEquals(stagedBefore.keySet(), stagedAfter.keySet());
    stagedBefore.forEach((r, bytes) -> assertArrayEquals(bytes, stagedAfter.get(r), r));
    assertEquals(filesBefore, filesUnder(b.workspace().privateDir()), "no staged file left, the log as it was");
  }

  /** Every regular file under {@code dir}, with its size. */
  private static Map<String, Long> filesUnder(Path dir) throws Exception {
    try (var walk = Files.walk(dir)) {
      Map<String, Long> out = new TreeMap<>();
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), Files.size(p));
      }
      return out;
    }
  }

  private static List<Path> spillFolders(Workbench b) throws Exception {
    return spillFolders(b.workspace().privateDir());
  }

  private static List<Path> spillFolders(Path parent) throws Exception {
    try (var l = Files.list(parent)) {
      return l.filter(p -> p.getFileName().toString().startsWith("add-spill-")).toList();
    }
  }
}
