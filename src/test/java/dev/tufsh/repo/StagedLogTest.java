package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.WorkspaceError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The log's batch records: a batch begun and never committed (a writer killed half-way) is not
 * staged, a committed one is, and a log without markers reads as it always did.
 */
class StagedLogTest {
  @TempDir Path dir;

  private static final String HEAD = "tufsh staged log 1 " + "0f".repeat(16) + "\n";

  /** A log's records: {@code a1} stages role a at version 1, {@code -a} removes a, {@code begin}/{@code commit} mark a batch, {@code ~x} is raw bytes. */
  private static byte[] log(String... records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(HEAD.getBytes(StandardCharsets.US_ASCII));
    for (String r : records) {
      String s;
      if (r.equals("begin") || r.equals("commit")) {
        s = r + "\n";
      } else if (r.startsWith("~")) {
        s = r.substring(1);
      } else if (r.startsWith("-")) {
        s = hex(r.substring(1)) + " 0 -\n";
      } else {
        String body = "{\"role\":\"" + r.charAt(0) + "\",\"v\":" + r.substring(1) + "}";
        s = hex(r.substring(0, 1)) + " " + r.substring(1) + " " + body.length() + "\n" + body + "\n";
      }
      out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  private static String hex(String role) {
    return Hex.encode(role.getBytes(StandardCharsets.UTF_8));
  }

  /** One log and the roles (name -> version, in order) a scan reads from it. */
  record Case(String name, List<String> records, Map<String, Integer> staged) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("old format, no markers", List.of("a1", "b1", "a2"), Map.of("b", 1, "a", 2)),
        new Case("old format with a removal", List.of("a1", "b1", "-a"), Map.of("b", 1)),
        new Case("committed batch", List.of("a1", "begin", "a2", "b2", "commit"), Map.of("a", 2, "b", 2)),
        new Case("records after a committed batch", List.of("begin", "a2", "commit", "c1"), Map.of("a", 2, "c", 1)),
        new Case("open batch", List.of("a1", "begin", "a2", "b2"), Map.of("a", 1)),
        new Case("open batch that removed a role", List.of("a1", "begin", "-a", "b2"), Map.of("a", 1)),
        new Case("open batch, nothing before it", List.of("begin", "a2", "b2"), Map.of()),
        new Case("open batch whose last record is torn",
            List.of("a1", "begin", "b2", "~" + hex("c") + " 2 40\n{\"ro"), Map.of("a", 1)),
        new Case("open batch whose last header is torn", List.of("a1", "begin", "b2", "~" + hex("c") + " 2"),
            Map.of("a", 1)),
        new Case("open batch ending in zeros (power loss)", List.of("a1", "begin", "b2", "~\0\0\0\0\n"),
            Map.of("a", 1)),
        new Case("begin record torn at the end", List.of("a1", "~beg"), Map.of("a", 1)),
        new Case("commit record torn at the end", List.of("a1", "begin", "b2", "~comm"), Map.of("a", 1)),
        // Must not happen (the next writer cuts an open batch off first), but defined: a plain
        // append after an open begin reads as part of that batch, and is dropped with it.
        new Case("open batch, then a plain append", List.of("a1", "begin", "b2", "c1"), Map.of("a", 1)),
        new Case("open batch, then a committed batch", List.of("a1", "begin", "b2", "begin", "c1", "commit"),
            Map.of("a", 1, "c", 1)),
        new Case("committed batch, then an open one", List.of("begin", "a2", "commit", "begin", "b3"),
            Map.of("a", 2)));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void scan_reads_committed_records_only(Case c) throws IOException {
    Files.write(dir.resolve(StagedLog.FILE), log(c.records().toArray(String[]::new)));
    Map<String, Integer> got = new LinkedHashMap<>();
    StagedLog.scan(dir, () -> false).entries().forEach((r, e) -> got.put(r, e.version()));
    assertEquals(c.staged(), got);
    assertEquals(List.copyOf(c.staged().keySet()).stream().sorted().toList(),
        got.keySet().stream().sorted().toList());
  }

  static Stream<List<String>> damaged() {
    return Stream.of(
        List.of("a1", "commit"), // a commit with no batch begun
        List.of("a1", "~" + hex("c") + " 2 40\n{\"ro"), // a torn record outside a batch: as before
        List.of("a1", "~xyz\n", "begin", "b2", "commit")); // damage before a batch is damage
  }

  @ParameterizedTest
  @MethodSource("damaged")
  void damage_outside_an_open_batch_is_an_error(List<String> records) throws IOException {
    Files.write(dir.resolve(StagedLog.FILE), log(records.toArray(String[]::new)));
    WorkspaceError e = assertThrows(WorkspaceError.class, () -> StagedLog.scan(dir, () -> false));
    assertTrue(e.getMessage().contains("is damaged at byte"), e.getMessage());
  }

  @Test
  void the_next_writer_cuts_an_open_batch_off_before_it_appends() throws IOException {
    Path f = dir.resolve(StagedLog.FILE);
    byte[] committed = log("a1");
    Files.write(f, log("a1", "begin", "b2", "c2"));
    Map<String, StagedLog.Entry> live = StagedLog.scan(dir, () -> false).entries();
    assertEquals(List.of("a"), List.copyOf(live.keySet()));
    Map<String, StagedLog.Entry> after =
        StagedLog.save(dir, live, List.of(new StagedLog.Change("d", 1, "{}".getBytes(StandardCharsets.US_ASCII))));
    assertEquals(List.of("a", "d"), List.copyOf(after.keySet()));
    assertEquals(committed.length + (hex("d") + " 1 2\n{}\n").length(), Files.size(f), "the open batch is gone");
    assertEquals(List.of("a", "d"), List.copyOf(StagedLog.scan(dir, () -> false).entries().keySet()));
  }

  @Test
  void a_batch_committed_after_the_scan_that_saw_it_open_is_kept() throws IOException {
    Path f = dir.resolve(StagedLog.FILE);
    Files.write(f, log("a1", "begin", "b2"));
    StagedLog.scan(dir, () -> true); // a reader, while that writer was half-way
    Files.write(f, log("a1", "begin", "b2", "commit"));
    long size = Files.size(f);
    StagedLog.dropOpen(dir); // the next writer
    assertEquals(size, Files.size(f));
    assertEquals(List.of("a", "b"), List.copyOf(StagedLog.scan(dir, () -> false).entries().keySet()));
  }

  /** Through Staging, at the real 16 MB chunk: two 10 MB roles make the batch flush before its commit. */
  @Test
  void a_batch_abandoned_after_a_chunk_stages_nothing_and_a_committed_one_stages_all() throws IOException {
    Path staged = Files.createDirectories(dir.resolve(".tufsh/staged"));
    Path f = staged.resolve(StagedLog.FILE);
    Staging s = Staging.load(staged);
    s.put("bin-1", StagingTest.bin(2, "old"));
    s.save();
    long before = Files.size(f);
    byte[] big = "x".repeat(10 << 20).getBytes(StandardCharsets.US_ASCII);
    Staging.Batch killed = s.batch(); // never committed nor closed: the process died here
    killed.put("bin-1", 3, big);
    killed.put("bin-2", 3, big);
    assertTrue(Files.size(f) > before, "a chunk went to the log");
    assertEquals(2, roleFiles(staged), "its two bins as staged role files");
    Staging back = Staging.load(staged);
    assertEquals(Set.of("bin-1"), back.roles().keySet());
    assertEquals(2, back.version("bin-1"));

    try (Staging.Batch b = back.batch()) {
      b.put("bin-2", 4, big);
      b.put("bin-3", 4, big);
      b.put("bin-4", 4, "{}".getBytes(StandardCharsets.US_ASCII));
      b.commit();
    }
    Staging last = Staging.load(staged);
    assertEquals(Set.of("bin-1", "bin-2", "bin-3", "bin-4"), last.roles().keySet());
    assertEquals(4, last.version("bin-2"));
    assertArrayEquals(big, last.fileBytes("bin-3"));
    assertTrue(Files.size(f) < before + 4 * 80L + "begin\ncommit\n".length(),
        "the killed batch was cut off, the bytes are not in the log: " + Files.size(f));
    assertEquals(3, roleFiles(staged), "the killed batch's file swept, one file per role of the committed one");
  }

  private static long roleFiles(Path staged) throws IOException {
    try (Stream<Path> l = Files.list(staged.resolve(StagedRoleFiles.DIR))) {
      return l.count();
    }
  }

  /** A record naming a staged role file reads beside the inline ones; a file id that is not one is damage. */
  /** A first line, and what a scan makes of it: a newer format (naming its writer, or that it names none), or damage. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "tufsh staged log 2 ID tufsh 9.1.0|newer: tufsh 9.1.0, staged log format 2",
      "tufsh staged log 12 ID|newer: its version not recorded, staged log format 12",
      "tufsh staged log 3 ID tufsh \u001b[31mred|newer: tufsh ??31mred, staged log format 3",
      "tufsh staged log 0 ID|damaged",
      "tufsh staged log x ID|damaged",
      "tufsh staged log 1 short|damaged",
      "tufsh staged log 1 ID extra|damaged"})
  void a_first_line_of_a_newer_format_is_refused_as_one_and_anything_else_is_damage(String first, String verdict)
      throws IOException {
    Path f = dir.resolve(StagedLog.FILE);
    byte[] bytes = (first.replace("ID", "0f".repeat(16)) + "\n" + hex("a") + " 1 2\n{}\n").getBytes(StandardCharsets.UTF_8);
    Files.write(f, bytes);
    RuntimeException e = assertThrows(RuntimeException.class, () -> StagedLog.scan(dir, () -> false));
    if (verdict.startsWith("newer: ")) {
      assertEquals(dev.tufsh.errors.NewerFormatError.class, e.getClass(), e.getMessage());
      assertTrue(e.getMessage().startsWith(f + " was written by a newer tufsh (" + verdict.substring(7) + ";"),
          e.getMessage());
      // Nor does a writer append, cut or rewrite it.
      assertThrows(dev.tufsh.errors.NewerFormatError.class, () -> StagedLog.append(dir, List.of(
          new StagedLog.Change("b", 1, "{}".getBytes(StandardCharsets.US_ASCII))), true));
      assertThrows(dev.tufsh.errors.NewerFormatError.class, () -> StagedLog.dropOpen(dir));
      assertThrows(dev.tufsh.errors.NewerFormatError.class, () -> StagedLog.truncate(dir, "x", 10));
    } else {
      assertEquals(WorkspaceError.class, e.getClass(), e.getMessage());
      assertTrue(e.getMessage().contains("is damaged at byte 0"), e.getMessage());
    }
    assertArrayEquals(bytes, Files.readAllBytes(f));
  }

  @Test
  void records_naming_role_files_read_beside_inline_ones() throws IOException {
    String id = "ab".repeat(16);
    Files.write(dir.resolve(StagedLog.FILE), log("a1", "~" + hex("b") + " 3 7 " + id + "\n", "c1"));
    Map<String, StagedLog.Entry> e = StagedLog.scan(dir, () -> false).entries();
    assertEquals(List.of("a", "b", "c"), List.copyOf(e.keySet()));
    assertEquals(new StagedLog.Entry(3, -1, 7, id), e.get("b"));
    Files.createDirectories(dir.resolve(StagedRoleFiles.DIR));
    Files.writeString(dir.resolve(StagedRoleFiles.DIR).resolve(id), "{\"b\":3}");
    assertEquals("{\"b\":3}", new String(StagedLog.read(dir, null, e.get("b")), StandardCharsets.US_ASCII));
    Files.writeString(dir.resolve(StagedRoleFiles.DIR).resolve(id), "{\"b\":33}");
    assertTrue(assertThrows(WorkspaceError.class, () -> StagedLog.read(dir, null, e.get("b"))).getMessage()
        .contains("not the 7 its staging record says"));
    for (String bad : List.of("../../etc/passwd", "AB".repeat(16), "ab".repeat(15))) {
      Files.write(dir.resolve(StagedLog.FILE), log("a1", "~" + hex("b") + " 3 7 " + bad + "\n"));
      WorkspaceError x = assertThrows(WorkspaceError.class, () -> StagedLog.scan(dir, () -> false), bad);
      assertTrue(x.getMessage().contains("is damaged at byte"), x.getMessage());
    }
  }
}
