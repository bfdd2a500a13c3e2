package dev.tufsh.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a suite may ask of the run: its mode, the core count, input sizes and a scratch folder. */
public final class Context {
  private final Mode mode;
  private final int cores;
  private final Path scratch;

  Context(Mode mode, int cores, Path scratch) {
    this.mode = mode;
    this.cores = cores;
    this.scratch = scratch;
  }

  public Mode mode() {
    return mode;
  }

  /** Threads for the "all cores" measurements. */
  public int cores() {
    return cores;
  }

  /** {@code full} normally, {@code smoke} in smoke mode, so the smoke test stays fast. */
  public int size(int full, int smoke) {
    return mode.smallInputs ? smoke : full;
  }

  /** A fresh folder under the run's scratch folder, deleted when the run ends. */
  public Path newFolder(String prefix) {
    try {
      Files.createDirectories(scratch);
      return Files.createTempDirectory(scratch, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch folder under " + scratch, e);
    }
  }
}
