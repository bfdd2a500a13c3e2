package dev.tufsh.repo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A cache in {@code .tufsh/} kept as tab-separated lines, one a role (its first field the key), each
 * batch of lines ended by a binding line ({@code "@ "} and what the entries describe, such as the
 * snapshot they were checked against). A publish appends the lines of what it changed and a new
 * binding instead of rewriting every role's line (16,384 bins for one upload); a reader takes the
 * last line of each key, and believes the file only when its very last line is the binding it
 * expects, so a torn append, a stale or a damaged file is never trusted, only rebuilt. Its writers
 * rewrite it whole before an append would take it past {@link #compactAt} lines.
 */
final class IndexJournal {
  /** The live line of every key (split into fields), how many lines the file had, and its binding. */
  record Contents(Map<String, String[]> entries, int lines, String binding) {}

  private static final String MARK = "@ ";
  /** A binding line is short; the tail read to find it is bounded by this. */
  private static final int TAIL = 4096;

  private IndexJournal() {}

  /**
   * The most lines a file of {@code roles} live entries may reach by appends: a quarter more (and a
   * few batches), so what a reader parses stays within 1.25x of the live lines.
   */
  static int compactAt(int roles) {
    return roles + roles / 4 + 64;
  }

  /**
   * The line count this process last counted or appended to, by the file's size, modification
   * time and inode: a warm session's every publish otherwise read the whole 1.8 MB published index
   * at 16,384 bins to count its lines (2.6 ms of a 50 ms upload). Only a cache's compaction timing
   * rests on it.
   */
  private record Counted(Path file, long size, long modified, Object key, long lines) {
    /** The file as it stands now, with {@code lines} (-1: its attributes only, to compare). */
    static Counted of(Path file, long lines) throws IOException {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return new Counted(file, a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.fileKey(), lines);
    }

    boolean same(Counted now) {
      return file.equals(now.file) && size == now.size && modified == now.modified
          && java.util.Objects.equals(key, now.key);
    }
  }

  private static volatile Counted counted;

  /** How many lines the file has (read in 64 KiB pieces, nothing kept), or -1 when it cannot be read. */
  static long lineCount(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      Counted held = counted;
      Counted now = Counted.of(file, -1);
      if (held != null && held.same(now)) {
        return held.lines();
      }
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      long n = 0;
      while (ch.read(buf) > 0) {
        byte[] a = buf.array();
        for (int i = 0, end = buf.position(); i < end; i++) {
          n += a[i] == '\n' ? 1 : 0;
        }
        buf.clear();
      }
      if (ch.size() == now.size()) {
        counted = new Counted(file, now.size(), now.modified(), now.key(), n);
      }
      return n;
    } catch (IOException e) {
      return -1;
    }
  }

  /** After an append of {@code added} lines to a file of {@code before}: its count, if it was held. */
  private static void appended(Path file, Counted before, long added) {
    Counted held = counted;
    if (held == null || before == null || !held.same(before)) {
      return;
    }
    try {
      counted = Counted.of(file, held.lines() + added);
    } catch (IOException e) {
      counted = null;
    }
  }

  /** The file's bytes, or null when it is missing or cannot be read. */
  static byte[] bytes(Path file) {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try {
      return AtomicFiles.readBounded(file, 1L << 30);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** As {@link #read}, each live line kept as its fields. */
  static Contents parse(byte[] bytes) {
    Read<String[]> r = read(bytes, f -> f);
    return r == null ? null : new Contents(r.entries(), r.lines(), r.binding());
  }

  /** The live entry of every key (as {@code entry} makes it of the line's fields), the count of lines, the binding. */
  record Read<T>(Map<String, T> entries, int lines, String binding) {}

  /**
   * The contents of a file's {@code bytes}, each key's live line made into an entry by {@code
   * entry} (given its tab-separated fields, the key first), or null when they are damaged or bound
   * to nothing. Read from the end, straight from the bytes: the first line met of each key is its
   * live one, so a stale line costs its key only, and a live one its entry (a daily's batch
   * doubled a 16,384-line index, and its upload held the whole file as one string, each line as
   * another and every field of every line as a third).
   */
  static <T> Read<T> read(byte[] bytes, java.util.function.Function<String[], T> entry) {
    return scan(bytes, (b, start, stop, key) -> entry.apply(fields(b, start, stop, key)));
  }

  /** As {@link #read}, each live line kept whole (without its newline): nothing split, nothing parsed. */
  static Read<String> lines(byte[] bytes) {
    return scan(bytes, (b, start, stop, key) -> utf8(b, start, stop));
  }

  /** Makes the entry of the line from {@code start} to {@code stop} (its newline) whose key is {@code key}. */
  private interface LineEntry<T> {
    T of(byte[] b, int start, int stop, String key);
  }

  private static <T> Read<T> scan(byte[] bytes, LineEntry<T> entry) {
    int end = bytes.length;
    if (end == 0 || bytes[end - 1] != '\n') {
      return null; // empty (bound to nothing), or a torn last line
    }
    int lastStart = lineStart(bytes, end - 1);
    if (!isMark(bytes, lastStart, end - 1)) {
      return null; // entries after the last binding belong to no batch that completed
    }
    String binding = utf8(bytes, lastStart + MARK.length(), end - 1);
    Map<String, T> entries = new HashMap<>();
    int lines = 1;
    for (int stop = lastStart - 1; stop >= 0; ) { // stop: the newline ending the line before
      int start = lineStart(bytes, stop);
      lines++;
      if (!isMark(bytes, start, stop)) {
        int tab = indexOf(bytes, (byte) '\t', start, stop);
        String key = utf8(bytes, start, tab);
        if (!entries.containsKey(key)) {
          entries.put(key, entry.of(bytes, start, stop, key));
        }
      }
      stop = start - 1;
    }
    return new Read<>(entries, lines, binding);
  }

  /** Where the line ending at the newline at {@code nl} starts. */
  private static int lineStart(byte[] b, int nl) {
    int i = nl - 1;
    while (i >= 0 && b[i] != '\n') {
      i--;
    }
    return i + 1;
  }

  /** Whether the line from {@code start} to {@code end} is a binding line (starts with {@link #MARK}). */
  private static boolean isMark(byte[] b, int start, int end) {
    return end - start >= MARK.length() && b[start] == MARK.charAt(0) && b[start + 1] == MARK.charAt(1);
  }

  private static int indexOf(byte[] b, byte c, int from, int end) {
    for (int i = from; i < end; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return end;
  }

  /** The line's tab-separated fields ({@code split("\t", -1)}), the first being {@code key}. */
  private static String[] fields(byte[] b, int start, int end, String key) {
    int n = 1;
    for (int i = start; i < end; i++) {
      n += b[i] == '\t' ? 1 : 0;
    }
    String[] f = new String[n];
    f[0] = key;
    int from = indexOf(b, (byte) '\t', start, end) + 1;
    for (int k = 1; k < n; k++) {
      int to = indexOf(b, (byte) '\t', from, end);
      f[k] = utf8(b, from, to);
      from = to + 1;
    }
    return f;
  }

  /** The bytes as text: UTF-8, which for the ASCII these files hold is one char a byte. */
  private static String utf8(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.UTF_8);
  }

  /** Writes {@code lines} (each without its newline) and then {@code binding}, replacing the file; gives its bytes. */
  static byte[] rewrite(Path file, Collection<String> lines, String binding) {
    byte[] b = batch(lines, binding);
    AtomicFiles.write(file, b);
    return b;
  }

  /** {@code lines}, each ended by a newline, then the binding line. */
  private static byte[] batch(Collection<String> lines, String binding) {
    StringBuilder sb = new StringBuilder(lines.size() * 128 + 128);
    lines.forEach(l -> sb.append(l).append('\n'));
    sb.append(MARK).append(binding).append('\n');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Appends {@code lines} and then {@code binding}, when the file now ends with the binding {@code
   * expected}, and gives the bytes appended; null (nothing written) when it does not, or cannot be
   * read or written.
   */
  static byte[] appendBatch(Path file, String expected, Collection<String> lines, String binding) {
    return appendBatch(file, expected, lines, binding, false);
  }

  /** As {@link #appendBatch}, flushed to disk before it returns when {@code durable}. */
  static byte[] appendBatch(Path file, String expected, Collection<String> lines, String binding, boolean durable) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      // Stated only when this file's count is held: the other journals' appends pay nothing.
      Counted held = counted;
      Counted before = held != null && held.file().equals(file) ? Counted.of(file, -1) : null;
      long size = ch.size();
      if (!expected.equals(lastBinding(ch, size))) {
        return null;
      }
      byte[] b = batch(lines, binding);
      ByteBuffer buf = ByteBuffer.wrap(b);
      long at = size;
      while (buf.hasRemaining()) {
        at += ch.write(buf, at);
      }
      if (durable) {
        ch.force(false);
      }
      appended(file, before != null && before.size() == size ? before : null, lines.size() + 1L);
      return b;
    } catch (IOException e) {
      return null; // only a cache: the next reader finds no binding it expects and rebuilds it
    }
  }

  /** The binding the file ends with, read from its tail only; null when it ends otherwise. */
  private static String lastBinding(FileChannel ch, long size) throws IOException {
    int n = (int) Math.min(size, TAIL);
    ByteBuffer buf = ByteBuffer.allocate(n);
    while (buf.hasRemaining() && ch.read(buf, size - n + buf.position()) > 0) {
      // read the whole tail
    }
    String tail = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    if (!tail.endsWith("\n")) {
      return null;
    }
    int start = tail.lastIndexOf('\n', tail.length() - 2) + 1;
    if (start == 0 && n < size) {
      return null; // no line break within the tail: not a binding line
    }
    String last = tail.substring(start, tail.length() - 1);
    return last.startsWith(MARK) ? last.substring(MARK.length()) : null;
  }
}
