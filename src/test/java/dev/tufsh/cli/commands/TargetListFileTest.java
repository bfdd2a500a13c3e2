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

  private static final String HEX = "ab".repeat(32);

  /** A published repository of 16 bins at a fixed time, and a copy of it: two adds to compare. */
  private List<dev.tufsh.ops.Workbench> twoRepositories() throws Exception {
    java.time.Clock clock = dev.tufsh.testing.Benches.fixed(java.time.Instant.parse("2030-01-01T00:00:00Z"));
    dev.tufsh.ops.Workbench a = dev.tufsh.testing.Benches.at(dir.resolve("a"), clock);
    dev.tufsh.ops.Init.run(a, dev.tufsh.ops.Init.Request.defaults().withBins(16));
    dev.tufsh.ops.Publishing.publish(a);
    dev.tufsh.testing.Trees.copy(dir.resolve("a"), dir.resolve("b"));
    return List.of(a, dev.tufsh.testing.Benches.at(dir.resolve("b"), clock));
  }

  /**
   * The add reads a list's plain lines on their bytes and hands every other line to this parser:
   * a list of both, every way of spacing, quoting and ending a line, stages exactly what reading
   * the list a line at a time through this parser staged, with the same warnings.
   */
  @Test
  void a_list_read_on_its_bytes_stages_what_a_line_at_a_time_staged() throws Exception {
    StringBuilder sb = new StringBuilder("# a list\n\n");
    String[] forms = {"p/%d/x.whl %d " + HEX, "p/%d/tab.whl\t%d\t" + HEX, "  p/%d/lead.whl  %d   " + HEX + "  ",
        "'p/%d/a quoted path.whl' %d " + HEX, "p/%d/pct%%41.whl %d " + HEX, "p/%d/q?.whl %d " + HEX,
        "p/%d/zeros.whl 000%d " + HEX, "p/%d/c.whl %d " + HEX + " # a comment", "p/%d/A-Z_~.whl %d " + HEX};
    String[] ends = {"\n", "\r\n", "\r", "\n\n"};
    for (int i = 0; i < 300; i++) {
      sb.append(String.format(java.util.Locale.ROOT, forms[i % forms.length], i, i)).append(ends[i % ends.length]);
    }
    sb.append("p/0/x.whl 1 ").append("cd".repeat(32)).append("\n"); // listed again: the later wins
    sb.append("p/last.whl 1234567890123456789 ").append(HEX); // no end, a 19-digit length
    Path list = dir.resolve("mixed.list");
    Files.writeString(list, sb.toString(), StandardCharsets.US_ASCII);
    List<dev.tufsh.ops.Workbench> two = twoRepositories();
    dev.tufsh.ops.TargetOps.Result serial;
    try (TargetListFile l = new TargetListFile(list)) {
      serial = dev.tufsh.ops.TargetOps.add(two.get(0), l);
    }
    dev.tufsh.ops.TargetOps.Result bytes;
    try (TargetListFile l = new TargetListFile(list)) {
      bytes = dev.tufsh.ops.TargetOps.add(two.get(1), List.of(), l, dev.tufsh.ops.TargetOps.AddOptions.DEFAULTS);
    }
    assertEquals(301, serial.count());
    assertEquals(serial.count(), bytes.count());
    assertEquals(List.copyOf(serial.roleByPath().entrySet()), List.copyOf(bytes.roleByPath().entrySet()));
    assertEquals(serial.warnings(), bytes.warnings());
    assertFalse(serial.warnings().isEmpty(), "the '%' and '?' paths warn");
    var a = dev.tufsh.testing.Benches.stagedFiles(two.get(0));
    var b = dev.tufsh.testing.Benches.stagedFiles(two.get(1));
    assertEquals(a.keySet(), b.keySet());
    a.forEach((role, staged) -> org.junit.jupiter.api.Assertions.assertArrayEquals(staged, b.get(role), role));
  }

  /** A bad line among plain ones fails the add on its bytes as a line at a time: same class, same message. */
  @ParameterizedTest
  @ValueSource(strings = {"a/x.whl 1 2 3", "a/../x.whl 1 " + "ab", "/a.whl 1 HEX", "a/x.whl 1 HEX0", "a/x.whl -1 HEX",
      "a/x.whl 1 " + "AB", "a//x.whl 1 HEX", "C:/x.whl 1 HEX", "a/x.whl 1x HEX", "'a/x.whl 1 HEX", "a/.. 1 HEX"})
  void a_bad_line_fails_on_its_bytes_as_a_line_at_a_time(String bad) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      sb.append("ok/").append(i).append(".whl 1 ").append(HEX).append('\n');
    }
    sb.append(bad.replace("HEX", HEX)).append('\n').append("ok/last.whl 1 ").append(HEX).append('\n');
    Path list = dir.resolve("bad.list");
    Files.writeString(list, sb.toString(), StandardCharsets.US_ASCII);
    List<dev.tufsh.ops.Workbench> two = twoRepositories();
    RuntimeException serial;
    RuntimeException bytes;
    try (TargetListFile l = new TargetListFile(list)) {
      serial = assertThrows(RuntimeException.class, () -> dev.tufsh.ops.TargetOps.add(two.get(0), l));
    }
    try (TargetListFile l = new TargetListFile(list)) {
      bytes = assertThrows(RuntimeException.class, () -> dev.tufsh.ops.TargetOps.add(two.get(1), List.of(), l,
          dev.tufsh.ops.TargetOps.AddOptions.DEFAULTS));
    }
    assertEquals(serial.getClass(), bytes.getClass());
    assertEquals(serial.getMessage(), bytes.getMessage());
    assertTrue(bytes.getMessage().startsWith(list + ":21: "), bytes.getMessage());
  }
}
