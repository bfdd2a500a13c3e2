package dev.tufsh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tufsh.errors.MetadataError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A target path's length is counted in UTF-8 bytes only when it could be too long: around the
 * limit, with one-, three- and four-byte characters, it is refused exactly when its bytes exceed it;
 * the URL-unsafe characters are found whether or not the quick check runs.
 */
class TargetPathLengthTest {
  @ParameterizedTest(name = "{0} x {1}")
  @CsvSource({"a, 4096", "a, 4097", "\u4e2d, 1365", "\u4e2d, 1366", "\ud83d\ude00, 1024", "\ud83d\ude00, 1025",
      "\u00e9, 2048", "\u00e9, 2049"})
  void a_path_is_refused_exactly_when_its_utf8_bytes_exceed_the_limit(String unit, int times) {
    String path = unit.repeat(times);
    boolean tooLong = path.getBytes(StandardCharsets.UTF_8).length > Names.MAX_TARGET_PATH_BYTES;
    boolean refused;
    try {
      Names.checkTargetPath(path, "target path");
      refused = false;
    } catch (MetadataError e) {
      refused = e.getMessage().contains("longer than");
    }
    assertEquals(tooLong, refused);
  }

  @ParameterizedTest
  @CsvSource(value = {"a/b.whl|", "a/b%20c.whl|%", "a?b#c|?#", "a#b%c|%#", "#|#"}, delimiter = '|')
  void url_unsafe_characters_are_named(String path, String unsafe) {
    assertEquals(unsafe == null ? "" : unsafe, Names.urlUnsafeCharacters(path));
  }
}
