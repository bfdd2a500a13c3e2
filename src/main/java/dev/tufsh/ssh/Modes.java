package dev.tufsh.ssh;

import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** File modes as errors show them ({@code 0644}). */
final class Modes {
  private Modes() {}

  static String octal(Set<PosixFilePermission> perms) {
    int m = 0;
    for (PosixFilePermission p : perms) {
      m |= 1 << (8 - p.ordinal());
    }
    return String.format(java.util.Locale.ROOT, "%04o", m);
  }
}
