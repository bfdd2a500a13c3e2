package dev.tufsh.repo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this process last derived from a file in {@code .tufsh/} (a parsed index, the high-water
 * marks), given again only for the very same bytes: each command still reads the file, and
 * anything another process wrote there (a publish by another tufsh, a tampered or damaged file)
 * has other bytes and is parsed and judged as if nothing were held. Parsing 16,384 lines costs far
 * more than reading and comparing them; the bytes are compared whole, not by a digest.
 *
 * <p>The bytes are held as the parts they were written in (the file, then each batch a publish
 * appended), and {@link #current} compares the file with them as it reads it, in small chunks: a
 * long-lived process's upload neither copies the 4-8 MB of a 16,384-bin index into a new array
 * each time it appends a line, nor reads the file into one to compare it.
 *
 * @param <T> the parsed value: immutable, or copied by the caller before it changes it
 */
final class SameBytes<T> {
  /** A value and the exact bytes it was derived from, in the parts they were written in. */
  static final class Held<T> {
    private final List<byte[]> parts;
    private final long length;
    private final T value;

    private Held(List<byte[]> parts, long length, T value) {
      this.parts = parts;
      this.length = length;
      this.value = value;
    }

    T value() {
      return value;
    }

    /** These bytes with {@code added} after them, giving {@code next}. */
    Held<T> appended(byte[] added, T next) {
      List<byte[]> p = new ArrayList<>(parts.size() + 1);
      p.addAll(parts);
      p.add(added);
      return new Held<>(p, length + added.length, next);
    }

    /** Whether {@code bytes} are these bytes. */
    boolean is(byte[] bytes) {
      if (bytes.length != length) {
        return false;
      }
      int at = 0;
      for (byte[] part : parts) {
        if (!Arrays.equals(part, 0, part.length, bytes, at, at + part.length)) {
          return false;
        }
        at += part.length;
      }
      return true;
    }
  }

  /** A long-lived server may serve a few repositories: it keeps a few files' values, not all. */
  private static final int FILES = 8;
  /** How much of the file {@link #current} reads at a time. */
  private static final int CHUNK = 64 << 10;

  private final Map<Path, Held<T>> held = new ConcurrentHashMap<>();

  /** The value derived from {@code bytes}, when they are the bytes last recorded for {@code file}. */
  T get(Path file, byte[] bytes) {
    Held<T> h = held.get(key(file));
    return h != null && h.is(bytes) ? h.value : null;
  }

  /**
   * The value held for {@code file} when the file (not followed if a link) holds exactly the bytes
   * it was derived from, compared as read; null when it does not, or cannot be read (the caller
   * then reads the file as a whole and judges it as if nothing were held).
   */
  T current(Path file) {
    Held<T> h = held.get(key(file));
    if (h == null) {
      return null;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      if (ch.size() != h.length) {
        return null;
      }
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, h.length)));
      long pos = 0;
      for (byte[] part : h.parts) {
        int done = 0;
        while (done < part.length) {
          buf.clear().limit(Math.min(buf.capacity(), part.length - done));
          int n = ch.read(buf, pos);
          if (n <= 0) {
            return null; // shorter than it said
          }
          if (!Arrays.equals(buf.array(), 0, n, part, done, done + n)) {
            return null;
          }
          done += n;
          pos += n;
        }
      }
      buf.clear().limit(1);
      return ch.read(buf, pos) <= 0 ? h.value : null; // and nothing after them
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** What is held for {@code file}, or null. */
  Held<T> held(Path file) {
    return held.get(key(file));
  }

  /** Records that {@code bytes}, the file's content now, give {@code value}. */
  void put(Path file, byte[] bytes, T value) {
    put(file, new Held<>(List.of(bytes), bytes.length, value));
  }

  /** Records that the file now holds {@code before}'s bytes with {@code added} after them, giving {@code value}. */
  void putAppended(Path file, Held<T> before, byte[] added, T value) {
    put(file, before.appended(added, value));
  }

  private void put(Path file, Held<T> h) {
    if (held.size() >= FILES) {
      held.clear();
    }
    held.put(key(file), h);
  }

  void forget(Path file) {
    held.remove(key(file));
  }

  private static Path key(Path file) {
    return file.toAbsolutePath().normalize();
  }
}
