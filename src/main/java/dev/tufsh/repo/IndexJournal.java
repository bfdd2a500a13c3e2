package dev.tufsh.repo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * A cache in {@code .tufsh/} kept as tab-separated lines, one a role (its first field the key), each
 * batch of lines ended by a binding line ({@code "@ "} and what the entries describe, such as the
 * snapshot they were checked against). A publish appends the lines of what it changed and a new
 * binding instead of rewriting every role's line (16,384 bins for one upload); a reader takes the
 * last line of each key, and believes the file only when its very last line is the binding it
 * expects, so a torn append, a stale or a damaged file is never trusted, only rebuilt. It is
 * rewritten whole once stale lines outnumber live ones.
 */
final class IndexJournal {
  /** The live line of every key (split into fields), how many lines the file had, and its binding. */
  record Contents(Map<String, String[]> entries, int lines, String binding) {}

  private static final String MARK = "@ ";
  /** A binding line is short; the tail read to find it is bounded by this. */
  private static final int TAIL = 4096;

  private IndexJournal() {}

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

  /** The contents of a file's {@code bytes}, or null when they are damaged or bound to nothing. */
  static Contents parse(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    Map<String, String[]> entries = new HashMap<>();
    String binding = null;
    int lines = 0;
    for (int from = 0; from < text.length(); lines++) {
      int end = text.indexOf('\n', from);
      if (end < 0) {
        return null; // a torn last line
      }
      String line = text.substring(from, end);
      from = end + 1;
      if (line.startsWith(MARK)) {
        binding = line.substring(MARK.length());
        continue;
      }
      binding = null; // entries after the last binding belong to no batch that completed
      String[] f = line.split("\t", -1);
      entries.put(f[0], f);
    }
    return binding == null ? null : new Contents(entries, lines, binding);
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
