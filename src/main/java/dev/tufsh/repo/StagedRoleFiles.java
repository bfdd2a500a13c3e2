package dev.tufsh.repo;

import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.files.FileModes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The staged roles whose bytes are files of their own ({@code .tufsh/staged/roles/ID}, beside
 * {@code metadata/} on the same file system), not records of the staging log: a large batch (the
 * daily job's 16,384 bins) writes each role's bytes once, and publish hard-links that file into
 * {@code metadata/} under its consistent-snapshot name instead of writing the bytes again. The
 * log's record names the file by a random id (never reused, so a reader holding an old scan finds
 * no file rather than another role's bytes) and gives its length.
 *
 * <p>A file is created new ({@code CREATE_NEW}, never through a link), owner-only like all of
 * {@code .tufsh/}, and made 0644 (what a web server running as another user must read) by publish
 * just before it links it, when its bytes are published; owner-only again if that link or the
 * publish fails ({@link #restrict}). It is never written again. Files no log record names (a batch killed before its
 * commit, a role staged again) are removed by the next writer, under the workspace lock.
 */
final class StagedRoleFiles {
  static final String DIR = "roles";
  private static final int ID_BYTES = 16;
  private static final Pattern ID = Pattern.compile("[0-9a-f]{" + (2 * ID_BYTES) + "}");
  private static final SecureRandom RANDOM = new SecureRandom();
  /**
   * Each staged role file this process wrote or read, as it was then (inode, size, modification
   * time): publish verifies the bytes it read and then links the file itself, so a file replaced
   * or rewritten in between (by another writer in {@code .tufsh/}) would be published unverified.
   * {@link #link} refuses a file that is no longer the one seen.
   */
  private static final java.util.Map<Path, Seen> SEEN = new java.util.concurrent.ConcurrentHashMap<>();

  private record Seen(Object fileKey, long size, long modifiedNanos) {
    // Written out: a record's own equals links through ObjectMethods, slow in a cold JVM (StartupLinksTest).
    @Override
    public boolean equals(Object o) {
      return o instanceof Seen x && java.util.Objects.equals(fileKey, x.fileKey) && size == x.size
          && modifiedNanos == x.modifiedNanos;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hashCode(fileKey) * 31 + Long.hashCode(size);
    }

    static Seen of(Path f) throws IOException {
      var a = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return new Seen(a.fileKey(), a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
    }
  }

  private StagedRoleFiles() {}

  /** Whether {@code id} is a name this class makes: a log record naming anything else is damage. */
  static boolean validId(String id) {
    return ID.matcher(id).matches();
  }

  static Path dir(Path staged) {
    return staged.resolve(DIR);
  }

  /** A new file holding {@code bytes}, not flushed (see {@link #flush}); returns its id. */
  static String create(Path staged, byte[] bytes) {
    Path d = dir(staged);
    while (true) {
      byte[] r = new byte[ID_BYTES];
      RANDOM.nextBytes(r);
      String id = Hex.encode(r);
      Path f = d.resolve(id);
      try (FileChannel ch = FileChannel.open(f, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(FileModes.OWNER_FILE))) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.close();
        SEEN.put(f, Seen.of(f));
        return id;
      } catch (FileAlreadyExistsException e) {
        continue; // 128 random bits: never, but never overwrite
      } catch (IOException e) {
        AtomicFiles.deleteQuietly(f);
        throw new WorkspaceError("cannot write " + f + ": " + AtomicFiles.reason(e), e);
      }
    }
  }

  /** Makes the folder for staged role files, owner-only. */
  static void makeDir(Path staged) {
    try {
      Workspace.ownerOnlyDir(dir(staged));
    } catch (IOException e) {
      throw new WorkspaceError("cannot create " + dir(staged) + ": " + AtomicFiles.reason(e), e);
    }
  }

  /** The bytes of staged role file {@code id}, which must be {@code length} long. */
  static byte[] read(Path staged, String id, int length) {
    Path f = dir(staged).resolve(id);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      if (ch.size() != length) {
        throw new WorkspaceError(f + " is " + ch.size() + " bytes, not the " + length
            + " its staging record says (a crash while staging?); run 'discard' to drop staged changes");
      }
      Seen before = Seen.of(f);
      ByteBuffer buf = ByteBuffer.allocate(length);
      while (buf.hasRemaining()) {
        if (ch.read(buf, buf.position()) < 0) {
          throw new WorkspaceError(f + " ended before its " + length + " bytes; run 'discard' to drop staged changes");
        }
      }
      if (!before.equals(Seen.of(f))) {
        throw new WorkspaceError(f + " changed while this command read it (another writer published or staged"
            + " meanwhile); run the command again");
      }
      SEEN.put(f, before);
      return buf.array();
    } catch (NoSuchFileException e) {
      throw new WorkspaceError(f + " changed while this command read it (another writer published or staged"
          + " meanwhile); run the command again", e);
    } catch (IOException e) {
      throw new WorkspaceError("cannot read " + f + ": " + AtomicFiles.reason(e), e);
    }
  }

  /** Makes the files {@code ids} and their folder durable: one file-system flush, else each file. */
  static void flush(Path staged, Collection<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    Path d = dir(staged);
    AtomicFiles.flushAll(ids.stream().map(d::resolve).toList());
  }

  /** Removes staged role files {@code ids} (those no record names any more); best effort. */
  static void delete(Path staged, Collection<String> ids) {
    Path d = dir(staged);
    ids.parallelStream().forEach(id -> {
      SEEN.remove(d.resolve(id));
      AtomicFiles.deleteQuietly(d.resolve(id));
    });
  }

  /** Removes the folder when no file is left in it (a failed batch's, the last one swept). */
  static void removeDirIfEmpty(Path staged) {
    try {
      Files.deleteIfExists(dir(staged));
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      // still holds staged roles
    } catch (IOException e) {
      // an empty folder left behind is harmless; the next discard removes it
    }
  }

  /** Removes every file in the folder that {@code live} does not name, and anything else planted there. */
  static void sweep(Path staged, Set<String> live) {
    Path d = dir(staged);
    if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var names = Files.list(d)) {
      names.filter(p -> !live.contains(p.getFileName().toString())).toList().parallelStream()
          .forEach(AtomicFiles::deleteQuietly);
      if (live.isEmpty()) {
        removeDirIfEmpty(staged);
      }
    } catch (IOException e) {
      throw new WorkspaceError("cannot clean up " + d + ": " + AtomicFiles.reason(e), e);
    }
  }

  /** Removes the folder and every file in it; returns how many files it removed. */
  static int deleteAll(Path staged) {
    Path d = dir(staged);
    if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    try {
      if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(d); // a file or link planted under the folder's name
        return 1;
      }
      int n;
      try (var names = Files.list(d)) {
        var all = names.toList();
        all.parallelStream().forEach(AtomicFiles::deleteQuietly);
        n = all.size();
      }
      Files.deleteIfExists(d);
      return n;
    } catch (IOException e) {
      throw new WorkspaceError("cannot remove " + d + ": " + AtomicFiles.reason(e), e);
    }
  }

  /**
   * Puts staged role file {@code id} into place at {@code target} (a name in {@code metadata/}
   * nothing refers to yet) as a hard link: the bytes already on disk, flushed when the batch that
   * staged them committed. A file already there (left by a killed publish) is replaced atomically.
   * False when the file system cannot link it there (another file system, no hard links): the
   * caller writes the bytes instead, and the staged file is owner-only again.
   */
  static boolean link(Path staged, String id, Path target) {
    Path source = dir(staged).resolve(id);
    Seen seen = SEEN.get(source);
    try {
      requireSeen(source, seen);
      // Its bytes are published now. Not through a link: a staged name that is one is never published.
      mode(source, FileModes.PUBLIC_FILE);
    } catch (UnsupportedOperationException | IOException e) {
      return false;
    }
    if (hardLink(source, target)) {
      try {
        requireSeen(target, seen); // not swapped between the check above and the link
      } catch (RuntimeException | IOException e) {
        AtomicFiles.deleteQuietly(target);
        restrict(staged, id);
        throw e instanceof WorkspaceError w ? w : changed(source);
      }
      SEEN.remove(source);
      return true;
    }
    restrict(staged, id);
    return false;
  }

  /** Throws unless {@code f} is still the file this process wrote or read as {@code seen} (when it saw it at all). */
  private static void requireSeen(Path f, Seen seen) throws IOException {
    if (seen != null && !seen.equals(Seen.of(f))) {
      throw changed(f);
    }
  }

  private static WorkspaceError changed(Path f) {
    return new WorkspaceError(f + " changed after this command read and checked it (another writer in .tufsh/?);"
        + " nothing of it is published; run the command again");
  }

  /**
   * Makes staged role file {@code id} owner-only again: a publish that linked it failed before
   * timestamp.json (its {@code metadata/} name is removed again), so its bytes are still only
   * staged. Does not follow a link.
   */
  static void restrict(Path staged, String id) {
    Path f = dir(staged).resolve(id);
    try {
      mode(f, FileModes.OWNER_FILE);
    } catch (NoSuchFileException e) {
      // gone (discarded meanwhile): nothing left to protect
    } catch (IOException e) {
      throw new WorkspaceError("cannot make " + f + " owner-only again: " + AtomicFiles.reason(e), e);
    }
  }

  private static void mode(Path f, Set<java.nio.file.attribute.PosixFilePermission> mode) throws IOException {
    Files.getFileAttributeView(f, java.nio.file.attribute.PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setPermissions(mode);
  }

  private static boolean hardLink(Path source, Path target) {
    try {
      Files.createLink(target, source);
      return true;
    } catch (FileAlreadyExistsException e) {
      try {
        if (Files.isSameFile(target, source)) {
          return true;
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + AtomicFiles.TEMP_MARK + Hex.encode(random()));
        Files.createLink(tmp, source);
        try {
          AtomicFiles.move(tmp, target);
        } catch (IOException x) {
          AtomicFiles.deleteQuietly(tmp);
          throw x;
        }
        return true;
      } catch (UnsupportedOperationException | IOException x) {
        return false;
      }
    } catch (UnsupportedOperationException | IOException e) {
      return false;
    }
  }

  private static byte[] random() {
    byte[] r = new byte[12];
    RANDOM.nextBytes(r);
    return r;
  }
}
