package dev.tufsh.repo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Removes a killed publish's temp files from {@code metadata/} ({@link AtomicFiles#removeLeftovers})
 * without listing its 16,384+ names on every publish of a long-lived process: after a publish of
 * this process succeeded, the folder held no temp file (each was renamed into place or removed), and
 * as long as the folder's inode and change time (ctime, which every entry created, removed or
 * renamed in it sets to now, and which no user can set back) are what they were then, no name
 * came or went since, so there is nothing to remove. Anything else (another process wrote there, a
 * fresh process, a file system without ctime) lists the folder as before. A temp name missed is
 * debris at worst: nothing refers to it and writes never open one (random names, CREATE_NEW).
 */
final class Leftovers {
  private record Stamp(Object inode, Object ctime) {}

  private static final Map<Path, Stamp> CLEAN = new ConcurrentHashMap<>();

  private Leftovers() {}

  /** Removes leftovers in {@code dir} unless it is unchanged since this process left it clean. */
  static void remove(Path dir) {
    Path key = dir.toAbsolutePath().normalize();
    Stamp was = CLEAN.remove(key);
    if (was == null || !was.equals(stamp(dir))) {
      AtomicFiles.removeLeftovers(dir);
    }
  }

  /** Records that {@code dir} holds no temp file now (a publish just succeeded under the lock). */
  static void clean(Path dir) {
    Stamp s = stamp(dir);
    if (s != null) {
      if (CLEAN.size() >= 8) {
        CLEAN.clear(); // a server publishing to many repositories keeps a few
      }
      CLEAN.put(dir.toAbsolutePath().normalize(), s);
    }
  }

  /** The folder's inode and ctime, or null where the file system gives neither. */
  static Stamp stamp(Path dir) {
    try {
      Map<String, Object> a = Files.readAttributes(dir, "unix:ino,dev,ctime", LinkOption.NOFOLLOW_LINKS);
      Object ino = a.get("ino");
      Object ctime = a.get("ctime");
      return ino == null || ctime == null ? null : new Stamp(a.get("dev") + ":" + ino, ctime);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }
}
