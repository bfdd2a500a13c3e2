package dev.tufsh.files;

import dev.tufsh.errors.WorkspaceError;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Set;

/**
 * The modes tufsh gives what it creates, spelled once for every layer: owner-only (0700, 0600) for
 * secrets and private state, public (0755, 0644) for what a web server running as another user
 * serves. A mode given at creation holds whatever the umask, which can only take bits away from
 * 0700 and 0600; public folders are set after creation, since a umask of 027 would take their
 * 0755 away.
 */
public final class FileModes {
  private FileModes() {}

  public static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> PUBLIC_DIR = PosixFilePermissions.fromString("rwxr-xr-x");
  public static final Set<PosixFilePermission> PUBLIC_FILE = PosixFilePermissions.fromString("rw-r--r--");

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  /** Creation attributes for an owner-only folder: none where the file system has no POSIX modes. */
  public static FileAttribute<?>[] ownerOnlyDir() {
    return attributes(OWNER_DIR);
  }

  /** Creation attributes for an owner-only file: none where the file system has no POSIX modes. */
  public static FileAttribute<?>[] ownerOnlyFile() {
    return attributes(OWNER_FILE);
  }

  /** Creates {@code dir} and its missing parents, each owner-only (0700); an existing folder stays as it is. */
  public static void createOwnerOnlyDirs(Path dir) throws IOException {
    Files.createDirectories(dir, ownerOnlyDir());
  }

  /** Creates {@code dir} and its missing parents, each 0755 whatever the umask; existing ones stay as they are. */
  public static void createPublicDirs(Path dir) throws IOException {
    Path p = dir.toAbsolutePath().normalize();
    ArrayDeque<Path> missing = new ArrayDeque<>();
    while (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      missing.push(p);
      p = p.getParent();
    }
    for (Path m : missing) {
      Files.createDirectory(m);
      if (POSIX) {
        Files.setPosixFilePermissions(m, PUBLIC_DIR);
      }
    }
  }

  /**
   * Throws when {@code path} is writable by its group or others, naming the mode it wants, as sshd's
   * StrictModes does: a group- or world-writable folder clients fetch from lets anyone there rewrite
   * what clients see. Nothing to check where the file system has no POSIX modes.
   */
  public static void requireNotWritableByOthers(Path path, String wanted) {
    Set<PosixFilePermission> p;
    try {
      p = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IOException e) {
      return;
    }
    if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new WorkspaceError(path + " is " + (p.contains(PosixFilePermission.OTHERS_WRITE) ? "world" : "group")
          + "-writable (mode " + octal(p) + "); tufsh wants " + wanted + ": chmod " + wanted + " " + path);
    }
  }

  /** Permissions as errors show them: {@code rwxr-xr-x} as {@code 0755}. */
  public static String octal(Set<PosixFilePermission> perms) {
    int m = 0;
    for (PosixFilePermission bit : perms) {
      m |= 1 << (8 - bit.ordinal());
    }
    return String.format(java.util.Locale.ROOT, "%04o", m);
  }

  private static FileAttribute<?>[] attributes(Set<PosixFilePermission> perms) {
    return POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)}
        : new FileAttribute<?>[0];
  }
}
