package dev.tufsh.ops;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Owner-only scratch files beside an output in a folder the user chose, named after the process
 * that made them: {@code .NAME.KIND-PID-START-RANDOM} (START: the process's start time in epoch
 * milliseconds, so a reused pid is not mistaken for the owner). A process killed mid-write leaves
 * one behind; {@link #removeStale} removes those it can prove are leftovers: the full naming, a
 * regular file (a link is never followed nor removed), owned by this user, and a process that is
 * gone (no such pid, or one that started at another time). Anything else is left alone.
 */
final class OwnedScratch {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern NAME = Pattern.compile("\\..+\\.([a-z]+)-([0-9]{1,19})-([0-9]{1,19})-[0-9a-f]{24}");

  private OwnedScratch() {}

  /** A new empty 0600 file {@code .NAME.KIND-PID-START-RANDOM} beside {@code target}, never through a link. */
  static Path create(Path target, String kind) throws IOException {
    ProcessHandle self = ProcessHandle.current();
    String owner = self.pid() + "-" + start(self).orElse(0L);
    while (true) {
      byte[] r = new byte[12];
      RANDOM.nextBytes(r);
      Path p = target.resolveSibling("." + target.getFileName() + "." + kind + "-" + owner + "-"
          + HexFormat.of().formatHex(r));
      try {
        FileChannel.open(p, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
            dev.tufsh.files.FileModes.ownerOnlyFile()).close();
        return p;
      } catch (FileAlreadyExistsException e) {
        // another random name
      }
    }
  }

  /**
   * Removes from {@code mine}'s folder the scratch files of {@code kinds} that processes of this
   * user left when killed; {@code mine} (a scratch file this process just made) says who the user
   * is. Best effort: what cannot be read or removed is left for the next run.
   */
  static int removeStale(Path mine, Set<String> kinds) {
    int removed = 0;
    try {
      UserPrincipal me = Files.getOwner(mine, LinkOption.NOFOLLOW_LINKS);
      try (var names = Files.newDirectoryStream(mine.toAbsolutePath().getParent(), ".*")) {
        for (Path p : names) {
          Matcher m = NAME.matcher(p.getFileName().toString());
          if (!m.matches() || !kinds.contains(m.group(1)) || p.getFileName().equals(mine.getFileName())) {
            continue;
          }
          PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (a.isRegularFile() && a.owner().equals(me) && gone(m.group(2), m.group(3)) && Files.deleteIfExists(p)) {
            removed++;
          }
        }
      }
    } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
      // not POSIX, unreadable, or a name out of range: nothing is provably ours
    }
    return removed;
  }

  /** True when no live process is the one that started at {@code start} with {@code pid}. */
  private static boolean gone(String pid, String start) {
    Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(pid));
    if (h.isEmpty() || !h.get().isAlive()) {
      return true;
    }
    // A live process of that pid: the owner unless its start time proves it is another one.
    long named = Long.parseLong(start);
    return named != 0 && start(h.get()).map(s -> s != named).orElse(false);
  }

  private static Optional<Long> start(ProcessHandle h) {
    return h.info().startInstant().map(java.time.Instant::toEpochMilli);
  }
}
