package dev.tufsh.repo;

import dev.tufsh.errors.LockedError;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.files.FileModes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps two writers (two shells, two SSH sessions) from changing the workspace at once. The
 * operating system's file lock dies with its process, so a killed writer never leaves a stale
 * lock; the file's text names the holder for the one who is refused. Sessions inside one process
 * (SSH) are kept apart by an in-process table, because the OS lock is per process.
 */
public final class PublishLock implements AutoCloseable {
  private static final Map<Path, String> HELD = new ConcurrentHashMap<>();
  /** Which thread of this process holds each lock it holds. */
  private static final Map<Path, Thread> OWNERS = new ConcurrentHashMap<>();
  private static final Object PROBE = new Object();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private PublishLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * As {@link #acquire(Workspace, String)}, trying again until {@code wait} has passed (a cron
   * refresh while someone sits at a prompt holding the lock). There is no timed OS lock, so it
   * polls, from 20 ms up to 500 ms apart; an interrupt (Ctrl-C) stops the wait.
   */
  public static PublishLock acquire(Workspace ws, String holder, java.time.Duration wait) {
    return acquire(ws, holder, wait, who -> {});
  }

  /** As above; {@code waiting} hears once who holds the lock, when the wait begins. */
  public static PublishLock acquire(Workspace ws, String holder, java.time.Duration wait,
      java.util.function.Consumer<String> waiting) {
    long deadline = System.nanoTime() + wait.toNanos();
    long pause = 20;
    boolean told = false;
    while (true) {
      try {
        return acquire(ws, holder);
      } catch (LockedError e) {
        long left = deadline - System.nanoTime();
        if (left > 0 && !told) {
          waiting.accept(e.holder());
          told = true;
        }
        if (left <= 0) {
          throw wait.isZero() ? e : new LockedError(e.holder() + " (waited " + wait.toSeconds() + " s)");
        }
        try {
          Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new WorkspaceError("interrupted while waiting for the lock held by " + e.holder(), ie);
        }
        pause = Math.min(500, pause * 2);
      }
    }
  }

  /** Takes the lock for {@code holder} (who, for the message others see), or throws LockedError. */
  public static PublishLock acquire(Workspace ws, String holder) {
    ws.requireWritable("take the lock to change it");
    Path file = ws.lockFile();
    String text = holder + " (pid " + ProcessHandle.current().pid() + ", since " + Instant.now() + ")";
    String inProcess = HELD.putIfAbsent(file, text);
    if (inProcess != null) {
      throw new LockedError(inProcess);
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS),
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(FileModes.OWNER_FILE));
      FileLock l;
      synchronized (PROBE) {
        l = ch.tryLock();
      }
      if (l == null) {
        String other = readHolder(ch);
        ch.close();
        HELD.remove(file);
        throw new LockedError(other.isBlank() ? "another process" : other);
      }
      Files.setPosixFilePermissions(file, FileModes.OWNER_FILE); // the umask may have narrowed it, never widen
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(false);
      OWNERS.put(file, Thread.currentThread());
      return new PublishLock(file, ch, l);
    } catch (IOException | RuntimeException e) {
      // Whatever went wrong (an interrupt, an overlapping lock), the in-process entry must go, or
      // every later writer in this process would be told the lock is held, for ever.
      HELD.remove(file);
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // reporting the first error
        }
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new WorkspaceError("cannot take the lock " + file + ": " + AtomicFiles.reason((IOException) e), e);
    }
  }

  private static String readHolder(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1024);
    ch.read(b, 0);
    return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
  }

  /** Who holds the lock now, or null (for status displays). */
  public static String holder(Workspace ws) {
    Path f = ws.lockFile();
    String local = HELD.get(f);
    if (local != null) {
      return local;
    }
    if (!Files.exists(f)) {
      return null;
    }
    // The probe takes the OS lock for a moment. Inside this process that would collide with a
    // writer taking it at the same moment (OverlappingFileLockException there, and a lock entry
    // left behind), so probes and takes are serialised, and a lock this process holds is
    // reported from the in-process table.
    synchronized (PROBE) {
      local = HELD.get(f);
      if (local != null) {
        return local;
      }
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        FileLock l = ch.tryLock();
        if (l != null) {
          l.release();
          return null;
        }
        return readHolder(ch);
      } catch (java.nio.channels.OverlappingFileLockException e) {
        String now = HELD.get(f);
        return now != null ? now : "another session of this process";
      } catch (IOException e) {
        return null;
      }
    }
  }

  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
      channel.close();
    } catch (IOException e) {
      // closing the channel releases the OS lock in any case
    } finally {
      OWNERS.remove(file);
      HELD.remove(file);
    }
  }

  /**
   * Whether a writer other than the calling thread holds the lock {@code file} now (another
   * process, or another session of this one): what it is appending may be incomplete yet.
   */
  static boolean heldByAnother(Path file) {
    Thread owner = OWNERS.get(file);
    if (owner != null) {
      return owner != Thread.currentThread();
    }
    if (HELD.containsKey(file)) {
      return true; // being taken by another thread of this process this very moment
    }
    if (!Files.exists(file)) {
      return false;
    }
    synchronized (PROBE) {
      if (HELD.containsKey(file)) {
        return OWNERS.get(file) != Thread.currentThread();
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        FileLock l = ch.tryLock();
        if (l != null) {
          l.release();
          return false;
        }
        return true;
      } catch (java.nio.channels.OverlappingFileLockException e) {
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }
}
