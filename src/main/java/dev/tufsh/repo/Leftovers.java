package dev.tufsh.repo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Removes a killed publish's temp files from {@code metadata/} ({@link AtomicFiles#removeLeftovers})
 * without listing its 16,384+ names on every publish: after a publish succeeded, the folder held no
 * temp file (each was renamed into place or removed), and as long as the folder's inode and change
 * time (ctime, which every entry created, removed or renamed in it sets to now, and which no user
 * can set back; since Linux 6.13 a change after a stat always shows a new one, before it a tick of a
 * few ms, far shorter than a new process's start) are what they were then, no name came or went
 * since, so there is nothing to remove.
 * The stamp is held in this process and kept in {@code .tufsh/} for the next one (a cron job's
 * upload is a new process each time). Anything else (another tool wrote there, no stamp, a file
 * system without ctime) lists the folder as before. A temp name missed is debris at worst: nothing
 * refers to it and writes never open one (random names, CREATE_NEW).
 */
final class Leftovers {
  private record Stamp(String inode, long ctime) {
    // Written out: a record's own equals links through ObjectMethods on first use (StartupLinksTest).
    @Override
    public boolean equals(Object o) {
      return o instanceof Stamp s && ctime == s.ctime && inode.equals(s.inode);
    }

    @Override
    public int hashCode() {
      return inode.hashCode() * 31 + Long.hashCode(ctime);
    }

    String line() {
      return FORMAT + inode + " " + ctime + "\n";
    }

    /** The stamp a {@link #line} gives, or null for anything else (a crash may leave it empty). */
    static Stamp parse(String s) {
      if (!s.startsWith(FORMAT) || !s.endsWith("\n")) {
        return null;
      }
      String[] f = s.substring(FORMAT.length(), s.length() - 1).split(" ", -1);
      try {
        return f.length == 2 ? new Stamp(f[0], Long.parseLong(f[1])) : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  private static final String FORMAT = "tufsh metadata clean 1 ";
  private static final String FILE = "metadata.clean";

  private static final Map<Path, Stamp> CLEAN = new ConcurrentHashMap<>();

  private Leftovers() {}

  /**
   * Removes leftovers in {@code dir} unless it is unchanged since a publish left it clean, as this
   * process remembers or as {@code privateDir}'s stamp says.
   */
  static void remove(Path dir, Path privateDir) {
    Path key = dir.toAbsolutePath().normalize();
    Stamp was = CLEAN.remove(key);
    if (was == null) {
      was = kept(privateDir.resolve(FILE));
    }
    if (was == null || !was.equals(stamp(dir))) {
      AtomicFiles.removeLeftovers(dir);
    }
  }

  /** Records that {@code dir} holds no temp file now (a publish just succeeded under the lock). */
  static void clean(Path dir, Path privateDir) {
    Stamp s = stamp(dir);
    Path file = privateDir.resolve(FILE);
    if (s == null) {
      AtomicFiles.deleteQuietly(file);
      return;
    }
    if (CLEAN.size() >= 8) {
      CLEAN.clear(); // a server publishing to many repositories keeps a few
    }
    CLEAN.put(dir.toAbsolutePath().normalize(), s);
    try {
      AtomicFiles.writeCache(file, s.line().getBytes(StandardCharsets.US_ASCII));
    } catch (RuntimeException e) {
      AtomicFiles.deleteQuietly(file); // only a cache: the next publish lists the folder
    }
  }

  /** Forgets what this process holds, as a new process starts (tests of the kept stamp). */
  static void forgetHeld() {
    CLEAN.clear();
  }

  private static Stamp kept(Path file) {
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > 256) {
        return null;
      }
      return Stamp.parse(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The folder's inode and ctime, or null where the file system gives neither. */
  static Stamp stamp(Path dir) {
    try {
      Map<String, Object> a = Files.readAttributes(dir, "unix:ino,dev,ctime", LinkOption.NOFOLLOW_LINKS);
      Object ino = a.get("ino");
      Object ctime = a.get("ctime");
      return ino == null || !(ctime instanceof java.nio.file.attribute.FileTime t) ? null
          : new Stamp(a.get("dev") + ":" + ino, t.to(TimeUnit.NANOSECONDS));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }
}
