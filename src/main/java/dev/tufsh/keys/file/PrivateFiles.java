package dev.tufsh.keys.file;

import dev.tufsh.files.FileModes;
import dev.tufsh.keys.KeyStoreError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes secret files: owner-only from the moment they exist (the permissions are a creation
 * attribute, never a later chmod), fully on disk before they get their name (temp file in the same
 * folder, fsync, atomic rename, fsync of the folder), so a crash leaves the old file or the new one.
 */
public final class PrivateFiles {
  private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> GROUP_OR_OTHERS =
      PosixFilePermissions.fromString("---rwxrwx");

  private PrivateFiles() {}

  /**
   * Why {@code file} may not be read as a secret (sshd's StrictModes): it is a symbolic link, its
   * group or others have any access, it belongs to another user, or a folder on its path lets
   * another user replace it ({@link SecretOwnership}); empty when it is this user's alone. The
   * reason follows the file's name ("F is a symbolic link; ..."). Throws what reading its mode
   * throws (no such file, no POSIX modes on this file system).
   */
  public static java.util.Optional<String> notPrivate(Path file) throws IOException {
    if (Files.isSymbolicLink(file)) {
      return java.util.Optional.of("is a symbolic link; give the file itself");
    }
    java.util.Set<java.nio.file.attribute.PosixFilePermission> perms =
        Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
    if (!java.util.Collections.disjoint(perms, GROUP_OR_OTHERS)) {
      return java.util.Optional.of("is accessible by group or others (mode " + FileModes.octal(perms)
          + "); it must be owner-only: chmod 600 " + file);
    }
    return SecretOwnership.problem(file);
  }

  /**
   * The bytes of {@code file} (at most {@code max}), which {@link #notPrivate} passed: opened without
   * following a link (one planted after the check fails the open), read from that one open. With its
   * folders checked, no other user can have renamed another file onto the name in between.
   */
  public static byte[] readPrivate(Path file, int max) throws IOException {
    try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ,
        LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      if (size > max) {
        throw new IOException("the file is larger than " + max + " bytes");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // fills the buffer; a file that shrank meanwhile ends early
      }
      return buf.position() == buf.capacity() ? buf.array() : java.util.Arrays.copyOf(buf.array(), buf.position());
    }
  }

  /** Creates {@code dir} and missing parents, owner-only (0700). */
  public static void createDirectory(Path dir) {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      FileModes.createOwnerOnlyDirs(dir);
    } catch (IOException e) {
      throw new KeyStoreError("cannot create key folder " + dir + ": " + reason(e), e);
    }
  }

  /**
   * Writes {@code data} as {@code target}. Without {@code overwrite} an existing file is an error
   * naming it.
   */
  public static void write(Path target, byte[] data, boolean overwrite) {
    if (!overwrite) {
      refuseExisting(target);
    }
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", FileModes.ownerOnlyFile());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (!overwrite) {
        refuseExisting(target);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
      syncDirectory(dir);
    } catch (IOException e) {
      throw new KeyStoreError("cannot write key file " + target + ": " + reason(e), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The temp file holds only ciphertext; a leftover is harmless and hidden.
        }
      }
    }
  }

  /** The cause alone ("No space left on device"), not the temp file's name again. */
  static String reason(IOException e) {
    if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
  }

  static void refuseExisting(Path target) {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new KeyStoreError("key file " + target + " already exists; choose another name ('key import --overwrite' replaces an imported key)");
    }
  }

  /** Makes the rename durable; not every platform lets a folder be opened, which is fine. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // Windows cannot open folders; the rename itself is still atomic there.
    }
  }
}
