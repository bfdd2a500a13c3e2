package dev.tufsh.trust;

import java.util.Optional;

/**
 * Where metadata files come from, by file name at the metadata root ({@code 2.root.json},
 * {@code timestamp.json}, {@code 7.snapshot.json}, {@code 3.bin-0a.json}). Empty means absent.
 * Called from several threads at once, so implementations must be thread-safe.
 */
@FunctionalInterface
public interface MetadataSource {
  Optional<byte[]> read(String fileName);
}
