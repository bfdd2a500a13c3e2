package dev.tufsh.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.cli.CommandText;
import dev.tufsh.errors.UsageError;
import dev.tufsh.ops.TargetSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.tufsh.ops.TargetList;
import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Trees;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A --list file read a line at a time: its fast word split reads every line as a runbook line does. */
class TargetListFileTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"a/b.whl 12 " + "ab", "  a\tb  c ", "a  b", "x", "", "p\u00e9/\u4e2d.whl 1 ff",
      "a\u2003b c", "a\u00a0b c", "\"my dir/x.whl\" dist/x.whl", "a b # comment", "it's 1 2", "a\\ b 1 2",
      "a;b 1 2", "a#b 1 2"})
  void the_fast_split_reads_lines_as_runbook_words_do(String line) {
    List<String> want;
    try {
      want = CommandText.words(line);
    } catch (RuntimeException e) {
      assertThrows(RuntimeException.class, () -> TargetListFile.words(line));
      return;
    }
    assertEquals(want, TargetListFile.words(line));
  }

  @Test
  void a_bad_line_names_the_file_and_line() throws Exception {
    Path list = dir.resolve("list.txt");
    Files.writeString(list, "# targets\n\na.whl 1 " + "ab".repeat(32) + "\nb.whl x " + "ab".repeat(32) + "\n",
        StandardCharsets.UTF_8);
    List<String> read = new ArrayList<>();
    try (TargetListFile l = new TargetListFile(list)) {
      assertFalse(l.isEmpty());
      UsageError e = assertThrows(UsageError.class, () -> l.forEach(s -> read.add(s.path() + " " + s.origin())));
      assertEquals(list + ":4: length 'x' is not a number (quote a path that has spaces)", e.getMessage());
    }
    assertEquals(List.of("a.whl " + list + ":3"), read);
  }

  @Test
  void comments_and_blank_lines_only_list_nothing() throws Exception {
    Path list = dir.resolve("empty.txt");
    Files.writeString(list, "# nothing yet\n\n   \n", StandardCharsets.UTF_8);
    try (TargetListFile l = new TargetListFile(list)) {
      assertTrue(l.isEmpty());
      List<TargetSpec> all = new ArrayList<>();
      l.forEach(all::add);
      assertEquals(List.of(), all);
    }
  }

  private static final Clock CLOCK = Benches.fixed(Instant.parse("2030-01-01T00:00:00Z"));
  private static final String HEX = "ab".repeat(32);

  /** Two copies of one published repository (the same keys: the same bytes sign the same). */
  private List<Workbench> twins() throws Exception {
    Path first = dir.resolve("r0");
    Workbench b = Benches.at(first, CLOCK);
    dev.tufsh.ops.Init.run(b, dev.tufsh.ops.Init.Request.defaults().withBins(16));
    TargetOps.add(b, List.of(TargetSpec.external("old/x-1.0.tar.gz", 5, Map.of("sha256", HEX))));
    dev.tufsh.ops.Publishing.publish(b);
    Trees.copy(first, dir.resolve("r1"));
    return List.of(b, Benches.at(dir.resolve("r1"), CLOCK));
  }

  /** {@code text} added from a list by bytes, and (to the twin) line by line as before: what each gives. */
  private List<String> bothWays(List<Workbench> w, String text) throws Exception {
    Path list = dir.resolve("list.txt");
    Files.write(list, text.getBytes(StandardCharsets.UTF_8));
    Files.writeString(dir.resolve("here.whl"), "a file here");
    List<String> out = new ArrayList<>();
    TargetListFile l = new TargetListFile(list);
    try {
      TargetOps.Result r = TargetOps.add(w.get(0), List.of(), new TargetList(list, l::parse),
          TargetOps.AddOptions.DEFAULTS);
      out.add(r.count() + " " + r.roleByPath() + " " + r.versions() + " " + r.warnings());
    } catch (RuntimeException e) {
      out.add(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    try (TargetListFile old = new TargetListFile(list)) {
      TargetOps.Result r = TargetOps.add(w.get(1), old, TargetOps.AddOptions.DEFAULTS);
      out.add(r.count() + " " + r.roleByPath() + " " + r.versions() + " " + r.warnings());
    } catch (RuntimeException e) {
      out.add(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return out;
  }

  @Test
  void a_list_read_as_bytes_stages_the_bytes_a_line_by_line_read_stages() throws Exception {
    List<Workbench> w = twins();
    StringBuilder text = new StringBuilder("# a PyPI-like list\n\n");
    for (int i = 0; i < 300; i++) {
      String end = i % 3 == 0 ? "\r\n" : i % 7 == 0 ? "\r" : "\n";
      text.append("p/").append(i).append("/pkg-").append(i).append(".whl\t").append(100 + i).append("  ")
          .append(String.format("%064x", i)).append(end);
    }
    text.append("'with space/a b.whl' 3 ").append(HEX).append('\n'); // quoted: read line by line
    text.append("p\u00e9/\u4e2d.whl 4 ").append(HEX).append('\n'); // not ASCII: the same
    text.append("pct/a%20b.whl 5 ").append(HEX).append('\n'); // URL-unsafe: warned about, as before
    text.append("p/1/pkg-1.whl 101 ").append(String.format("%064x", 1)).append('\n'); // again, the same
    text.append("here/x.whl here.whl\n"); // a file here
    text.append("p/last.whl 9 ").append(HEX); // no line end
    List<String> got = bothWays(w, text.toString());
    assertEquals(got.get(1), got.get(0));
    assertTrue(got.get(0).startsWith("305 "), got.get(0));
    Map<String, byte[]> a = Benches.stagedFiles(w.get(0));
    Map<String, byte[]> b = Benches.stagedFiles(w.get(1));
    assertEquals(b.keySet(), a.keySet());
    for (String r : a.keySet()) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(b.get(r), a.get(r), r);
    }
    assertEquals(w.get(1).repository().staging().files().keySet(), w.get(0).repository().staging().files().keySet());
    assertEquals(Map.of(), dev.tufsh.ops.Publishing.review(w.get(0)).invalid(), "every staged signature verifies");
  }

  @ParameterizedTest
  @ValueSource(strings = {"b.whl x HEX", "b.whl -1 HEX", "b.whl 1 " + "AB", "b.whl 1 ABABABABABABABABABABABABABABABAB"
      + "ABABABABABABABABABABABABABABABAB", "/abs.whl 1 HEX", "a/../b.whl 1 HEX", "a//b.whl 1 HEX", "C:b.whl 1 HEX",
      "old/x-1.0.tar.gz 6 HEX", "b.whl 1 HEX extra", "b.whl", "b\u0001.whl 1 HEX", "'b.whl 1 HEX"})
  void a_bad_line_is_refused_as_the_line_by_line_read_refuses_it(String bad) throws Exception {
    List<Workbench> w = twins();
    String text = "ok/a.whl 1 " + HEX + "\n" + bad.replace("HEX", HEX) + "\nok/b.whl 2 " + HEX + "\n";
    List<String> got = bothWays(w, text);
    assertEquals(got.get(1), got.get(0));
    assertTrue(got.get(0).startsWith("UsageError") || got.get(0).startsWith("MetadataError"), got.get(0));
    assertTrue(w.get(0).repository().staging().isEmpty(), "nothing staged");
  }

  @Test
  void a_line_that_is_not_utf8_is_refused_as_before() throws Exception {
    List<Workbench> w = twins();
    Path list = dir.resolve("list.txt");
    byte[] good = ("ok/a.whl 1 " + HEX + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] bad = {'b', (byte) 0xC3, '(', ' ', '1', ' ', 'x', '\n'};
    Files.write(list, concat(good, bad));
    UsageError fast = assertThrows(UsageError.class, () -> TargetOps.add(w.get(0), List.of(),
        new TargetList(list, new TargetListFile(list)::parse), TargetOps.AddOptions.DEFAULTS));
    UsageError old = assertThrows(UsageError.class, () -> {
      try (TargetListFile l = new TargetListFile(list)) {
        TargetOps.add(w.get(1), l, TargetOps.AddOptions.DEFAULTS);
      }
    });
    assertEquals(old.getMessage(), fast.getMessage());
    assertTrue(w.get(0).repository().staging().isEmpty());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
