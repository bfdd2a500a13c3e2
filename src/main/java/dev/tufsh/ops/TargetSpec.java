package dev.tufsh.ops;

import java.nio.file.Path;
import java.util.Map;

/**
 * A target to add: a file here (hashed, copied into targets/ at publish), or a path with length
 * and hashes for a file stored elsewhere ({@code file} null). {@code origin} names where it was
 * read ({@code list.txt:12}) for an error about it, or is null.
 */
public record TargetSpec(String path, Path file, long length, Map<String, String> hashes, String origin) {
  public static TargetSpec ofFile(String path, Path file) {
    return new TargetSpec(path, file, -1, Map.of(), null);
  }

  public static TargetSpec external(String path, long length, Map<String, String> hashes) {
    return new TargetSpec(path, null, length, hashes, null);
  }

  /** The same target, read at {@code origin}. */
  public TargetSpec from(String origin) {
    return new TargetSpec(path, file, length, hashes, origin);
  }
}
