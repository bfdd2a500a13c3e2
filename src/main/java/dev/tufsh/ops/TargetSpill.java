package dev.tufsh.ops;

import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.model.TargetFile;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
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

  private final Path parent;
  private Path dir;
  private final Run[] runs = new Run[PARTITIONS];
  private final Run prepared = new Run("prepared");
  private final long budget;
  private long held;

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
    Run r = runs[partitionOf(role)];
    try {
      int before = r.buf.size();
      DataOutputStream o = r.out;
      string(o, role);
      string(o, path);
      o.writeLong(tf.length());
      o.writeByte(tf.hashes().size());
      for (var h : tf.hashes().entrySet()) {
        string(o, h.getKey());
        string(o, h.getValue());
      }
      grew(r.buf.size() - before);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array: cannot happen
    }
  }

  /** The targets of run {@code partition} by role, each role's in the order they were added (a later one wins). */
  Map<String, Map<String, TargetFile>> read(int partition) {
    Map<String, Map<String, TargetFile>> out = new TreeMap<>();
    records(runs[partition], (role, in) -> {
      String path = string(in);
      long length = in.readLong();
      int n = in.readUnsignedByte();
      Map<String, String> hashes = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        hashes.put(string(in), string(in));
      }
      out.computeIfAbsent(role, x -> new LinkedHashMap<>()).put(path, new TargetFile(length, hashes));
    });
    runs[partition].drop();
    return out;
  }

  /** Reads the rest of one record whose first field, its role, was read. */
  private interface Rest {
    void read(String role, DataInputStream in) throws IOException;
  }

  /** Each record of {@code run} in order: its role, then {@code rest} reads the remainder. */
  private void records(Run run, Rest rest) {
    try (DataInputStream in = run.open()) {
      while (true) {
        String role;
        try {
          role = string(in);
        } catch (EOFException end) {
          return;
        }
        rest.read(role, in);
      }
    } catch (IOException e) {
      throw failed(e);
    }
  }

  /** Keeps the signed file bytes of {@code role} at {@code version} for {@link #eachPrepared}. */
  void prepare(String role, int version, byte[] fileBytes) {
    try {
      int before = prepared.buf.size();
      string(prepared.out, role);
      prepared.out.writeInt(version);
      prepared.out.writeInt(fileBytes.length);
      prepared.out.write(fileBytes);
      grew(prepared.buf.size() - before);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A prepared role's signed file bytes. */
  record Prepared(String role, int version, byte[] fileBytes) {}

  /** Hands every prepared role to {@code each}, in the order prepared, one at a time. */
  void eachPrepared(java.util.function.Consumer<Prepared> each) {
    records(prepared, (role, in) -> {
      int version = in.readInt();
      byte[] b = new byte[in.readInt()];
      in.readFully(b);
      each.accept(new Prepared(role, version, b));
    });
  }

  /** Removes the spill folder and everything in it. */
  @Override
  public void close() {
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
    DataOutputStream out = new DataOutputStream(buf);
    Path file;

    Run(String name) {
      this.name = name;
    }

    void spill() {
      if (buf.size() == 0) {
        return;
      }
      try {
        if (file == null) {
          file = dir().resolve(name);
        }
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
          buf.writeTo(Channels.newOutputStream(ch));
        }
        empty();
      } catch (IOException e) {
        throw failed(e);
      }
    }

    /** The run's records: its file's, then those still in memory. */
    DataInputStream open() throws IOException {
      InputStream mem = buf.reader();
      if (file == null) {
        return new DataInputStream(mem);
      }
      InputStream disk = Channels.newInputStream(FileChannel.open(file, StandardOpenOption.READ,
          LinkOption.NOFOLLOW_LINKS));
      return new DataInputStream(new BufferedInputStream(new SequenceInputStream(disk, mem), 1 << 16));
    }

    /** A new buffer: a reset one would keep its grown array (twice what it held) for the whole add. */
    void empty() {
      buf = new Buf();
      out = new DataOutputStream(buf);
    }

    void drop() {
      held -= buf.size();
      empty();
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
    /** What it holds, read in place (nothing is written while it is read). */
    InputStream reader() {
      return new ByteArrayInputStream(buf, 0, count);
    }

  }

  private static void string(DataOutputStream o, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    o.writeInt(b.length);
    o.write(b);
  }

  private static String string(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
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
