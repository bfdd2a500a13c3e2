package dev.tufsh.repo;

import dev.tufsh.errors.WorkspaceError;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The copies of one target file that clients fetch: one per listed hash ({@code dir/HASH.name})
 * and the plain name. The bytes are written once; every other name is a hard link to that file,
 * made under a temp name and renamed into place, so a reader sees the old copy or the new one. A
 * replaced plain name gets a new inode by the rename, so the hash-named links of older versions
 * keep their bytes. Where links are refused (another file system, FAT) each copy is written.
 */
final class TargetCopies {
  private TargetCopies() {}

  /** Writes {@code bytes} under the first of {@code names}, then links the others to it; returns how many. */
  static int write(List<Path> names, byte[] bytes) {
    Path first = names.get(0);
    AtomicFiles.write(first, bytes);
    for (Path p : names.subList(1, names.size())) {
      if (!link(first, p)) {
        AtomicFiles.write(p, bytes);
      }
    }
    return names.size();
  }

  private static boolean link(Path existing, Path name) {
    Path tmp = name.resolveSibling("." + name.getFileName() + ".link-" + Long.toHexString(System.nanoTime()));
    try {
      Files.createLink(tmp, existing);
    } catch (UnsupportedOperationException | FileSystemException e) {
      return false;
    } catch (IOException e) {
      throw new WorkspaceError("cannot link " + name + ": " + AtomicFiles.reason(e), e);
    }
    try {
      AtomicFiles.move(tmp, name);
      return true;
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the original error says more
      }
      throw new WorkspaceError("cannot write " + name + ": " + AtomicFiles.reason(e), e);
    }
  }
}
