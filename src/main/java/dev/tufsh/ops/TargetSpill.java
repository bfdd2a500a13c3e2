package dev.tufsh.ops;

import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.model.TargetFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a large {@code target add} holds between reading its list and staging: the targets by role
 * in {@link #PARTITIONS} runs, and then each changed role's signed file bytes. Runs stay in memory
 * while they total under {@link #BUDGET} bytes (16 MiB), and are appended to files in an owner-only folder of
 * {@code .tufsh/} beyond that, so adding 2.27 M targets holds a few megabytes of them at a time, not
 * 2.27 M records with their maps. {@link #close} removes the folder on every way out; one left by a
 * killed process is removed by the next add (under the lock, no other add can be using it).
 */
final class TargetSpill implements AutoCloseable {
  static final int PARTITIONS = 128;
  static final int BUDGET = 16 << 20;
  private static final String PREFIX = "add-spill-";
  /** Big-endian, as DataOutputStream writes and ByteBuffer reads. */
  private static final java.lang.invoke.VarHandle INT = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
      int[].class, java.nio.ByteOrder.BIG_ENDIAN);
  private static final java.lang.invoke.VarHandle LONG = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
      long[].class, java.nio.ByteOrder.BIG_ENDIAN);

  private final Path parent;
  private Path dir;
  private final Run[] runs = new Run[PARTITIONS];
  private final Run prepared = new Run("prepared");
  private final long budget;
  private long held;
  /** Whether the runs outgrew the budget: records are appended to their files as they come. */
  private boolean direct;

  /** A spill under {@code parent} (the workspace's {@code .tufsh/}); nothing is created until needed. */
  TargetSpill(Path parent) {
    this(parent, BUDGET);
  }

  /** As {@link #TargetSpill(Path)}, holding at most {@code budget} bytes of records before spilling (tests). */
  TargetSpill(Path parent, long budget) {
    this.parent = parent;
    this.budget = budget;
    for (int i = 0; i < PARTITIONS; i++) {
      runs[i] = new Run("part-" + i);
    }
    removeStale(parent);
  }

  /** Which run the targets of {@code role} go to. */
  static int partitionOf(String role) {
    return Math.floorMod(role.hashCode(), PARTITIONS);
  }

  /** Notes that {@code path} goes into {@code role} as {@code tf}. */
  void add(String role, String path, TargetFile tf) {
    Records r = new Records(new java.util.HashMap<>());
    r.add(role, path.getBytes(StandardCharsets.UTF_8), tf);
    append(r);
  }

  /**
   * Records made apart from the spill, by role's run (one thread's share of a list, appended in the
   * list's order by {@link #append}): each role's name encoded once, each path's bytes as given.
   */
  static final class Records {
    private final Buf[] parts = new Buf[PARTITIONS];
    /** Each role's name in UTF-8, shared by a thread's records (roles are the router's shared strings). */
    private final Map<String, byte[]> roleBytes;

    Records(Map<String, byte[]> roleBytes) {
      this.roleBytes = roleBytes;
    }

    /** How many bytes of records it holds. */
    long size() {
      long n = 0;
      for (Buf b : parts) {
        n += b == null ? 0 : b.size();
      }
      return n;
    }

    void add(String role, byte[] path, TargetFile tf) {
      int p = partitionOf(role);
      Buf o = parts[p];
      if (o == null) {
        o = parts[p] = new Buf(8192); // a list's chunk of 1 MiB puts about that in each run
      }
      o.putBytes(roleBytes.computeIfAbsent(role, x -> x.getBytes(StandardCharsets.UTF_8)));
      o.putBytes(path);
      o.putLong(tf.length());
      o.put(tf.hashes().size());
      for (var h : tf.hashes().entrySet()) {
        o.putBytes(h.getKey().getBytes(StandardCharsets.UTF_8));
        o.putBytes(h.getValue().getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * Appends {@code r}'s records after those already held, run by run: in memory while the runs fit
   * the budget; past it, every run goes to its file and from then on each of {@code r}'s runs is
   * written straight to its file, so a list of millions is not gathered in the heap first (there
   * the collector copied and promoted every record it held, for nothing).
   */
  void append(Records r) {
    if (!direct && held + r.size() > budget) {
      for (Run run : runs) {
        run.spill();
      }
      held = prepared.buf.size(); // what is still in memory
      direct = true;
    }
    long n = 0;
    for (int p = 0; p < PARTITIONS; p++) {
      Buf b = r.parts[p];
      if (b == null) {
        continue;
      }
      if (direct) {
        runs[p].write(b.array(), b.size());
      } else {
        runs[p].buf.write(b.array(), 0, b.size());
        n += b.size();
      }
    }
    grew(n);
  }

  /**
   * The targets of run {@code partition} by role, each role's in the order they were added (a later
   * one wins). The run is read whole (a 128th of the list) and decoded from the array: through a
   * DataInputStream every field was a synchronized read or four.
   */
  Map<String, Map<String, TargetFile>> read(int partition) {
    Map<String, Map<String, TargetFile>> out = new java.util.HashMap<>();
    java.nio.ByteBuffer in;
    try {
      in = java.nio.ByteBuffer.wrap(runs[partition].bytes());
    } catch (IOException e) {
      throw failed(e);
    }
    String name = null; // the hash algorithm's name, as the record before had it (all of a list's are sha256)
    while (in.hasRemaining()) {
      String role = string(in);
      String path = string(in);
      long length = in.getLong();
      int n = in.get() & 0xff;
      Map<String, String> hashes = n == 1 ? null : new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        int len = in.getInt();
        if (name == null || !sameBytes(name, in, len)) {
          name = new String(in.array(), in.position(), len, StandardCharsets.UTF_8);
        }
        in.position(in.position() + len);
        String hex = string(in);
        if (hashes == null) {
          hashes = Map.of(name, hex); // what TargetFile keeps as it is
        } else {
          hashes.put(name, hex);
        }
      }
      out.computeIfAbsent(role, x -> new LinkedHashMap<>()).put(path, new TargetFile(length, hashes));
    }
    runs[partition].drop();
    return new TreeMap<>(out);
  }

  /** Whether the {@code len} bytes at {@code in}'s position are {@code s} in UTF-8 (ASCII names). */
  private static boolean sameBytes(String s, java.nio.ByteBuffer in, int len) {
    if (s.length() != len) {
      return false;
    }
    int at = in.position();
    for (int i = 0; i < len; i++) {
      if (s.charAt(i) != in.get(at + i)) {
        return false;
      }
    }
    return true;
  }

  private static String string(java.nio.ByteBuffer in) {
    int len = in.getInt();
    String s = new String(in.array(), in.position(), len, StandardCharsets.UTF_8);
    in.position(in.position() + len);
    return s;
  }

  /**
   * Keeps the signed file bytes of {@code role} at {@code version} for {@link #eachPrepared}: a
   * record of the targets' fields (a string is its length, then its UTF-8), its role, version and
   * bytes.
   */
  void prepare(String role, int version, byte[] fileBytes) {
    Buf b = prepared.buf;
    int before = b.size();
    b.putBytes(role.getBytes(StandardCharsets.UTF_8));
    b.putInt(version);
    b.putBytes(fileBytes);
    grew(b.size() - before);
  }

  /** A prepared role's signed file bytes. */
  record Prepared(String role, int version, byte[] fileBytes) {}

  /**
   * Hands every prepared role to {@code each}, in the order prepared, one at a time: the run is
   * streamed through a window (the build prepares 488 MB of bins), each record decoded as the
   * targets' are once it is whole in the window.
   */
  void eachPrepared(java.util.function.Consumer<Prepared> each) {
    try (InputStream in = prepared.open()) {
      java.nio.ByteBuffer w = java.nio.ByteBuffer.allocate(1 << 16).flip();
      while (true) {
        if (!(w = fill(in, w, 4)).hasRemaining()) {
          return;
        }
        int role = w.getInt(w.position());
        w = fill(in, w, 4 + role + 8);
        int length = w.getInt(w.position() + 4 + role + 4);
        w = fill(in, w, 4 + role + 8 + length);
        String name = string(w);
        int version = w.getInt();
        byte[] b = new byte[w.getInt()];
        w.get(b);
        each.accept(new Prepared(name, version, b));
      }
    } catch (IOException e) {
      throw failed(e);
    }
  }

  /**
   * {@code w} (or a larger window with its bytes) holding at least {@code n} bytes read from {@code
   * in}; an empty one at the end of {@code in} before any byte of a record. A record cut short is an
   * error: the run is this process's own file.
   */
  private static java.nio.ByteBuffer fill(InputStream in, java.nio.ByteBuffer w, int n) throws IOException {
    if (w.remaining() >= n) {
      return w;
    }
    java.nio.ByteBuffer into = n > w.capacity() ? java.nio.ByteBuffer.allocate(Math.max(n, 2 * w.capacity()))
        : w;
    into = (into == w ? w.compact() : into.put(w));
    while (into.position() < n) {
      int r = in.read(into.array(), into.position(), into.remaining());
      if (r < 0) {
        if (into.position() == 0) {
          return into.flip();
        }
        throw new EOFException("a prepared record of the add's temporary files is cut short");
      }
      into.position(into.position() + r);
    }
    return into.flip();
  }

  /** Removes the spill folder and everything in it. */
  @Override
  public void close() {
    for (Run r : runs) {
      try {
        r.closeChannel();
      } catch (RuntimeException e) {
        // the folder is removed whatever its files' state
      }
    }
    prepared.closeChannel();
    if (dir != null) {
      removeTree(dir);
      dir = null;
    }
  }

  private void grew(long n) {
    held += n;
    if (held > budget) {
      for (Run r : runs) {
        r.spill();
      }
      prepared.spill();
      held = 0;
    }
  }

  private Path dir() throws IOException {
    if (dir == null) {
      dir = Files.createTempDirectory(parent, PREFIX,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return dir;
  }

  private WorkspaceError failed(IOException e) {
    return new WorkspaceError("cannot use the temporary files of target add in " + parent + ": " + e.getMessage(), e);
  }

  /** One run: records in a byte buffer, the part beyond the budget appended to its file. */
  private final class Run {
    final String name;
    Buf buf = new Buf();
    Path file;

    Run(String name) {
      this.name = name;
    }

    /** The file's channel while records are written straight to it ({@link #write}); null otherwise. */
    FileChannel channel;

    void spill() {
      if (buf.size() == 0) {
        return;
      }
      write(buf.array(), buf.size());
      empty();
    }

    /** Appends {@code n} bytes of {@code b} to the run's file, kept open for the next. */
    void write(byte[] b, int n) {
      try {
        if (channel == null) {
          if (file == null) {
            file = dir().resolve(name);
          }
          channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b, 0, n);
        while (bb.hasRemaining()) {
          channel.write(bb);
        }
      } catch (IOException e) {
        throw failed(e);
      }
    }

    /** Closes the file's channel, if open: before it is read, dropped or removed. */
    void closeChannel() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          throw failed(e);
        } finally {
          channel = null;
        }
      }
    }

    /** The run's records in one array: its file's, then those still in memory. */
    byte[] bytes() throws IOException {
      closeChannel();
      byte[] disk = new byte[0];
      if (file != null) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            InputStream in = Channels.newInputStream(ch)) {
          disk = in.readAllBytes();
        }
      }
      byte[] all = java.util.Arrays.copyOf(disk, disk.length + buf.size());
      System.arraycopy(buf.array(), 0, all, disk.length, buf.size());
      return all;
    }

    /** The run's records: its file's, then those still in memory. */
    InputStream open() throws IOException {
      closeChannel();
      InputStream mem = buf.reader();
      if (file == null) {
        return mem;
      }
      InputStream disk = Channels.newInputStream(FileChannel.open(file, StandardOpenOption.READ,
          LinkOption.NOFOLLOW_LINKS));
      return new SequenceInputStream(disk, mem);
    }

    /** A new buffer: a reset one would keep its grown array (twice what it held) for the whole add. */
    void empty() {
      buf = new Buf();
    }

    void drop() {
      held -= buf.size();
      empty();
      closeChannel();
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          throw failed(e);
        }
        file = null;
      }
    }
  }

  /** A run's records in memory, read back in place rather than copied out first. */
  private static final class Buf extends ByteArrayOutputStream {
    Buf() {
      super();
    }

    Buf(int size) {
      super(size);
    }

    /** Room for {@code n} more bytes (its writes are unsynchronized: one thread fills a buffer). */
    private void room(int n) {
      if (count + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + n));
      }
    }

    void put(int b) {
      room(1);
      buf[count++] = (byte) b;
    }

    void putInt(int v) {
      room(4);
      INT.set(buf, count, v);
      count += 4;
    }

    void putLong(long v) {
      room(8);
      LONG.set(buf, count, v);
      count += 8;
    }

    /** {@code b}'s length, then {@code b}: a string's field. */
    void putBytes(byte[] b) {
      putInt(b.length);
      room(b.length);
      System.arraycopy(b, 0, buf, count, b.length);
      count += b.length;
    }

    /** What it holds, read in place (nothing is written while it is read). */
    InputStream reader() {
      return new ByteArrayInputStream(buf, 0, count);
    }

    /** Its array, of which the first {@link #size} bytes are held. */
    byte[] array() {
      return buf;
    }

  }

  /** Spill folders of an add that was killed: no add runs now (the caller holds the lock). */
  private static void removeStale(Path parent) {
    try (var list = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path p : list) {
        removeTree(p);
      }
    } catch (IOException e) {
      // none, or unreadable: the next add tries again
    }
  }

  /** Deletes {@code dir} and the files in it, following no link (a link is deleted, not followed). */
  private static void removeTree(Path dir) {
    try {
      if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        try (var list = Files.newDirectoryStream(dir)) {
          for (Path p : list) {
            Files.deleteIfExists(p);
          }
        }
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new WorkspaceError("cannot remove " + dir + ": " + e.getMessage(), e);
    }
  }
}
