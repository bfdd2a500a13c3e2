package dev.tufsh.repo;

import dev.tufsh.errors.WorkspaceError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes files so that a reader or a crash sees the old content or the new, never a part: a temp
 * file beside the target, fsync, atomic rename. A full disk or read-only folder becomes one clear
 * error and the temp file is removed.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path target, byte[] bytes) {
    Path tmp = tempFor(target);
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      move(tmp, target);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the original error says more
      }
      throw new WorkspaceError("cannot write " + target + ": " + reason(e), e);
    }
  }

  /**
   * Writes many new files at once (16384 bins): each to a temp file renamed into place, without a
   * per-file fsync, then the whole file system flushed once ({@code syncfs(2)} through
   * {@code sync -f}), which costs one flush instead of 16384. The files are new names nothing refers
   * to yet, so until the flush returns a crash can only leave unreferenced debris, which the next
   * publish overwrites; the caller makes them reachable (timestamp.json) only afterwards. Where
   * {@code sync -f} is unavailable each file is fsynced instead, on many threads.
   */
  public static void writeAll(Map<Path, byte[]> files) {
    if (files.isEmpty()) {
      return;
    }
    boolean flushOnce = SYNCFS;
    parallel(files, e -> writeUnsynced(e.getKey(), e.getValue(), !flushOnce));
    if (flushOnce && !syncFileSystem(files.keySet().iterator().next().getParent())) {
      parallel(files, e -> force(e.getKey()));
    }
    files.keySet().stream().map(Path::getParent).distinct().forEach(AtomicFiles::syncDir);
  }

  private static final boolean SYNCFS = !"false".equals(System.getProperty("tufsh.syncfs"));

  private static void parallel(Map<Path, byte[]> files, java.util.function.Consumer<Map.Entry<Path, byte[]>> job) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(IO_THREADS, files.size()), r -> {
      Thread t = new Thread(r, "tufsh-io");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> jobs = new ArrayList<>(files.size());
      for (var e : files.entrySet()) {
        jobs.add(pool.submit(() -> job.accept(e)));
      }
      for (Future<?> f : jobs) {
        try {
          f.get();
        } catch (ExecutionException ex) {
          if (ex.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new WorkspaceError("write failed: " + ex.getCause(), ex.getCause());
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new WorkspaceError("interrupted while writing files", ex);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void writeUnsynced(Path target, byte[] bytes, boolean fsync) {
    if (fsync) {
      write(target, bytes);
      return;
    }
    Path tmp = tempFor(target);
    try {
      Files.write(tmp, bytes);
      move(tmp, target);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the original error says more
      }
      throw new WorkspaceError("cannot write " + target + ": " + reason(e), e);
    }
  }

  private static void force(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    } catch (IOException e) {
      throw new WorkspaceError("cannot flush " + file + ": " + reason(e), e);
    }
  }

  /** Flushes the file system holding {@code dir} with one syncfs(2); false when that is not possible. */
  static boolean syncFileSystem(Path dir) {
    try {
      Process p = new ProcessBuilder("sync", "-f", dir.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static final int IO_THREADS = 48;

  /** A temp name beside {@code target}, unique per process and thread, hidden from listings. */
  private static Path tempFor(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid()
        + "-" + Thread.currentThread().getId());
  }

  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Flushes a folder's entries (the renames into it) to disk; best effort where unsupported. */
  public static void syncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some file systems refuse to open folders; the renames are still atomic there.
    }
  }

  /**
   * Removes the temp files ({@code .NAME.tmp-PID-THREAD}) that a writer killed mid-write left in
   * {@code dir}. Call it holding the workspace lock: then no live writer owns one of them.
   */
  public static void removeLeftovers(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var names = Files.list(dir)) {
      for (Path p : (Iterable<Path>) names::iterator) {
        String n = p.getFileName().toString();
        if (n.startsWith(".") && n.contains(".tmp-") && Files.isRegularFile(p)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new WorkspaceError("cannot clean up " + dir + ": " + reason(e), e);
    }
  }

  public static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new WorkspaceError("cannot read " + file + ": " + reason(e), e);
    }
  }

  /** A short reason for an I/O failure ("No space left on device", "Permission denied"). */
  static String reason(IOException e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or folder";
    }
    if (m != null && m.contains("No space left")) {
      return "no space left on device";
    }
    // A FileSystemException's message repeats the (temp) file name; the caller names the file.
    if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
      m = fse.getReason();
    }
    return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
  }
}
