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
}
