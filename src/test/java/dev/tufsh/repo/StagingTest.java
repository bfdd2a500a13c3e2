package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The staging log: what is saved loads back, one change appends one record, damage is an error. */
class StagingTest {
  @TempDir Path tmp;
  Path dir;

  @org.junit.jupiter.api.BeforeEach
  void layout() throws IOException {
    dir = Files.createDirectories(tmp.resolve(".tufsh/staged")); // as in a workspace: .tufsh/lock beside it
  }

  static Metadata<Targets> bin(int version, String path) {
    return bin(version, path, 1);
  }

  /** A bin listing {@code count} targets named {@code path} and {@code path.1} on (about 100 bytes each). */
  static Metadata<Targets> bin(int version, String path, int count) {
    Map<String, TargetFile> t = new java.util.HashMap<>();
    for (int i = 0; i < count; i++) {
      t.put(i == 0 ? path : path + "." + i, new TargetFile(3, Map.of("sha256", "ab".repeat(32))));
    }
    return new Metadata<>(Targets.empty(Expiry.at(Instant.parse("2030-01-01T00:00:00Z"))).withTargets(t)
        .withVersion(version), List.of());
  }

  private List<String> roleFiles() throws IOException {
    Path d = dir.resolve(StagedRoleFiles.DIR);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (var l = Files.list(d)) {
      return l.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private Path log() {
    return dir.resolve(StagedLog.FILE);
  }

  @Test
  void saved_roles_load_back_byte_for_byte_and_owner_only() throws IOException {
    Staging s = Staging.load(dir);
    s.put("bin-0", bin(2, "a/x.whl"));
    s.put("bin-1", bin(5, "b/y.whl"));
    s.save();
    assertEquals(Set.of("rw-------"), Set.of(PosixFilePermissions.toString(Files.getPosixFilePermissions(log()))));
    Staging back = Staging.load(dir);
    assertEquals(Set.of("bin-0", "bin-1"), back.roles().keySet());
    assertEquals(5, back.version("bin-1"));
    assertArrayEquals(MetadataCodec.fileBytes(bin(5, "b/y.whl")), back.fileBytes("bin-1"));
    assertEquals(Set.of("b/y.whl"), ((Targets) back.role("bin-1").signed()).targets().keySet());
    assertEquals(Set.of("bin-0", "bin-1"), Staging.names(dir));
    assertEquals(2, Staging.count(dir));
  }

  @Test
  void a_change_appends_its_record_and_leaves_the_others_as_they_are() throws IOException {
    Staging s = Staging.load(dir);
    for (int i = 0; i < 64; i++) {
      s.put("bin-" + i, bin(2, "p/" + i));
    }
    s.save();
    byte[] before = Files.readAllBytes(log());
    Staging again = Staging.load(dir);
    again.put("bin-7", bin(3, "p/new"));
    again.remove("bin-9");
    again.save();
    byte[] after = Files.readAllBytes(log());
    assertArrayEquals(before, java.util.Arrays.copyOf(after, before.length), "earlier records are not rewritten");
    Staging back = Staging.load(dir);
    assertEquals(63, back.roles().size());
    assertFalse(back.has("bin-9"));
    assertEquals(3, back.version("bin-7"));
    assertEquals(Set.of("p/new"), ((Targets) back.role("bin-7").signed()).targets().keySet());
    assertEquals(Set.of("p/8"), ((Targets) back.role("bin-8").signed()).targets().keySet());
  }

  /** A bin given as file bytes, as a batch takes them; {@code pad} targets make it large enough to fill a chunk. */
  private static byte[] binBytes(int version, String path, int pad) {
    return MetadataCodec.fileBytes(bin(version, path, pad));
  }

  @Test
  void a_committed_batch_loads_back_and_decodes_only_when_asked() throws IOException {
    Staging s = Staging.load(dir);
    s.put("targets", bin(4, "t"));
    try (Staging.Batch b = s.batch()) {
      for (int i = 0; i < 40; i++) {
        b.put("bin-" + i, 7, binBytes(7, "p/" + i, 1));
      }
      b.commit();
    }
    assertEquals(7, s.version("bin-3"));
    assertArrayEquals(binBytes(7, "p/3", 1), s.fileBytes("bin-3"));
    s.save(); // the role put before the batch is saved as before
    Staging back = Staging.load(dir);
    assertEquals(41, back.roles().size());
    assertArrayEquals(binBytes(7, "p/39", 1), back.fileBytes("bin-39"));
    assertEquals(Set.of("p/39"), ((Targets) back.role("bin-39").signed()).targets().keySet());
    assertEquals(4, back.version("targets"));
  }

  @Test
  void a_batch_closed_without_commit_takes_its_appended_chunks_back() throws IOException {
    Staging s = Staging.load(dir);
    s.put("bin-1", bin(2, "old"));
    s.save();
    byte[] before = Files.readAllBytes(log());
    s.put("bin-2", bin(3, "in memory"));
    // Two bins of ~10 MB: the second put appends the first chunk to the log before the failure.
    try (Staging.Batch b = s.batch()) {
      b.put("bin-1", 3, binBytes(3, "new", 100_000));
      b.put("bin-2", 4, binBytes(4, "new", 100_000));
      b.put("bin-3", 3, binBytes(3, "new", 1));
      assertTrue(Files.size(log()) > before.length, "a chunk was appended");
      assertEquals(2, roleFiles().size(), "its two bins as staged role files");
    }
    assertArrayEquals(before, Files.readAllBytes(log()), "the log as it was");
    assertEquals(List.of(), roleFiles(), "the batch's role files removed");
    assertEquals(2, s.version("bin-1"));
    assertArrayEquals(MetadataCodec.fileBytes(bin(2, "old")), s.fileBytes("bin-1"));
    assertEquals(Set.of("in memory"), ((Targets) s.role("bin-2").signed()).targets().keySet(), "the unsaved change kept");
    assertFalse(s.has("bin-3"));
    s.save();
    Staging back = Staging.load(dir);
    assertEquals(Set.of("bin-1", "bin-2"), back.roles().keySet());
    assertEquals(3, back.version("bin-2"));
  }

  @Test
  void a_failed_first_batch_leaves_no_log() {
    Staging s = Staging.load(dir);
    try (Staging.Batch b = s.batch()) {
      b.put("bin-1", 3, binBytes(3, "new", 200_000));
      b.put("bin-2", 3, binBytes(3, "new", 1));
    }
    assertFalse(Files.exists(log()));
    assertTrue(s.isEmpty());
  }

  @Test
  void a_log_mostly_of_replaced_records_is_rewritten_with_the_live_ones() throws IOException {
    Staging s = Staging.load(dir);
    s.put("bin-0", bin(2, "keep", 2000));
    s.save();
    long one = Files.size(log());
    for (int v = 3; v < 30; v++) {
      s.put("bin-1", bin(v, "churn/" + v, 2000));
      s.save();
    }
    long size = Files.size(log());
    assertTrue(size < 2 * one + (1 << 20) + 2 * one, "the log keeps about the live records, not 28 versions: "
        + size + " bytes, a record " + one);
    Staging back = Staging.load(dir);
    assertEquals(29, back.version("bin-1"));
    assertTrue(((Targets) back.role("bin-0").signed()).targets().containsKey("keep.1999"));
    assertTrue(((Targets) back.role("bin-1").signed()).targets().containsKey("churn/29.1999"));
  }

  record Damage(String name, Consumer<Path> damage, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Damage> damages() {
    return Stream.of(
        new Damage("last record cut short", f -> truncate(f, 10), "is cut short"),
        new Damage("last header cut short", f -> append(f, Hex.encode("bin-9".getBytes(StandardCharsets.UTF_8))),
            "header is cut short"),
        new Damage("length longer than the record", f -> append(f, "62696e2d39 2 999999\n{}\n"), "is cut short"),
        new Damage("record not ending where its length says", f -> append(f, "62696e2d39 2 1\n{}\n"),
            "does not end where its length says"),
        new Damage("garbage header", f -> append(f, "{damaged\n"), "not 'NAME VERSION LENGTH'"));
  }

  @ParameterizedTest
  @MethodSource("damages")
  void a_damaged_log_is_an_error_naming_the_file_and_byte_never_a_silent_drop(Damage d) {
    Staging s = Staging.load(dir);
    s.put("bin-0", bin(2, "a"));
    s.put("bin-1", bin(2, "b"));
    s.save();
    d.damage().accept(log());
    WorkspaceError e = assertThrows(WorkspaceError.class, () -> Staging.load(dir));
    assertTrue(e.getMessage().contains(log().toString()) && e.getMessage().contains("damaged at byte")
        && e.getMessage().contains(d.message()) && e.getMessage().contains("discard"), e.getMessage());
    assertThrows(WorkspaceError.class, () -> Staging.count(dir), "the prompt's count says so too");
  }

  @Test
  void a_staging_file_of_the_earlier_format_is_taken_over_and_a_torn_one_refused() throws IOException {
    byte[] env = MetadataCodec.fileBytes(bin(4, "old/one"));
    byte[] line = (Hex.encode("bin-3".getBytes(StandardCharsets.UTF_8)) + " " + new String(env, StandardCharsets.UTF_8)
        + "\n").getBytes(StandardCharsets.UTF_8);
    Files.write(dir.resolve("roles.staged"), line);
    Staging s = Staging.load(dir);
    assertEquals(4, s.version("bin-3"));
    s.save();
    assertFalse(Files.exists(dir.resolve("roles.staged")), "moved into the log");
    assertArrayEquals(env, Staging.load(dir).fileBytes("bin-3"));

    Files.write(dir.resolve("roles.staged"), java.util.Arrays.copyOf(line, line.length - 5));
    WorkspaceError e = assertThrows(WorkspaceError.class, () -> Staging.load(dir));
    assertTrue(e.getMessage().contains("roles.staged") && e.getMessage().contains("cut short"), e.getMessage());
  }

  @Test
  void while_another_writer_holds_the_lock_its_append_under_way_is_not_yet_staged() throws IOException {
    Staging s = Staging.load(dir);
    s.put("bin-0", bin(2, "a"));
    s.save();
    append(log(), "62696e2d31 2 999\n{\"signatures\"");
    try (var ch = java.nio.channels.FileChannel.open(tmp.resolve(".tufsh/lock"), java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.WRITE); var held = ch.lock()) {
      assertEquals(Set.of("bin-0"), Staging.load(dir).roles().keySet(), "a reader sees what was saved");
      assertEquals(Set.of("bin-0"), Staging.names(dir));
    }
    WorkspaceError e = assertThrows(WorkspaceError.class, () -> Staging.load(dir), "no writer: it is torn");
    assertTrue(e.getMessage().contains("bin-1") && e.getMessage().contains("cut short"), e.getMessage());
  }

  @Test
  void a_log_replaced_after_it_was_loaded_is_never_read_as_the_one_loaded() {
    Staging s = Staging.load(dir);
    s.put("bin-0", bin(2, "a"));
    s.save();
    Staging reader = Staging.load(dir);
    Staging.load(dir).clear(); // a publish by another process
    Staging other = Staging.load(dir);
    other.put("bin-0", bin(3, "b"));
    other.save(); // a new log at the same name, another file
    WorkspaceError e = assertThrows(WorkspaceError.class, () -> reader.fileBytes("bin-0"));
    assertTrue(e.getMessage().contains("changed while this command read it"), e.getMessage());
    assertArrayEquals(MetadataCodec.fileBytes(bin(3, "b")), Staging.load(dir).fileBytes("bin-0"));
  }

  @Test
  void a_reading_scope_reads_the_same_bytes_from_one_open_log() {
    Staging s = Staging.load(dir);
    for (int i = 0; i < 64; i++) {
      s.put("bin-" + i, bin(2, "p/" + i));
    }
    s.save();
    Staging back = Staging.load(dir);
    try (Staging.Reading r = back.reading(); Staging.Reading nested = back.reading()) {
      for (int i = 0; i < 64; i++) {
        assertArrayEquals(MetadataCodec.fileBytes(bin(2, "p/" + i)), back.fileBytes("bin-" + i));
      }
    }
    assertArrayEquals(MetadataCodec.fileBytes(bin(2, "p/5")), back.fileBytes("bin-5"), "after the scope: as before");
  }

  @Test
  void a_log_replaced_or_removed_inside_a_reading_scope_is_never_read_as_the_one_loaded() {
    Staging s = Staging.load(dir);
    s.put("bin-0", bin(2, "a"));
    s.put("bin-1", bin(2, "c"));
    s.save();
    Staging reader = Staging.load(dir);
    try (Staging.Reading r = reader.reading()) {
      assertArrayEquals(MetadataCodec.fileBytes(bin(2, "a")), reader.fileBytes("bin-0"));
      Staging.load(dir).clear(); // a publish by another process
      WorkspaceError gone = assertThrows(WorkspaceError.class, () -> reader.fileBytes("bin-1"));
      assertTrue(gone.getMessage().contains("changed while this command read it"), gone.getMessage());
      Staging other = Staging.load(dir);
      other.put("bin-0", bin(3, "b"));
      other.save(); // a new log at the same name, another file
      WorkspaceError e = assertThrows(WorkspaceError.class, () -> reader.fileBytes("bin-0"));
      assertTrue(e.getMessage().contains("changed while this command read it"), e.getMessage());
    }
  }

  @Test
  void clear_removes_everything_on_disk() {
    Staging s = Staging.load(dir);
    s.put("bin-0", bin(2, "a"));
    s.putFile(new StagedFile("a", "/nonexistent", 3, Map.of("sha256", "ab".repeat(32))));
    s.save();
    s.clear();
    assertFalse(Files.exists(log()));
    assertTrue(Staging.load(dir).isEmpty());
    assertNull(Staging.load(dir).role("bin-0"));
  }

  private static void truncate(Path f, int by) {
    try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - by);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void append(Path f, String s) {
    try {
      Files.writeString(f, s, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
