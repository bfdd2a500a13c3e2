package dev.tufsh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tufsh.errors.MetadataError;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte check of a path ({@link Names#plainTargetPath}) takes a path of printable ASCII exactly
 * when {@link Names#checkTargetPath} does, and takes no other path (those go to the string check):
 * the list intake and the splice rely on it to refuse what the string check refuses.
 */
class PlainTargetPathTest {
  private static boolean checked(String path) {
    try {
      Names.checkTargetPath(path, "target path");
      return true;
    } catch (MetadataError e) {
      return false;
    }
  }

  private static boolean plain(String path) {
    byte[] b = ("xx" + path + "yy").getBytes(StandardCharsets.UTF_8); // at an offset, as in a list's chunk
    return Names.plainTargetPath(b, 2, b.length - 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "a/b.whl", "", "/a", "a/", "a//b", "./a", "a/.", "a/..", "../a", ".a", "a/..b",
      "a/.b/c", "..a", "...", "a\\b", "C:/x", "c:x", "Z:", "1:x", "::", "@:x", "[:x", "`:x", "{:x", "a:b", " a",
      "a b", "a\u007fb", "a\u0001b", "~/x", "a/b/c/d/e.tar.gz"})
  void a_printable_ascii_path_is_taken_exactly_when_the_string_check_takes_it(String path) {
    boolean ascii = path.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    assertEquals(ascii && checked(path), plain(path), path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"p\u00e9/x.whl", "\u4e2d", "a/\ud83d\ude00", "a\tb"})
  void any_other_path_goes_to_the_string_check(String path) {
    assertFalse(plain(path), path);
  }

  @Test
  void around_the_length_limit_and_over_random_paths() {
    for (int n : new int[] {4095, 4096, 4097}) {
      assertEquals(checked("a".repeat(n)), plain("a".repeat(n)), "length " + n);
    }
    Random r = new Random(73);
    String alphabet = "ab./\\: %?#C";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int k = r.nextInt(8); k > 0; k--) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String p = sb.toString();
      assertEquals(checked(p), plain(p), "'" + p + "'");
    }
  }
}
