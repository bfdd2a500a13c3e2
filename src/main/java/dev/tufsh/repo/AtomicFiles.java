package dev.tufsh.repo;

import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.files.FileModes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes files so that a reader or a crash sees the old content or the new, never a part: a temp
 * file beside the target, fsync, atomic rename. A full disk or read-only folder becomes one clear
 * error and the temp file is removed.
 *
 * <p>No local user can steer a write: temp files get random names and are created with
 * {@code CREATE_NEW} without following links (a planted symlink makes the write fail, never go
 * elsewhere), and every file gets an explicit mode whatever the umask: 0600 inside {@code .tufsh/},
 * 0644 elsewhere (what a web server running as another user must read).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path target, byte[] bytes) {
    writeFile(target, bytes, true);
  }

  /** {@link #write} of a file that is owner-only wherever it lives. */
  public static void writePrivate(Path target, byte[] bytes) {
    writeFile(target, bytes, true, FileModes.OWNER_FILE);
  }

  /**
   * {@link #writePrivate} without the flush: for a cache whose loss costs only work (a crash may
   * leave it old or empty, which its reader must take as no cache).
   */
  public static void writeCache(Path target, byte[] bytes) {
    writeFile(target, bytes, false, FileModes.OWNER_FILE);
  }

  private static void writeFile(Path target, byte[] bytes, boolean fsync) {
    writeFile(target, bytes, fsync, modeFor(target));
  }

  private static void writeFile(Path target, byte[] bytes, boolean fsync, Set<PosixFilePermission> mode) {
    writeFile(target, ch -> {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }, fsync, mode);
  }

  /** What fills a new file's temp copy before it is renamed into place; may throw to abandon it. */
  public interface Content {
    void writeTo(FileChannel ch) throws IOException;
  }

  /** {@link #write}, the bytes coming from {@code content} (streamed: a target may be large). */
  public static void write(Path target, Content content) {
    writeFile(target, content, true, modeFor(target));
  }

  private static void writeFile(Path target, Content content, boolean fsync, Set<PosixFilePermission> mode) {
    Path tmp = temp(target, content, fsync, mode);
    try {
      move(tmp, target);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new WorkspaceError("cannot write " + target + ": " + reason(e), e);
    }
  }

  /** A new temp file beside {@code target} holding {@code content}, flushed if {@code fsync}. */
  private static Path temp(Path target, Content content, boolean fsync, Set<PosixFilePermission> mode) {
    Path tmp = null;
    try {
      Temp t = createTemp(target, mode);
      tmp = t.path();
      try (FileChannel ch = t.channel()) {
        content.writeTo(ch);
        if (fsync) {
          ch.force(true);
        }
      }
      return tmp;
    } catch (IOException | RuntimeException e) {
      if (tmp != null) {
        deleteQuietly(tmp);
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new WorkspaceError("cannot write " + target + ": " + reason((IOException) e), e);
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // the original error says more; a leftover temp name is removed by the next publish
    }
  }

  /**
   * The first half of {@link #writeAll} for one file, when the caller makes the files one at a
   * time (publish writes each bin as it verifies it): {@code bytes} in a new temp file beside
   * {@code target}, not flushed until {@link #flushAll} (fsynced now where one file-system flush is
   * unavailable). {@link #move} renames it into place; until then nothing sees it.
   */
  static Path writeTemp(Path target, byte[] bytes) {
    return temp(target, ch -> {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
    }, !SYNCFS, modeFor(target));
  }

  /** Owner-only inside a {@code .tufsh} folder, world-readable elsewhere. */
  public static Set<PosixFilePermission> modeFor(Path target) {
    for (Path p : target.toAbsolutePath().normalize()) {
      if (p.toString().equals(".tufsh")) {
        return FileModes.OWNER_FILE;
      }
    }
    return FileModes.PUBLIC_FILE;
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A temp file just created, and the channel it was created with, open for writing. */
  private record Temp(Path path, FileChannel channel) {}

  /**
   * Creates a new, empty temp file beside {@code target} under an unpredictable name, never
   * through a link, with {@code mode} set explicitly (the umask only narrows a creation mode), and
   * returns it open for writing: one open per file (a publish writes 16,384 bins), its mode set
   * again only when the umask or a default ACL made it another (read back with one lstat, not
   * journaled, instead of a chmod that is).
   */
  private static Temp createTemp(Path target, Set<PosixFilePermission> mode) throws IOException {
    while (true) {
      byte[] r = new byte[12];
      RANDOM.nextBytes(r);
      Path tmp = target.resolveSibling("." + target.getFileName() + TEMP_MARK + java.util.HexFormat.of().formatHex(r));
      FileChannel ch;
      try {
        ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(mode));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        continue;
      } catch (UnsupportedOperationException e) {
        Files.createFile(tmp);
        return new Temp(tmp, FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
      }
      try {
        if (!Files.readAttributes(tmp, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
            .permissions().equals(mode)) {
          Files.setPosixFilePermissions(tmp, mode);
        }
      } catch (IOException | RuntimeException e) {
        ch.close();
        deleteQuietly(tmp);
        throw e;
      }
      return new Temp(tmp, ch);
    }
  }

  /** What every temp name holds; {@link #removeLeftovers} removes such names. */
  static final String TEMP_MARK = ".tmp-";

  /**
   * Creates {@code dir} and any missing parents with mode 0755, whatever the umask (a web server
   * running as another user must list them).
   */
  public static void publicDirs(Path dir) {
    try {
      FileModes.createPublicDirs(dir);
    } catch (IOException e) {
      throw new WorkspaceError("cannot create " + dir + ": " + reason(e), e);
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
    parallel(files.entrySet(), e -> writeFile(e.getKey(), e.getValue(), !SYNCFS));
    flushAll(files.keySet());
  }

  /** Makes files written unflushed ({@link #writeTemp}) durable: one file-system flush, and their folders. */
  static void flushAll(java.util.Collection<Path> files) {
    if (files.isEmpty()) {
      return;
    }
    if (files.size() < SYNCFS_FROM) {
      files.forEach(AtomicFiles::force);
    } else if (SYNCFS && !syncFileSystem(files.iterator().next().getParent())) {
      parallel(files, AtomicFiles::force);
    }
    files.stream().map(Path::getParent).distinct().forEach(AtomicFiles::syncDir);
  }

  /**
   * {@link #flushAll} for temp files the caller renames into place and then flushes the folder of
   * itself (publish: once, before timestamp.json). A small batch (an upload's bin) is not followed
   * by a flush of its folder here: that would make durable only temp names about to be renamed, and
   * the caller's flush after the renames is the one a crash needs. A large batch is flushed as by
   * {@link #flushAll}.
   */
  static void flushBeforeRename(java.util.Collection<Path> temps) {
    if (!temps.isEmpty() && temps.size() < SYNCFS_FROM) {
      temps.forEach(AtomicFiles::force);
      return;
    }
    flushAll(temps);
  }

  private static final boolean SYNCFS = !"false".equals(System.getProperty("tufsh.syncfs"));

  /**
   * Fewer files than this are fsynced one by one: an upload's bin and snapshot. syncfs(2) flushes
   * every dirty page on the file system, other processes' too, and costs a process start, so for a
   * few files it is the slower and less predictable flush.
   */
  static final int SYNCFS_FROM = 16;

  private static <T> void parallel(java.util.Collection<T> files, java.util.function.Consumer<T> job) {
    if (files.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(IO_THREADS, files.size()), r -> {
      Thread t = new Thread(r, "tufsh-io");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> jobs = new ArrayList<>(files.size());
      for (T e : files) {
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
   * Removes the temp files ({@code .NAME.tmp-RANDOM}) that a writer killed mid-write left in
   * {@code dir}, and symlinks planted under such names (removed, never followed). Call it holding
   * the workspace lock: then no live writer owns one of them.
   */
  public static void removeLeftovers(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var names = Files.list(dir)) {
      for (Path p : (Iterable<Path>) names::iterator) {
        String n = p.getFileName().toString();
        if (n.startsWith(".") && n.contains(TEMP_MARK)
            && (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new WorkspaceError("cannot clean up " + dir + ": " + reason(e), e);
    }
  }

  /** The most {@link #read} takes: metadata for 16384 bins of 100 targets stays far below it. */
  public static final long MAX_READ = 256L << 20;

  public static byte[] read(Path file) {
    return readBounded(file, MAX_READ);
  }

  /** Reads a whole file after checking its size: a huge file is a one-line error, not an OutOfMemoryError. */
  public static byte[] readBounded(Path file, long max) {
    try {
      long size = Files.size(file);
      if (size > max) {
        throw new WorkspaceError(file + " is " + size + " bytes, more than the " + max + " tufsh reads whole");
      }
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
