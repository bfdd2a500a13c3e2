package dev.tufsh.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Folder trees for tests: a workspace built once and copied per test (keys and modes kept). */
public final class Trees {
  private Trees() {}

  /** Copies {@code from} to {@code to} with file and folder modes, over files there; returns {@code to}. */
  public static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
          Files.setPosixFilePermissions(q, Files.getPosixFilePermissions(p));
        } else {
          Files.copy(p, q, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return to;
  }
}
