package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The journal's reader, which reads from the end straight from the bytes, gives what reading the
 * file front to back as text gave (the reader before it, kept here as the reference): the last
 * line of each key, the count of lines, the binding; and nothing for a torn or unbound file.
 */
class IndexJournalTest {
  record Case(String name, String text) {}

  static Stream<Case> cases() {
    return Stream.of(
        new Case("one batch", "61\t1\tx\n62\t2\ty\n@ bound 1\n"),
        new Case("a key repeated in later batches", "61\t1\n62\t1\n@ b1\n61\t2\n@ b2\n61\t3\t\t\n@ b3\n"),
        new Case("a key repeated within a batch", "61\t1\n61\t2\n@ b\n"),
        new Case("only a binding", "@ nothing yet\n"),
        new Case("an empty binding", "61\t1\n@ \n"),
        new Case("empty lines and fields", "\n61\n\t\t\n61\t\t\n@ b\n"),
        new Case("a line like a mark but not one", "@x\t1\n@\n@ b\n"),
        new Case("non-ASCII text", "r\u00e9le\t\u4e2d\t\u00ff\n@ b \u00e9\n"),
        new Case("invalid UTF-8 is replaced as before", "61\t\u0000\n@ b\n"),
        new Case("lines after the last binding", "61\t1\n@ b\n62\t1\n"),
        new Case("a torn last line", "61\t1\n@ b\n62\t1"),
        new Case("a torn binding", "61\t1\n@ b"),
        new Case("no binding at all", "61\t1\n62\t2\n"),
        new Case("empty", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reads_what_the_text_reader_read(Case c) {
    byte[] bytes = c.text().getBytes(StandardCharsets.UTF_8);
    if (c.name().startsWith("invalid")) {
      bytes[3] = (byte) 0xC3; // a lead byte followed by a tab: malformed
    }
    IndexJournal.Contents want = reference(bytes);
    IndexJournal.Contents got = IndexJournal.parse(bytes);
    if (want == null) {
      assertNull(got, c.name());
      return;
    }
    assertEquals(want.binding(), got.binding(), c.name());
    assertEquals(want.lines(), got.lines(), c.name());
    assertEquals(want.entries().keySet(), got.entries().keySet(), c.name());
    want.entries().forEach((k, f) -> assertArrayEquals(f, got.entries().get(k), c.name() + ": " + k));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(ints = {1, 2, 3})
  void a_journal_of_many_batches_reads_as_the_text_reader_read_it(int seed) {
    // Random batches over a few keys: the live line of each is its last, wherever it is.
    java.util.Random rnd = new java.util.Random(seed);
    StringBuilder sb = new StringBuilder();
    Map<String, String> last = new TreeMap<>();
    for (int batch = 0; batch < 40; batch++) {
      for (int i = rnd.nextInt(6); i > 0; i--) {
        String key = Integer.toHexString(rnd.nextInt(12));
        String line = key + "\t" + rnd.nextInt(100) + "\t" + "ab".repeat(rnd.nextInt(3));
        sb.append(line).append('\n');
        last.put(key, line);
      }
      sb.append("@ batch ").append(batch).append('\n');
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    IndexJournal.Contents got = IndexJournal.parse(bytes);
    assertEquals(reference(bytes).lines(), got.lines());
    assertEquals("batch 39", got.binding());
    Map<String, String> read = new TreeMap<>();
    got.entries().forEach((k, f) -> read.put(k, String.join("\t", f)));
    assertEquals(last, read);
  }

  /**
   * The count a publish remembers (so the next does not read the whole file to count it) follows
   * its own appends, and is dropped when anyone else changes the file: same length, new content.
   */
  @org.junit.jupiter.api.Test
  void the_line_count_follows_appends_and_sees_another_writer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("published.index");
    java.nio.file.Files.writeString(file, "61\t1\n62\t2\n@ b1\n");
    assertEquals(3, IndexJournal.lineCount(file));
    for (int i = 2; i <= 5; i++) {
      java.util.List<String> lines = java.util.Collections.nCopies(i, "6" + i + "\t" + i);
      org.junit.jupiter.api.Assertions.assertNotNull(IndexJournal.appendBatch(file, "b" + (i - 1), lines, "b" + i));
      assertEquals(reference(java.nio.file.Files.readAllBytes(file)).lines(), IndexJournal.lineCount(file), "after " + i);
    }
    long counted = IndexJournal.lineCount(file);
    // Another writer: the same number of bytes, two lines fewer (later mtime; a new inode too).
    String other = "61\t1\n62\t2\n@ b1\n";
    int pad = (int) java.nio.file.Files.size(file) - other.length() - 1;
    java.nio.file.Path tmp = dir.resolve("tmp");
    java.nio.file.Files.writeString(tmp, "6" + "x".repeat(pad) + "\n" + other);
    java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(4, IndexJournal.lineCount(file));
    org.junit.jupiter.api.Assertions.assertNotEquals(counted, 4L);
  }

  /** The reader before: the whole file as text, split into lines, each line into fields. */
  private static IndexJournal.Contents reference(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    Map<String, String[]> entries = new HashMap<>();
    String binding = null;
    int lines = 0;
    for (int from = 0; from < text.length(); lines++) {
      int end = text.indexOf('\n', from);
      if (end < 0) {
        return null;
      }
      String line = text.substring(from, end);
      from = end + 1;
      if (line.startsWith("@ ")) {
        binding = line.substring(2);
        continue;
      }
      binding = null;
      String[] f = line.split("\t", -1);
      entries.put(f[0], f);
    }
    return binding == null ? null : new IndexJournal.Contents(entries, lines, binding);
  }
}
