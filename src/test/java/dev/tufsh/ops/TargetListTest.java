package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tufsh.model.Names;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte-level reading of a --list line takes only what the line-by-line reading accepts as it
 * is: a path it takes is one {@link Names#checkTargetPath} passes with nothing URL-unsafe in it.
 */
class TargetListTest {
  private static final String HEX = "0123456789abcdef".repeat(4);

  @ParameterizedTest
  @ValueSource(strings = {"a", "a/b.whl", "ab/cd/x-1.0.tar.gz", "a.b/c..d/.e", "..a/b", "a/...", "*[x]{y}~!@$&()+=,",
      "/abs", "a//b", "a/", "./a", "a/./b", "a/..", "..", ".", "C:x", "c:/x", "1:x", ":x", "a:b", "a%20b", "a?b",
      "a#b", "a\\b", "x\u007f", "a b", "\u00e9"})
  void a_plain_path_is_one_the_checks_take_without_a_warning(String path) {
    boolean taken;
    try {
      Names.checkTargetPath(path, "target path");
      taken = Names.urlUnsafeCharacters(path).isEmpty();
    } catch (RuntimeException e) {
      taken = false;
    }
    byte[] b = path.getBytes(StandardCharsets.UTF_8);
    boolean ascii = path.chars().allMatch(c -> c > ' ' && c < 0x7f);
    assertEquals(taken && ascii, TargetList.plainPath(b, 0, b.length), path);
    byte[] tooLong = ("a/".repeat(2048) + "b").getBytes(StandardCharsets.US_ASCII);
    assertEquals(false, TargetList.plainPath(tooLong, 0, tooLong.length));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b.whl 12 HEX", "\ta/b.whl\t12  HEX  ", "a/b.whl 007 HEX", "# a comment", "   ", "",
      "  #a comment", "a/b.whl +12 HEX", "a/b.whl -1 HEX", "a/b.whl 1x HEX", "a/b.whl 12 HEXf", "a/b.whl 12 ABCD",
      "a/b.whl 1234567890123456789 HEX", "a/b.whl dist/b.whl", "'a b' 1 HEX", "a;b 1 HEX", "a#b 1 HEX",
      "a/b.whl 1 HEX # c", "a/b.whl 1 HEX x", "/a 1 HEX", "a%b 1 HEX", "\u00e9 1 HEX", "a\u000bb 1 HEX"})
  void a_fast_line_reads_as_the_line_by_line_split_reads_it(String template) {
    String line = template.replace("HEX", HEX);
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    List<String> got = new ArrayList<>();
    boolean fast = TargetList.fastLine(b, 0, b.length, (x, pf, pt, length, hf) -> got.add(
        new String(x, pf, pt - pf, StandardCharsets.US_ASCII) + " " + length + " "
            + new String(x, hf, 64, StandardCharsets.US_ASCII)));
    if (!fast) {
      assertEquals(List.of(), got);
      return; // left to the line-by-line reading, which says what is wrong with it
    }
    String l = line.strip();
    if (l.isEmpty() || l.startsWith("#")) {
      assertEquals(List.of(), got, "blank or a comment");
      return;
    }
    String[] w = l.split("[ \t]+");
    assertEquals(3, w.length, line);
    assertEquals(List.of(w[0] + " " + Long.parseLong(w[1]) + " " + w[2]), got);
    Names.checkTargetPath(w[0], "target path");
    assertEquals("", Names.urlUnsafeCharacters(w[0]));
  }
}
