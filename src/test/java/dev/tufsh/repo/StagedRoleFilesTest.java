package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Resign;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Trees;
import dev.tufsh.trust.VerificationError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large batch's roles staged as files of their own and linked into {@code metadata/} at
 * publish: the published bytes are the staged bytes (what the earlier path wrote again), each
 * published once as a hard link of mode 0644, nothing left staged; a staged role re-staged or
 * removed leaves no file behind; and a staged file changed after it was signed is refused by
 * publish's verification with {@code metadata/} left as it was.
 */
class StagedRoleFilesTest {
  private static final int BINS = Staging.Batch.FILES_ROLES;

  @TempDir Path dir;
  private Workbench bench;
  private Path staged;

  @BeforeEach
  void bumped() {
    bench = Benches.published(dir.resolve("repo"), BINS);
    Resign.bump(bench, new Resign.Selection(List.of("bin-*"), null, null), null);
    staged = bench.workspace().stagedDir();
  }

  @Test
  void a_publish_links_the_staged_bytes_into_place() throws IOException {
    assertEquals(BINS, roleFiles().size(), "one staged role file per bin");
    for (Path f : roleFiles()) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
    }
    assertTrue(Files.size(staged.resolve(StagedLog.FILE)) < BINS * 100L, "the log holds headers, not bytes");
    Repository repo = bench.repository();
    Map<String, byte[]> expected = new TreeMap<>();
    for (String r : repo.staging().roles().keySet()) {
      expected.put(FileNames.metadata(r, repo.staging().version(r)), repo.staging().fileBytes(r));
    }
    Publishing.publish(bench);
    Path meta = bench.workspace().metadataDir();
    for (var e : expected.entrySet()) {
      Path f = meta.resolve(e.getKey());
      assertArrayEquals(e.getValue(), Files.readAllBytes(f), e.getKey());
      assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), e.getKey());
      assertEquals(1, (int) Files.getAttribute(f, "unix:nlink"), e.getKey() + ": the staged name is gone");
    }
    assertTrue(Files.notExists(StagedRoleFiles.dir(staged)), "nothing left staged");
    assertTrue(Files.notExists(staged.resolve(StagedLog.FILE)));
  }

  @Test
  void a_role_staged_again_or_dropped_leaves_no_file_behind() throws IOException {
    List<Path> first = roleFiles();
    Resign.bump(bench, new Resign.Selection(List.of("bin-*"), null, null), null); // a second batch over the first
    List<Path> second = roleFiles();
    assertEquals(BINS, second.size());
    assertTrue(second.stream().noneMatch(first::contains), "the first batch's files removed");
    Repository repo = bench.repository();
    String bin = repo.staging().roles().keySet().stream().filter(r -> r.startsWith("bin-")).findFirst().orElseThrow();
    repo.staging().remove(bin);
    repo.staging().save();
    assertEquals(BINS - 1, roleFiles().size(), "a removed role's file removed");
    repo.staging().clear();
    assertTrue(Files.notExists(StagedRoleFiles.dir(staged)), "discard removes every staged role file");
  }

  @Test
  void a_staged_file_replaced_by_a_link_is_neither_read_nor_published_nor_changed() throws IOException {
    Path f = roleFiles().get(0);
    Path outside = Files.copy(f, dir.resolve("outside"));
    Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-------"));
    Files.delete(f);
    Files.createSymbolicLink(f, outside);
    Path meta = bench.workspace().metadataDir();
    Map<String, byte[]> before = Trees.contents(meta);
    RuntimeException e = assertThrows(RuntimeException.class, () -> Publishing.publish(bench));
    assertTrue(e.getMessage().contains(f.getFileName().toString()), e.getMessage());
    Map<String, byte[]> after = Trees.contents(meta);
    assertEquals(before.keySet(), after.keySet(), "nothing published through the link");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(outside)),
        "the link's target keeps its mode");
  }

  @Test
  void a_staged_file_changed_after_it_was_signed_is_refused_and_metadata_stays_as_it_was() throws IOException {
    Path f = roleFiles().get(0);
    Trees.flipLastSignature(f);
    Path meta = bench.workspace().metadataDir();
    Map<String, byte[]> before = Trees.contents(meta);
    assertThrows(VerificationError.class, () -> Publishing.publish(bench));
    Map<String, byte[]> after = Trees.contents(meta);
    assertEquals(before.keySet(), after.keySet(), "no new file, no link, no temp file left");
    before.forEach((n, bytes) -> assertArrayEquals(bytes, after.get(n), n));
  }

  /**
   * Publish reads a staged file, verifies those bytes, then links the file itself: a file replaced
   * by another (same length) or rewritten in place in between is refused at the link, not published.
   */
  @Test
  void a_staged_file_swapped_or_rewritten_after_it_was_read_is_not_linked() throws IOException {
    Path meta = bench.workspace().metadataDir();
    for (boolean inPlace : List.of(false, true)) {
      byte[] bytes = "{\"signed\":{},\"signatures\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      String id = StagedRoleFiles.create(staged, bytes);
      assertArrayEquals(bytes, StagedRoleFiles.read(staged, id, bytes.length));
      Path f = StagedRoleFiles.dir(staged).resolve(id);
      byte[] other = bytes.clone();
      other[2] = 'S';
      if (inPlace) {
        Files.write(f, other); // the same inode, written again (a later modification time)
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(
            Files.getLastModifiedTime(f).toMillis() + 1000));
      } else {
        Path swap = f.resolveSibling("swap");
        Files.write(swap, other);
        Files.move(swap, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      Path target = meta.resolve("99." + id + ".json");
      String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
      var e = assertThrows(dev.tufsh.errors.WorkspaceError.class, () -> StagedRoleFiles.link(staged, id, target));
      assertTrue(e.getMessage().startsWith(f + " changed after this command read and checked it"), e.getMessage());
      assertTrue(Files.notExists(target), "nothing linked into metadata/");
      assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), "its mode not made public");
    }
    // The file as read is linked.
    byte[] bytes = "{\"signed\":{\"a\":1},\"signatures\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String id = StagedRoleFiles.create(staged, bytes);
    StagedRoleFiles.read(staged, id, bytes.length);
    Path target = meta.resolve("98." + id + ".json");
    assertTrue(StagedRoleFiles.link(staged, id, target));
    assertArrayEquals(bytes, Files.readAllBytes(target));
    Files.delete(target);
  }

  @Test
  void a_staged_file_cut_short_is_an_error_naming_it() throws IOException {
    Path f = roleFiles().get(0);
    byte[] b = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(b, b.length - 10));
    var e = assertThrows(dev.tufsh.errors.WorkspaceError.class, () -> Publishing.publish(bench));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("its staging record says"),
        e.getMessage());
  }

  /**
   * A publish that fails after it made staged files 0644 and linked them (one bin's name in
   * metadata/ is a folder: neither a link nor a written copy can replace it) leaves every staged
   * file owner-only again, with no other name; once the obstacle is gone the publish goes through.
   */
  @Test
  void a_publish_that_fails_after_linking_leaves_every_staged_file_owner_only() throws IOException {
    Repository repo = bench.repository();
    String bin = repo.staging().roles().keySet().stream().filter(r -> r.startsWith("bin-")).sorted().findFirst()
        .orElseThrow();
    Path meta = bench.workspace().metadataDir();
    Path obstacle = meta.resolve(FileNames.metadata(bin, repo.staging().version(bin)));
    Files.createDirectory(obstacle);
    Files.writeString(obstacle.resolve("in-the-way"), "not metadata");
    Map<String, byte[]> before = Trees.contents(meta);
    var e = assertThrows(dev.tufsh.errors.WorkspaceError.class, () -> Publishing.publish(bench));
    assertTrue(e.getMessage().contains(obstacle.toString()), e.getMessage());
    assertEquals(BINS, roleFiles().size(), "still staged");
    for (Path f : roleFiles()) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
      assertEquals(1, (int) Files.getAttribute(f, "unix:nlink"), f + ": no name left in metadata/");
    }
    assertEquals(before.keySet(), Trees.contents(meta).keySet(), "metadata/ as it was");

    Files.delete(obstacle.resolve("in-the-way"));
    Files.delete(obstacle);
    Publishing.publish(bench);
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(obstacle)));
    assertTrue(Files.notExists(StagedRoleFiles.dir(staged)), "nothing left staged");
  }

  /**
   * The copy fallback, for real: metadata/ is a link to a folder on another file system (tmpfs at
   * /dev/shm), so no staged file can be hard-linked there (EXDEV) and publish writes each one's
   * bytes instead: the same bytes, 0644 copies of their own, the staged files owner-only until
   * they are removed with the rest of the staging.
   */
  @Test
  void staged_files_are_copied_when_metadata_lies_on_another_file_system() throws IOException {
    Path shm = Path.of("/dev/shm");
    Path away = Files.createTempDirectory(shm, "tufsh-staged-copy");
    try {
      Path meta = bench.workspace().metadataDir();
      assertTrue(!Files.getFileStore(away).equals(Files.getFileStore(staged)),
          "this test needs /dev/shm on a file system of its own, apart from " + staged);
      Path moved = away.resolve("metadata");
      Files.createDirectory(moved, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      for (var e : Trees.contents(meta).entrySet()) {
        Files.write(moved.resolve(e.getKey()), e.getValue());
      }
      Trees.delete(meta);
      Files.createSymbolicLink(meta, moved);
      Repository repo = bench.repository();
      Map<String, byte[]> expected = new TreeMap<>();
      for (String r : repo.staging().roles().keySet()) {
        expected.put(FileNames.metadata(r, repo.staging().version(r)), repo.staging().fileBytes(r));
      }
      assertEquals(BINS, roleFiles().size(), "staged as files");
      Publishing.publish(bench);
      for (var e : expected.entrySet()) {
        Path f = moved.resolve(e.getKey());
        assertArrayEquals(e.getValue(), Files.readAllBytes(f), e.getKey());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), e.getKey());
        assertEquals(1, (int) Files.getAttribute(f, "unix:nlink"), e.getKey());
      }
      assertTrue(Files.notExists(StagedRoleFiles.dir(staged)), "nothing left staged");
    } finally {
      Trees.delete(away);
    }
  }

  private List<Path> roleFiles() throws IOException {
    try (Stream<Path> l = Files.list(StagedRoleFiles.dir(staged))) {
      return l.sorted().toList();
    }
  }
}
