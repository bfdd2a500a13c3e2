package dev.tufsh.keys.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who could change a secret file besides this user: its owner, and whoever may rename entries in one
 * of the folders on its path (sshd's StrictModes). A secret is read by name; with every folder on the
 * way writable only by this user or root (or sticky, so no one else can rename what this user owns
 * there), no other user can point that name at a file of their choosing between the check and the
 * read. Linux: the owner of {@code /proc/self} is this process's effective uid; without it the owner
 * rules are not applied and only the folders' modes are.
 */
final class SecretOwnership {
  private static final int ROOT = 0;
  private static final int STICKY = 01000;
  private static final int GROUP_OR_OTHERS_WRITE = 022;
  /** This process's effective uid, or -1 when it cannot be told (no /proc). */
  private static final int SELF = selfUid();

  private SecretOwnership() {}

  /**
   * Why {@code file} (already known to be no link and owner-only) is not this user's to trust: it
   * belongs to another user, or a folder on its real path belongs to another user or may be written
   * by group or others without the sticky bit. The reason follows the file's name. Empty where the
   * file system has no unix attributes.
   */
  static Optional<String> problem(Path file) throws IOException {
    Optional<Attrs> own = attrs(file, LinkOption.NOFOLLOW_LINKS);
    if (own.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> owner = fileOwnerProblem(own.get().uid());
    return owner.isPresent() ? owner : folderProblem(file);
  }

  /** Why a secret file owned by {@code uid} is not this user's to trust, following the file's name. */
  static Optional<String> fileOwnerProblem(int uid) {
    return ownerProblem(uid, SELF).map(why -> "is " + why + "; give a file of your own");
  }

  /** Why a folder on {@code file}'s real path could let another user replace it, following the file's name. */
  static Optional<String> folderProblem(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    for (Path d = parent == null ? null : parent.toRealPath(); d != null; d = d.getParent()) {
      Optional<Attrs> a = attrs(d);
      if (a.isEmpty()) {
        return Optional.empty();
      }
      Optional<String> why = folderProblem(a.get().uid(), a.get().mode(), SELF);
      if (why.isPresent()) {
        return Optional.of("is in folder " + d + ", which " + why.get());
      }
    }
    return Optional.empty();
  }

  /** Why an owner {@code uid} is not trusted by a process running as {@code self} (-1: unknown). */
  static Optional<String> ownerProblem(int uid, int self) {
    if (self < 0 || uid == self || uid == ROOT) {
      return Optional.empty();
    }
    return Optional.of("owned by uid " + uid + ", not by this user (uid " + self + ") or root");
  }

  /** Why a folder with {@code uid} and {@code mode} could let another user replace a file in it. */
  static Optional<String> folderProblem(int uid, int mode, int self) {
    Optional<String> owner = ownerProblem(uid, self);
    if (owner.isPresent()) {
      return Optional.of("is " + owner.get() + ": that user could replace the file");
    }
    if ((mode & GROUP_OR_OTHERS_WRITE) != 0 && (mode & STICKY) == 0) {
      return Optional.of(String.format(Locale.ROOT, "group or others may write (mode %04o): they could replace the"
          + " file; chmod go-w the folder, or keep the file in a folder of your own", mode & 07777));
    }
    return Optional.empty();
  }

  private record Attrs(int uid, int mode) {}

  private static Optional<Attrs> attrs(Path p, LinkOption... options) throws IOException {
    Map<String, Object> m;
    try {
      m = Files.readAttributes(p, "unix:uid,mode", options);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty(); // no unix attributes on this file system: its modes were all there was to check
    }
    return Optional.of(new Attrs((Integer) m.get("uid"), (Integer) m.get("mode")));
  }

  private static int selfUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
