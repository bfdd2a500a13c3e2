package dev.tufsh.repo;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.WorkspaceError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
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

  /**
   * Copies {@code source} under the first of {@code names}, streamed and checked on the way against
   * the length and digests it was added with (a file changed since is refused, and nothing of it
   * is left behind), then links the others to that copy; returns how many names it wrote.
   */
  static int copy(List<Path> names, StagedFile f) {
    Path first = names.get(0);
    AtomicFiles.write(first, ch -> copyChecked(f, ch));
    for (Path p : names.subList(1, names.size())) {
      if (!link(first, p)) {
        AtomicFiles.write(p, ch -> {
          try (FileChannel in = FileChannel.open(first, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long done = 0;
            long size = in.size();
            while (done < size) {
              done += in.transferTo(done, size - done, ch);
            }
          }
        });
      }
    }
    return names.size();
  }

  private static void copyChecked(StagedFile f, FileChannel out) throws IOException {
    Map<String, MessageDigest> mds = new LinkedHashMap<>();
    f.hashes().keySet().forEach(a -> mds.put(a, Crypto.tufDigest(a)));
    long length = 0;
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    try (FileChannel in = FileChannel.open(Path.of(f.source()), StandardOpenOption.READ)) {
      while (in.read(buf) > 0) {
        buf.flip();
        length += buf.remaining();
        if (length > f.length()) {
          break;
        }
        for (MessageDigest md : mds.values()) {
          md.update(buf.array(), 0, buf.limit());
        }
        while (buf.hasRemaining()) {
          out.write(buf);
        }
        buf.clear();
      }
    } catch (IOException e) {
      throw new WorkspaceError("target " + f.path() + ": cannot read " + f.source() + ": " + AtomicFiles.reason(e), e);
    }
    if (length != f.length()) {
      throw changed(f, "length");
    }
    for (var m : mds.entrySet()) {
      if (!Hex.encode(m.getValue().digest()).equals(f.hashes().get(m.getKey()))) {
        throw changed(f, m.getKey());
      }
    }
  }

  private static WorkspaceError changed(StagedFile f, String what) {
    return new WorkspaceError("target " + f.path() + ": " + f.source() + " changed since it was added (" + what + ")");
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
