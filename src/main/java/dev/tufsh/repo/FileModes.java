package dev.tufsh.repo;

import dev.tufsh.errors.WorkspaceError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Refuses files another local user could change, as sshd's StrictModes does: a group- or
 * world-writable folder clients fetch from lets anyone there rewrite what clients see.
 */
public final class FileModes {
  private FileModes() {}

  /** Throws when {@code path} is writable by its group or others, naming the mode it wants. */
  public static void requireNotWritableByOthers(Path path, String wanted) {
    Set<PosixFilePermission> p = permissions(path);
    if (p != null && (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE))) {
      throw new WorkspaceError(path + " is " + (p.contains(PosixFilePermission.OTHERS_WRITE) ? "world" : "group")
          + "-writable (mode " + octal(p) + "); tufsh wants " + wanted + ": chmod " + wanted + " " + path);
    }
  }

  /** The permissions of {@code path} (not following a link), or null where there are none to check. */
  static Set<PosixFilePermission> permissions(Path path) {
    try {
      return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IOException e) {
      return null;
    }
  }

  /** {@code rwxr-xr-x} as {@code 0755}. */
  public static String octal(Set<PosixFilePermission> p) {
    String s = PosixFilePermissions.toString(p);
    int n = 0;
    for (int i = 0; i < 9; i++) {
      n = n * 2 + (s.charAt(i) == '-' ? 0 : 1);
    }
    return String.format(java.util.Locale.ROOT, "%04o", n);
  }
}
