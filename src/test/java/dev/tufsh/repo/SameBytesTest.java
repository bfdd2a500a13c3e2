package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A value held for a file's bytes, as written and then appended to, is given again only while the
 * file holds exactly those bytes: {@link SameBytes#current} compares the file as it reads it, part
 * by part across its read chunks, and any other byte, length or kind of file gives nothing.
 */
class SameBytesTest {
  @TempDir Path dir;

  private static final int BASE = 200_000; // past several 64 KiB read chunks

  /** The base written whole, then two appended batches, as a publish's journal grows. */
  private SameBytes<String> held(Path file) throws Exception {
    byte[] base = new byte[BASE];
    new java.util.Random(7).nextBytes(base);
    byte[] a = "line a\n@ one\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] b = "line b\n@ two\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.write(file, concat(concat(base, a), b));
    SameBytes<String> s = new SameBytes<>();
    s.put(file, base, "base");
    s.putAppended(file, s.held(file), a, "a");
    s.putAppended(file, s.held(file), b, "value");
    return s;
  }

  @Test
  void the_very_bytes_give_the_value_read_part_by_part_or_whole() throws Exception {
    Path f = dir.resolve("index");
    SameBytes<String> s = held(f);
    assertEquals("value", s.current(f));
    assertEquals("value", s.get(f, Files.readAllBytes(f)));
  }

  record Change(String name, UnaryOperator<byte[]> bytes) {}

  static Stream<Change> changes() {
    return Stream.of(
        new Change("a byte of the base", b -> flip(b, 10)),
        new Change("the last byte of a read chunk", b -> flip(b, (64 << 10) - 1)),
        new Change("the first byte of the next chunk", b -> flip(b, 64 << 10)),
        new Change("a byte of the first appended batch", b -> flip(b, BASE + 2)),
        new Change("the last byte", b -> flip(b, b.length - 1)),
        new Change("a byte added", b -> Arrays.copyOf(b, b.length + 1)),
        new Change("the last byte cut", b -> Arrays.copyOf(b, b.length - 1)),
        new Change("emptied", b -> new byte[0]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void any_other_bytes_give_nothing(Change c) throws Exception {
    Path f = dir.resolve("index");
    SameBytes<String> s = held(f);
    byte[] now = c.bytes().apply(Files.readAllBytes(f));
    Files.write(f, now);
    assertNull(s.current(f), c.name());
    assertNull(s.get(f, now), c.name());
  }

  @Test
  void a_link_or_a_missing_file_is_not_compared_as_read() throws Exception {
    Path f = dir.resolve("index");
    SameBytes<String> s = held(f);
    Path real = dir.resolve("elsewhere");
    Files.move(f, real);
    assertNull(s.current(f), "missing");
    Files.createSymbolicLink(f, real);
    assertNull(s.current(f), "a link is never read by the held path; the caller reads and judges it");
    s.forget(f);
    Files.delete(f);
    Files.move(real, f);
    assertNull(s.current(f), "forgotten");
  }

  private static byte[] flip(byte[] b, int at) {
    byte[] c = b.clone();
    c[at] ^= 1;
    return c;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
