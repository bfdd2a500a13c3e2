package dev.tufsh.ops;

import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.files.FileModes;
import dev.tufsh.model.TargetFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a large {@code target add} holds between reading its list and merging: the targets by role
 * in {@link #PARTITIONS} runs (the signed roles go straight to a staging batch). Runs stay in memory
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
      Buf o = part(role);
      o.putBytes(roleBytes(role));
      o.putBytes(path);
      o.putLong(tf.length());
      o.put(tf.hashes().size());
      for (var h : tf.hashes().entrySet()) {
        o.putBytes(h.getKey().getBytes(StandardCharsets.UTF_8));
        o.putBytes(h.getValue().getBytes(StandardCharsets.UTF_8));
      }
    }

    /**
     * As {@link #add}, for a target of one sha256 hash whose path and hex digits are bytes of
     * {@code b} (a list's line, checked as it was read), into {@code role} (its name's UTF-8, {@link
     * #roleBytes}) of run {@code partition} ({@link #partitionOf} it): no string, no map, nothing made a line.
     */
    void addSha256(byte[] role, int partition, byte[] b, int pathFrom, int pathLength, long length, int hexFrom) {
      Buf o = parts[partition];
      if (o == null) {
        o = parts[partition] = new Buf(8192);
      }
      o.putBytes(role);
      o.putBytes(b, pathFrom, pathLength);
      o.putLong(length);
      o.put(1);
      o.putBytes(SHA256);
      o.putBytes(b, hexFrom, 64);
    }

    private Buf part(String role) {
      int p = partitionOf(role);
      Buf o = parts[p];
      if (o == null) {
        o = parts[p] = new Buf(8192); // a list's chunk of 1 MiB puts about that in each run
      }
      return o;
    }

    /** {@code role}'s name in UTF-8, made once. */
    byte[] roleBytes(String role) {
      byte[] r = roleBytes.get(role);
      if (r == null) {
        r = role.getBytes(StandardCharsets.UTF_8);
        roleBytes.put(role, r);
      }
      return r;
    }
  }

  private static final byte[] SHA256 = "sha256".getBytes(StandardCharsets.US_ASCII);

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
      held = 0;
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
   * The targets of run {@code partition} by role, in role order, each role's in the order they
   * were added (a later one of a path wins). The run is read whole (a 128th of the list) and its
   * records are grouped by role where they lie: no string or map is made a target.
   */
  Map<String, SpilledRole> read(int partition) {
    byte[] run;
    try {
      run = runs[partition].bytes();
    } catch (IOException e) {
      throw failed(e);
    }
    runs[partition].drop();
    // Records grouped by their role's bytes: an open-addressing table of each role's first record.
    int[] table = new int[256];
    java.util.Arrays.fill(table, -1);
    int[] first = new int[16];
    int[][] members = new int[16][];
    int[] sizes = new int[16];
    int groups = 0;
    for (int o = 0; o < run.length; o = recordEnd(run, o)) {
      int len = intAt(run, o);
      int slot = roleHash(run, o) & (table.length - 1);
      int g;
      while (true) {
        g = table[slot];
        if (g < 0) {
          if (groups == first.length) {
            first = java.util.Arrays.copyOf(first, groups * 2);
            members = java.util.Arrays.copyOf(members, groups * 2);
            sizes = java.util.Arrays.copyOf(sizes, groups * 2);
          }
          g = groups++;
          table[slot] = g;
          first[g] = o;
          members[g] = new int[8];
          if (groups * 2 > table.length) {
            table = regrouped(run, first, groups, table.length * 2);
          }
          break;
        }
        int f = first[g];
        if (intAt(run, f) == len && java.util.Arrays.equals(run, f + 4, f + 4 + len, run, o + 4, o + 4 + len)) {
          break;
        }
        slot = (slot + 1) & (table.length - 1);
      }
      if (sizes[g] == members[g].length) {
        members[g] = java.util.Arrays.copyOf(members[g], sizes[g] * 2);
      }
      members[g][sizes[g]++] = o;
    }
    Map<String, SpilledRole> out = new TreeMap<>();
    for (int g = 0; g < groups; g++) {
      String role = new String(run, first[g] + 4, intAt(run, first[g]), StandardCharsets.UTF_8);
      out.put(role, new SpilledRole(run, java.util.Arrays.copyOf(members[g], sizes[g])));
    }
    return out;
  }

  /** A hash of the role name of the record at {@code o}. */
  private static int roleHash(byte[] run, int o) {
    int len = intAt(run, o);
    int h = 0;
    for (int i = o + 4; i < o + 4 + len; i++) {
      h = 31 * h + run[i];
    }
    return h ^ (h >>> 16);
  }

  /** The table of {@link #read} rebuilt at {@code size} slots for {@code groups} roles. */
  private static int[] regrouped(byte[] run, int[] first, int groups, int size) {
    int[] table = new int[size];
    java.util.Arrays.fill(table, -1);
    for (int g = 0; g < groups; g++) {
      int slot = roleHash(run, first[g]) & (size - 1);
      while (table[slot] >= 0) {
        slot = (slot + 1) & (size - 1);
      }
      table[slot] = g;
    }
    return table;
  }

  /** Where the record at {@code o} of {@code run} ends: role, path, length, then each hash's name and hex. */
  static int recordEnd(byte[] run, int o) {
    int at = o + 4 + intAt(run, o); // the role
    at += 4 + intAt(run, at); // the path
    int n = run[at + 8] & 0xff;
    at += 9;
    for (int i = 0; i < 2 * n; i++) {
      at += 4 + intAt(run, at);
    }
    return at;
  }

  /** The big-endian int at {@code at} of a run's bytes. */
  static int intAt(byte[] run, int at) {
    return (int) INT.get(run, at);
  }

  /** The big-endian long at {@code at} of a run's bytes. */
  static long longAt(byte[] run, int at) {
    return (long) LONG.get(run, at);
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
      held = 0;
    }
  }

  private Path dir() throws IOException {
    if (dir == null) {
      dir = Files.createTempDirectory(parent, PREFIX, FileModes.ownerOnlyDir());
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
              FileModes.ownerOnlyFile());
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

  /** A run's records in memory, its array read directly rather than copied out by toByteArray. */
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
      putBytes(b, 0, b.length);
    }

    /** {@code n}, then {@code n} bytes of {@code b} from {@code from}. */
    void putBytes(byte[] b, int from, int n) {
      putInt(n);
      room(n);
      System.arraycopy(b, from, buf, count, n);
      count += n;
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
