package dev.tufsh.repo;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this process last derived from a file in {@code .tufsh/} (a parsed index, the high-water
 * marks), given again only for the very same bytes: each command still reads the file, and
 * anything another process wrote there (a publish by another tufsh, a tampered or damaged file)
 * has other bytes and is parsed and judged as if nothing were held. Parsing 16,384 lines costs far
 * more than reading and comparing them; the bytes are compared whole, not by a digest.
 *
 * @param <T> the parsed value: immutable, or copied by the caller before it changes it
 */
final class SameBytes<T> {
  /** A value and the exact bytes it was derived from. */
  record Held<T>(byte[] bytes, T value) {}

  /** A long-lived server may serve a few repositories: it keeps a few files' values, not all. */
  private static final int FILES = 8;

  private final Map<Path, Held<T>> held = new ConcurrentHashMap<>();

  /** The value derived from {@code bytes}, when they are the bytes last recorded for {@code file}. */
  T get(Path file, byte[] bytes) {
    Held<T> h = held.get(key(file));
    return h != null && Arrays.equals(h.bytes, bytes) ? h.value : null;
  }

  /** What is held for {@code file}, or null. */
  Held<T> held(Path file) {
    return held.get(key(file));
  }

  /** Records that {@code bytes}, the file's content now, give {@code value}. */
  void put(Path file, byte[] bytes, T value) {
    if (held.size() >= FILES) {
      held.clear();
    }
    held.put(key(file), new Held<>(bytes, value));
  }

  void forget(Path file) {
    held.remove(key(file));
  }

  private static Path key(Path file) {
    return file.toAbsolutePath().normalize();
  }
}
