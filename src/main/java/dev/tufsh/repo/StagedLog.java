package dev.tufsh.repo;

import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.NewerFormatError;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.files.FileModes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The staged roles on disk: an append-only log, a first line naming it by a random id, then records,
 * each a header line {@code HEXNAME VERSION LENGTH}, the role's file bytes and a newline ({@code -}
 * for LENGTH removes the role).
 * Staging one bin appends one record instead of rewriting every staged role, and loading reads the
 * headers only: a role's bytes are read and decoded when it is asked for. A record cut short (a
 * crash while appending) is an error naming the byte where it ends, never a change silently lost.
 *
 * <p>A batch that appends in more than one write before it commits ({@link Staging.Batch}: the
 * daily job's 488 MB, 16 MB at a time) brackets its records with marker lines: {@code begin},
 * flushed before its first record, and {@code commit}, written after its records are flushed and
 * flushed itself. The records of a {@code begin} with no {@code commit} after it (a process killed
 * half-way, a power loss) are not staged: a scan reads the entries as they were before the
 * {@code begin}, and within such an open batch a record that is cut short or does not parse ends
 * the batch, not the scan (it is the kill's torn write). A {@code begin} inside an open batch
 * drops that batch and opens a new one; so do plain records after an open {@code begin}: they read
 * as part of it, which is why the next writer, under the workspace lock, cuts an open batch off the
 * log ({@link #dropOpen}) before it appends. A {@code commit} with no open batch is damage. A
 * change appended in one write (one role, a small batch) carries no markers, and a log without
 * markers (every log before them) reads as it always did.
 *
 * <p>A large batch keeps each role's bytes in a file of its own ({@link StagedRoleFiles}), which
 * publish links into {@code metadata/}: its record is the header {@code HEXNAME VERSION LENGTH ID}
 * with no bytes after it, the file flushed before the batch's {@code commit}. Both kinds of record
 * read in one log, so a log of the earlier format (inline records only) reads as it did.
 */
final class StagedLog {
  static final String FILE = "roles.log";
  private static final int HEADER_MAX = 1024;
  private static final String BEGIN = "begin";
  private static final String COMMIT = "commit";
  /**
   * Where the last scan in this process found an open batch in each log (by the log's id). A hint:
   * {@link #dropOpen} checks the log again before it cuts anything off.
   */
  private static final java.util.concurrent.ConcurrentMap<String, Long> OPEN =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Where one staged role's bytes are, and the version they carry: at {@code offset} in the log,
   * or, when {@code file} is not null, the whole of staged role file {@code file}.
   */
  record Entry(int version, long offset, int length, String file) {
    Entry(int version, long offset, int length) {
      this(version, offset, length, null);
    }
  }

  private StagedLog() {}

  /** The live entries of a log and which file they are in (its file key; null: no log). */
  record Scan(Object key, Map<String, Entry> entries) {}

  /**
   * The live entries of the log in {@code dir}. A record that does not parse is an error, unless
   * {@code appending} says another writer holds the lock now: then it is that writer's append
   * under way, and the entries before it are the staged state.
   */
  static Scan scan(Path dir, BooleanSupplier appending) {
    Path file = dir.resolve(FILE);
    Map<String, Entry> out = new LinkedHashMap<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      String key = id(file, ch);
      try {
        long open = scan(file, ch, start(ch), out);
        if (key != null && open >= 0) {
          OPEN.put(key, open);
        } else if (key != null) {
          OPEN.remove(key);
        }
      } catch (WorkspaceError e) {
        if (e.getCause() != null || !appending.getAsBoolean()) {
          throw e;
        }
      }
      return new Scan(key, out);
    } catch (java.nio.file.NoSuchFileException e) {
      return new Scan(null, out);
    } catch (IOException e) {
      throw new WorkspaceError("cannot read " + file + ": " + AtomicFiles.reason(e), e);
    }
  }

  /**
   * Which log is in {@code dir} now: the random id its first line gives it when it is created or
   * rewritten (appends keep it; an inode number may be reused, this is not), or null for none.
   */
  static Object key(Path dir) {
    Path file = dir.resolve(FILE);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      return id(file, ch);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The id on the first line of log {@code ch}, or null when it has none. That line is {@code
   * tufsh staged log FORMAT ID}; a log of a newer FORMAT (its writer may name itself after the id:
   * {@code tufsh staged log 2 ID tufsh 1.9}) is refused, never read as damage: its records may be of
   * kinds this tufsh does not know. Every log before formats were checked is format 1.
   */
  private static String id(Path file, FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(HEADER_MAX);
    int n = readAt(ch, b, 0);
    int nl = indexOf(b.array(), n, (byte) '\n');
    String line = new String(b.array(), 0, Math.max(nl, 0), StandardCharsets.US_ASCII);
    if (nl < 0 || !line.startsWith(PREFIX)) {
      return null;
    }
    String[] f = line.substring(PREFIX.length()).split(" ", 3);
    if (!f[0].matches("[0-9]{1,9}")) {
      return null;
    }
    int format = Integer.parseInt(f[0]);
    if (format > FORMAT) {
      throw new NewerFormatError(file.toString(), "staged log", format, FORMAT,
          f.length > 2 ? f[2] : null);
    }
    return format == FORMAT && f.length == 2 && f[1].length() == ID_CHARS ? f[1] : null;
  }

  private static byte[] firstLine() {
    byte[] r = new byte[ID_CHARS / 2];
    RANDOM.nextBytes(r);
    return (MAGIC + Hex.encode(r) + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static final String PREFIX = "tufsh staged log ";
  /**
   * The format this tufsh writes and the newest it reads. A writer that adds a record kind an
   * older reader would take for damage (as an {@code unsigned} record would be) raises it.
   */
  static final int FORMAT = 1;
  private static final String MAGIC = PREFIX + FORMAT + " ";
  private static final int ID_CHARS = 32;
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** Where the first record of log {@code ch} is (0: an empty file). */
  private static long start(FileChannel ch) throws IOException {
    return ch.size() == 0 ? 0 : MAGIC.length() + ID_CHARS + 1;
  }

  /**
   * Reads the records of log {@code ch} from {@code at} into {@code out} (the entries committed so
   * far); returns where an open batch begins, or -1 when none is open at the end.
   */
  static long scan(Path file, FileChannel ch, long at, Map<String, Entry> out) {
    Map<String, Entry> before = null; // the entries before the open batch, while one is open
    long open = -1;
    try {
      long size = ch.size();
      if (size > 0 && id(file, ch) == null) {
        throw damaged(file, 0, "it does not start with '" + MAGIC.trim() + "'");
      }
      ByteBuffer buf = ByteBuffer.allocate(HEADER_MAX);
      while (at < size) {
        buf.clear();
        int n = readAt(ch, buf, at);
        int nl = indexOf(buf.array(), n, (byte) '\n');
        String line = new String(buf.array(), 0, nl < 0 ? n : nl, StandardCharsets.US_ASCII);
        if (nl >= 0 && line.equals(BEGIN)) {
          if (before != null) {
            out.clear();
            out.putAll(before);
          }
          before = new LinkedHashMap<>(out);
          open = at;
          at += nl + 1;
          continue;
        }
        if (nl >= 0 && line.equals(COMMIT)) {
          if (before == null) {
            throw damaged(file, at, "a commit record with no batch begun before it");
          }
          before = null;
          open = -1;
          at += nl + 1;
          continue;
        }
        if (nl < 0 && before == null && BEGIN.startsWith(line) && !line.isEmpty() && at + n == size) {
          before = new LinkedHashMap<>(out); // a begin record cut short: its batch wrote nothing yet
          open = at;
          break;
        }
        try {
          at = record(file, ch, at, size, buf.array(), n, nl, out);
        } catch (WorkspaceError e) {
          if (before == null || e.getCause() != null) {
            throw e;
          }
          break; // a torn write of a batch that never committed: the batch ends here, and is dropped
        }
      }
    } catch (IOException e) {
      throw new WorkspaceError("cannot read " + file + ": " + AtomicFiles.reason(e), e);
    }
    if (before != null) {
      out.clear();
      out.putAll(before);
    }
    return open;
  }

  /** Reads the record whose header {@code head} (its newline at {@code nl}) is at {@code at}; returns where the next starts. */
  private static long record(Path file, FileChannel ch, long at, long size, byte[] head, int n, int nl,
      Map<String, Entry> out) throws IOException {
    if (nl < 0) {
      throw damaged(file, at, "a record header is cut short");
    }
    String[] f = new String(head, 0, nl, StandardCharsets.US_ASCII).split(" ", -1);
    if (f.length != 3 && !(f.length == 4 && StagedRoleFiles.validId(f[3]))) {
      throw damaged(file, at, "a record header is not 'NAME VERSION LENGTH' or 'NAME VERSION LENGTH FILE'");
    }
    String role;
    int version;
    try {
      role = new String(Hex.decode(f[0], "role"), StandardCharsets.UTF_8);
      version = Integer.parseInt(f[1]);
    } catch (RuntimeException e) {
      throw damaged(file, at, "a record header is not 'NAME VERSION LENGTH'");
    }
    long body = at + nl + 1;
    if (f[2].equals("-") && f.length == 3) {
      out.remove(role);
      return body;
    }
    int length;
    try {
      length = Integer.parseInt(f[2]);
    } catch (NumberFormatException e) {
      throw damaged(file, at, "a record length is not a number");
    }
    if (f.length == 4) {
      if (length < 0) {
        throw damaged(file, at, "a record length is not a number");
      }
      out.remove(role);
      out.put(role, new Entry(version, -1, length, f[3]));
      return body;
    }
    if (length < 0 || body + length + 1 > size) {
      throw damaged(file, at, "the record of role '" + role + "' is cut short");
    }
    if (!endsWithNewline(ch, at, head, n, body + length)) {
      throw damaged(file, at, "the record of role '" + role + "' does not end where its length says");
    }
    out.remove(role); // re-staged: the newest record wins, in the order roles were last staged
    out.put(role, new Entry(version, body, length));
    return body + length + 1;
  }

  /**
   * Whether the byte at {@code end} is a newline: from the header's read {@code head} (its {@code n}
   * bytes from {@code at}) when it reaches there, as a small record's does, else read.
   */
  private static boolean endsWithNewline(FileChannel ch, long at, byte[] head, int n, long end) throws IOException {
    if (end - at < n) {
      return head[(int) (end - at)] == '\n';
    }
    ByteBuffer b = ByteBuffer.allocate(1);
    return readAt(ch, b, end) == 1 && b.get(0) == '\n';
  }

  /** The bytes of one entry of the log file {@code key}: an error if the log is another file now. */
  static byte[] read(Path dir, Object key, Entry e) {
    if (e.file() != null) {
      return StagedRoleFiles.read(dir, e.file(), e.length()); // its id is never reused: no log check needed
    }
    Path file = dir.resolve(FILE);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      // Opened, then checked: a file renamed over it or a publish that cleared it is never read as this one.
      if (key == null || !key.equals(id(file, ch))) {
        throw new java.nio.file.NoSuchFileException(file.toString());
      }
      return body(file, ch, e);
    } catch (java.nio.file.NoSuchFileException x) {
      throw new WorkspaceError(file + " changed while this command read it (another writer published or staged"
          + " meanwhile); run the command again", x);
    } catch (IOException x) {
      throw new WorkspaceError("cannot read " + file + ": " + AtomicFiles.reason(x), x);
    }
  }

  /**
   * The log in {@code dir} held open for many reads of its entries (a publish reads each of 16,384
   * bins twice: the plan's peek and the verification), instead of an open, an id check and a close
   * for each one. Opened and checked as {@link #read} checks (its id is {@code key}, the log the
   * entries were scanned from); each read then checks with one lstat that the name is still this
   * file (its inode cannot be reused while it is held open). Null when the log is not that one now:
   * the caller reads entry by entry, which names the change.
   */
  static Reader reader(Path dir, Object key) {
    if (key == null) {
      return null;
    }
    Path file = dir.resolve(FILE);
    FileChannel ch = null;
    try {
      Object before = fileKey(file);
      ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      if (before == null || !key.equals(id(file, ch)) || !before.equals(fileKey(file))) {
        ch.close();
        return null;
      }
      return new Reader(file, key, before, ch);
    } catch (IOException | RuntimeException e) {
      // Read entry by entry instead, which reports what is wrong with the log (a newer format, say).
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // not read from: nothing to report
        }
      }
      return null;
    }
  }

  private static Object fileKey(Path file) throws IOException {
    return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }

  /** One open log's entries ({@link #reader}); thread-safe (positional reads). */
  static final class Reader implements AutoCloseable {
    private final Path file;
    private final Object key;
    private final Object fileKey;
    private final FileChannel ch;

    private Reader(Path file, Object key, Object fileKey, FileChannel ch) {
      this.file = file;
      this.key = key;
      this.fileKey = fileKey;
      this.ch = ch;
    }

    /** Whether this reader holds the log whose id is {@code k}. */
    boolean holds(Object k) {
      return key.equals(k);
    }

    /**
     * The bytes of inline entry {@code e}, or null when the log's name is no longer this file (a
     * log renamed over it, or removed): the caller then reads as without a reader.
     */
    byte[] read(Entry e) {
      try {
        if (!fileKey.equals(fileKey(file))) {
          return null;
        }
        return body(file, ch, e);
      } catch (java.nio.file.NoSuchFileException x) {
        return null;
      } catch (IOException x) {
        throw new WorkspaceError("cannot read " + file + ": " + AtomicFiles.reason(x), x);
      }
    }

    @Override
    public void close() {
      try {
        ch.close();
      } catch (IOException ignored) {
        // only read from: nothing was lost
      }
    }
  }

  private static byte[] body(Path file, FileChannel ch, Entry e) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(e.length());
    if (readAt(ch, buf, e.offset()) != e.length()) {
      throw damaged(file, e.offset(), "a staged role is shorter than its record says");
    }
    return buf.array();
  }

  /**
   * A record to append: a role's bytes, or {@code bytes == null} to remove it; or, with {@code
   * file} set, a role whose {@code length} bytes are staged role file {@code file}.
   */
  record Change(String role, int version, byte[] bytes, String file, int length) {
    Change(String role, int version, byte[] bytes) {
      this(role, version, bytes, null, bytes == null ? 0 : bytes.length);
    }

    /** The bytes this record adds to the log itself. */
    long inline() {
      return file == null && bytes != null ? bytes.length : 0;
    }
  }

  /**
   * Records {@code changes} over the log whose live entries are {@code live} and returns the live
   * entries after it: appended in one write and flushed once, or, when dead records would
   * outweigh the live ones, the log rewritten (kept records copied file to file) and renamed over.
   */
  static Map<String, Entry> save(Path dir, Map<String, Entry> live, List<Change> changes) {
    Path file = dir.resolve(FILE);
    Map<String, Entry> kept = new LinkedHashMap<>(live);
    long liveBytes = 0;
    long appended = 0;
    for (Change c : changes) {
      kept.remove(c.role());
      appended += c.inline();
    }
    for (Entry e : kept.values()) {
      liveBytes += e.file() == null ? e.length() : 0;
    }
    try {
      long size = Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? Files.size(file) : 0;
      Map<String, Entry> out = new LinkedHashMap<>();
      if (size + appended <= 2 * (liveBytes + appended) + (1 << 20)) {
        out.putAll(kept);
        out.putAll(appendTo(file, changes, true, true));
        return out;
      }
      return rewrite(dir, kept, changes.stream().filter(c -> c.bytes() != null || c.file() != null).toList());
    } catch (IOException e) {
      throw new WorkspaceError("cannot write " + file + ": " + AtomicFiles.reason(e), e);
    }
  }

  /**
   * Appends {@code changes} to the log in {@code dir} (created when there is none) without
   * rewriting it, flushed to disk only when {@code force} says so; returns their entries.
   */
  static Map<String, Entry> append(Path dir, List<Change> changes, boolean force) {
    Path file = dir.resolve(FILE);
    try {
      return appendTo(file, changes, force, false);
    } catch (IOException e) {
      throw new WorkspaceError("cannot write " + file + ": " + AtomicFiles.reason(e), e);
    }
  }

  /** Appends {@code changes}, first cutting off an open batch a scan found when {@code drop} says so. */
  private static Map<String, Entry> appendTo(Path file, List<Change> changes, boolean force, boolean drop)
      throws IOException {
    try (FileChannel ch = openAppend(file)) {
      if (drop) {
        dropOpen(file, ch);
      }
      return write(ch, ch.size(), changes, null, Map.of(), force);
    }
  }

  /** The log {@code file} open to append, created with its first line when there is none. */
  private static FileChannel openAppend(Path file) throws IOException {
    // READ (to check an open batch) rules out APPEND: positioned at the end instead, by the one writer the lock lets in.
    FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
        PosixFilePermissions.asFileAttribute(FileModes.OWNER_FILE));
    try {
      ch.position(ch.size());
      if (ch.size() == 0) {
        writeFully(ch, ByteBuffer.wrap(firstLine()));
      } else {
        id(file, ch); // never a record appended to a log of a newer format
      }
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Cuts off the log in {@code dir} a batch that began and never committed (its writer was killed),
   * so that what is appended next is not read as part of it. Only a writer under the workspace
   * lock calls this, before it appends: no other writer's batch can be open then.
   */
  static void dropOpen(Path dir) {
    Path file = dir.resolve(FILE);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      dropOpen(file, ch);
    } catch (java.nio.file.NoSuchFileException e) {
      // no log: nothing to cut
    } catch (IOException e) {
      throw new WorkspaceError("cannot write " + file + ": " + AtomicFiles.reason(e), e);
    }
  }

  private static void dropOpen(Path file, FileChannel ch) throws IOException {
    String key = id(file, ch);
    Long at = key == null ? null : OPEN.get(key);
    if (at == null) {
      return;
    }
    // The scan that found it may be old (a reader's, while that batch was still being written): read again.
    long open = -1;
    if (beginsAt(ch, at)) {
      try {
        open = scan(file, ch, at, new LinkedHashMap<>());
      } catch (WorkspaceError e) {
        open = -1; // damage after a commit: not an open batch, and the next load says where
      }
    }
    if (open >= 0) {
      ch.truncate(open);
      ch.force(true);
    }
    OPEN.remove(key);
  }

  /** Whether a {@code begin} record (or, at the end, the start of one) is at {@code at}. */
  private static boolean beginsAt(FileChannel ch, long at) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(BEGIN.length() + 1);
    int n = readAt(ch, b, at);
    String s = new String(b.array(), 0, n, StandardCharsets.US_ASCII);
    return s.equals(BEGIN + "\n") || (n > 0 && n < b.capacity() && at + n == ch.size() && BEGIN.startsWith(s));
  }

  /** Writes a batch's {@code begin} record and flushes it, before any of the batch's records. */
  static void begin(Path dir) {
    mark(dir, BEGIN, false);
  }

  /** Flushes a batch's records, then writes its {@code commit} record and flushes that: the batch is staged. */
  static void commit(Path dir) {
    mark(dir, COMMIT, true);
  }

  private static void mark(Path dir, String marker, boolean forceFirst) {
    Path file = dir.resolve(FILE);
    try (FileChannel ch = openAppend(file)) {
      if (forceFirst) {
        ch.force(true); // every record on disk before the commit that makes them staged
      }
      writeFully(ch, ByteBuffer.wrap((marker + "\n").getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    } catch (IOException e) {
      throw new WorkspaceError("cannot write " + file + ": " + AtomicFiles.reason(e), e);
    }
  }

  /** Flushes the log in {@code dir} to disk. */
  static void force(Path dir) {
    Path file = dir.resolve(FILE);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      ch.force(true);
    } catch (IOException e) {
      throw new WorkspaceError("cannot write " + file + ": " + AtomicFiles.reason(e), e);
    }
  }

  /** The size of the log in {@code dir} now (0: none). */
  static long size(Path dir) {
    try {
      Path file = dir.resolve(FILE);
      return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new WorkspaceError("cannot read " + dir.resolve(FILE) + ": " + AtomicFiles.reason(e), e);
    }
  }

  /**
   * Cuts the log back to {@code size} bytes, taking back what was appended since (a batch that
   * failed), when it is still the log {@code key}; {@code key} null: the log did not exist, so it
   * is removed.
   */
  static void truncate(Path dir, Object key, long size) {
    Path file = dir.resolve(FILE);
    if (key == null || size == 0) {
      delete(dir);
      return;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      if (!key.equals(id(file, ch))) {
        throw new WorkspaceError(file + " was replaced while a batch was staged; run 'discard' and stage again");
      }
      ch.truncate(size);
      ch.force(true);
    } catch (IOException e) {
      throw new WorkspaceError("cannot write " + file + ": " + AtomicFiles.reason(e), e);
    }
  }

  private static Map<String, Entry> rewrite(Path dir, Map<String, Entry> kept, List<Change> changes)
      throws IOException {
    Path file = dir.resolve(FILE);
    Path tmp = dir.resolve("." + FILE + AtomicFiles.TEMP_MARK + Long.toHexString(System.nanoTime()));
    try {
      Map<String, Entry> out;
      try (FileChannel old = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
          FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(FileModes.OWNER_FILE))) {
        id(file, old); // a log of a newer format is never rewritten into this one's
        byte[] first = firstLine();
        writeFully(ch, ByteBuffer.wrap(first));
        out = write(ch, first.length, changes, old, kept, true);
      }
      AtomicFiles.move(tmp, file);
      return out;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /** Writes the records of {@code kept} (copied from {@code old}), then {@code changes}, flushed once if {@code force}. */
  private static Map<String, Entry> write(FileChannel ch, long start, List<Change> changes, FileChannel old,
      Map<String, Entry> kept, boolean force) throws IOException {
    Map<String, Entry> out = new LinkedHashMap<>();
    long at = start;
    for (var k : kept.entrySet()) {
      if (k.getValue().file() != null) {
        byte[] head = header(k.getKey(), k.getValue().version(), k.getValue().length() + " " + k.getValue().file());
        writeFully(ch, ByteBuffer.wrap(head));
        at += head.length;
        out.put(k.getKey(), k.getValue());
        continue;
      }
      byte[] head = header(k.getKey(), k.getValue().version(), Integer.toString(k.getValue().length()));
      writeFully(ch, ByteBuffer.wrap(head));
      at += head.length;
      long done = 0;
      while (done < k.getValue().length()) {
        done += old.transferTo(k.getValue().offset() + done, k.getValue().length() - done, ch);
      }
      out.put(k.getKey(), new Entry(k.getValue().version(), at, k.getValue().length()));
      at += k.getValue().length();
      writeFully(ch, ByteBuffer.wrap(new byte[] {'\n'}));
      at += 1;
    }
    long total = 0;
    for (Change c : changes) {
      total += 64 + 2L * c.role().length() * 4 + c.inline();
    }
    // One buffer of at most 8 MiB at a time: the daily job appends 488 MB without holding it twice.
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(total, 8 << 20) + HEADER_MAX + 2);
    for (Change c : changes) {
      if (c.file() != null) {
        at += put(ch, buf, header(c.role(), c.version(), c.length() + " " + c.file()));
        out.put(c.role(), new Entry(c.version(), -1, c.length(), c.file()));
        continue;
      }
      byte[] head = header(c.role(), c.version(), c.bytes() == null ? "-" : Integer.toString(c.bytes().length));
      at += put(ch, buf, head);
      if (c.bytes() != null) {
        out.put(c.role(), new Entry(c.version(), at, c.bytes().length));
        at += put(ch, buf, c.bytes());
        at += put(ch, buf, new byte[] {'\n'});
      }
    }
    flush(ch, buf);
    if (force) {
      ch.force(true);
    }
    return out;
  }

  private static byte[] header(String role, int version, String length) {
    byte[] head = (Hex.encode(role.getBytes(StandardCharsets.UTF_8)) + " " + version + " " + length + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    if (head.length > HEADER_MAX) {
      throw new WorkspaceError("role name too long to stage: " + role.length() + " characters");
    }
    return head;
  }

  private static int put(FileChannel ch, ByteBuffer buf, byte[] b) throws IOException {
    if (b.length > buf.remaining()) {
      flush(ch, buf);
    }
    if (b.length > buf.remaining()) {
      writeFully(ch, ByteBuffer.wrap(b));
    } else {
      buf.put(b);
    }
    return b.length;
  }

  private static void flush(FileChannel ch, ByteBuffer buf) throws IOException {
    buf.flip();
    writeFully(ch, buf);
    buf.clear();
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  static void delete(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(FILE));
    } catch (IOException e) {
      throw new WorkspaceError("cannot remove " + dir.resolve(FILE) + ": " + AtomicFiles.reason(e), e);
    }
  }

  private static int readAt(FileChannel ch, ByteBuffer buf, long at) throws IOException {
    int total = 0;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, at + total);
      if (r < 0) {
        break;
      }
      total += r;
    }
    return total;
  }

  private static int indexOf(byte[] b, int n, byte x) {
    for (int i = 0; i < n; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }

  private static WorkspaceError damaged(Path file, long at, String what) {
    return new WorkspaceError(file + " is damaged at byte " + at + ": " + what
        + " (a crash while staging?); run 'discard' to drop staged changes");
  }
}
