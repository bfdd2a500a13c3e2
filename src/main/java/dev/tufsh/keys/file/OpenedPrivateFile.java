package dev.tufsh.keys.file;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A secret file read through one open: {@code open(O_NOFOLLOW)}, then the opened file's own mode
 * and owner ({@code statx} on its descriptor) and its folders' ({@link SecretOwnership}), then its
 * bytes from that descriptor. A check by name followed by an open by name has a window in which the
 * name can be pointed at another file (a link, a rename); here what is checked is what is read. Linux on x86-64 and aarch64 (where O_NOFOLLOW's
 * value is known); elsewhere {@link #supported} is false and callers keep the check by name.
 */
public final class OpenedPrivateFile {
  /** Why the opened file may not be read as a secret, or its bytes. */
  public record Read(Optional<String> refused, byte[] bytes) {}

  private interface LibC extends Library {
    int open(String path, int flags) throws LastErrorException;

    int statx(int dirfd, String path, int flags, int mask, byte[] buf) throws LastErrorException;

    NativeLong read(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    int close(int fd);
  }

  private static final int O_CLOEXEC = 02000000;
  private static final int O_NOFOLLOW;
  private static final int AT_EMPTY_PATH = 0x1000;
  private static final int STATX_TYPE_MODE_UID = 0x3 | 0x8;
  private static final int ELOOP = 40;
  private static final int ENOENT = 2;
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final LibC C;

  static {
    String arch = System.getProperty("os.arch");
    boolean linux = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux");
    O_NOFOLLOW = !linux ? 0 : arch.equals("amd64") || arch.equals("x86_64") ? 0400000
        : arch.equals("aarch64") ? 0100000 : 0;
    LibC c = null;
    if (O_NOFOLLOW != 0) {
      try {
        c = Native.load("c", LibC.class);
      } catch (UnsatisfiedLinkError e) {
        c = null; // no libc to load: the check by name stays
      }
    }
    C = c;
  }

  private OpenedPrivateFile() {}

  public static boolean supported() {
    return C != null;
  }

  /**
   * {@code file}'s bytes (at most {@code max}), or why it is refused: the reasons of {@link
   * PrivateFiles#notPrivate} (a link; access by group or others; another owner), judged on the
   * opened file, and "is not a regular file". Throws NoSuchFileException when there is none, IOException otherwise.
   */
  public static Read read(Path file, int max) throws IOException {
    int fd;
    try {
      fd = C.open(file.toString(), O_NOFOLLOW | O_CLOEXEC);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ELOOP) {
        return new Read(Optional.of("is a symbolic link; give the file itself"), null);
      }
      if (e.getErrorCode() == ENOENT) {
        throw new NoSuchFileException(file.toString());
      }
      throw new IOException(file + ": cannot open (errno " + e.getErrorCode() + ")");
    }
    byte[] chunk = new byte[8192];
    try {
      byte[] stx = new byte[256];
      C.statx(fd, "", AT_EMPTY_PATH, STATX_TYPE_MODE_UID, stx);
      ByteBuffer st = ByteBuffer.wrap(stx).order(ByteOrder.nativeOrder());
      int mode = st.getShort(28) & 0xffff;
      if ((mode & S_IFMT) != S_IFREG) {
        return new Read(Optional.of("is not a regular file"), null);
      }
      if ((mode & 077) != 0) {
        return new Read(Optional.of("is accessible by group or others (mode "
            + String.format(Locale.ROOT, "%04o", mode & 0777) + "); it must be owner-only: chmod 600 " + file), null);
      }
      Optional<String> owner = SecretOwnership.fileOwnerProblem(st.getInt(20));
      if (owner.isEmpty()) {
        owner = SecretOwnership.folderProblem(file);
      }
      if (owner.isPresent()) {
        return new Read(owner, null);
      }
      byte[] out = new byte[0];
      while (true) {
        int n = C.read(fd, chunk, new NativeLong(chunk.length)).intValue();
        if (n <= 0) {
          return new Read(Optional.empty(), out);
        }
        if (out.length + n > max) {
          return new Read(Optional.of("is larger than " + max + " bytes"), null);
        }
        byte[] grown = java.util.Arrays.copyOf(out, out.length + n);
        System.arraycopy(chunk, 0, grown, out.length, n);
        java.util.Arrays.fill(out, (byte) 0);
        out = grown;
      }
    } catch (LastErrorException e) {
      throw new IOException(file + ": cannot read (errno " + e.getErrorCode() + ")");
    } finally {
      java.util.Arrays.fill(chunk, (byte) 0); // its last read's bytes are the secret's too
      C.close(fd);
    }
  }
}
