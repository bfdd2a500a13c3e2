package dev.tufsh.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.AuditError;
import dev.tufsh.files.FileModes;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An append-only, hash-chained audit log: one canonical JSON object a line, each carrying its
 * sequence number ({@code seq}, equal to its line number), the SHA-256 of the previous line
 * ({@code prev}) and of itself ({@code hash}), so an edited, inserted or deleted line breaks the
 * chain at a line {@link AuditVerifier} can name. Appends from several processes (shells, SSH
 * sessions) are serialised by a file lock.
 *
 * <p>It fails closed: {@link #append} throws {@link AuditError} when the line cannot be written, and
 * callers do not go ahead. A torn last line (a crash or a full disk mid-append) is repaired by the
 * next append: the fragment is moved to {@code audit.log.torn-line-N} and the repair is itself an
 * entry. Lines are at most {@link #MAX_LINE} bytes, so a damaged log never makes a reader hold more.
 *
 * <p>The chain alone is tamper-evident, not tamper-proof: whoever can rewrite the whole file can
 * recompute it. Its head ({@link Head}) is anchored outside the file (the published timestamp
 * carries it; see docs/threat-model.md), which is what detects an emptied, truncated or rehashed log.
 */
public final class AuditLog {
  static final String GENESIS = "0".repeat(64);
  /** The longest line, newline included; longer command text and outcomes are shortened to fit. */
  public static final int MAX_LINE = 16384;
  /** Command text and outcome are cut to this many UTF-8 bytes each. */
  static final int MAX_TEXT = 4096;
  /** Published maps longer than this are folded into a count (16384 bins are folded before). */
  static final int MAX_PUBLISHED = 64;

  private static final Set<OpenOption> APPEND_OPTIONS = Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
      StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);

  private final Path file;

  public AuditLog(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The last line's sequence number and hash; {@code 0:000...} for an empty log. */
  public record Head(long seq, String hash) {
    public static final Head EMPTY = new Head(0, GENESIS);

    /** Parses {@code SEQ:HASH} (what {@link #toString} prints and {@code audit verify --head} takes). */
    public static Head parse(String s) {
      int colon = s.indexOf(':');
      String hash = colon < 0 ? "" : s.substring(colon + 1);
      if (colon <= 0 || !hash.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("expected SEQ:HASH (a line number, ':', 64 lowercase hex digits), got '"
            + s + "'");
      }
      try {
        return new Head(Long.parseLong(s.substring(0, colon)), hash);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected SEQ:HASH with a decimal line number, got '" + s + "'", e);
      }
    }

    @Override
    public String toString() {
      return seq + ":" + hash;
    }
  }

  /** File locks are per process; this serialises appenders within one process (SSH sessions). */
  private static final Object IN_PROCESS = new Object();

  /**
   * Appends {@code entry}, chained to the current last line, and returns the new head. Throws
   * {@link AuditError} when it cannot: the caller must not go ahead with what it meant to record.
   */
  public Head append(AuditEntry entry) {
    // File channels refuse to open on an interrupted thread (Ctrl-C, a dropped SSH channel), and the
    // record of an interrupted command matters most: the flag is set aside while the line is written.
    boolean interrupted = Thread.interrupted();
    try {
      synchronized (IN_PROCESS) {
        return appendLocked(entry);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Head appendLocked(AuditEntry entry) {
    try {
      FileModes.createOwnerOnlyDirs(file.getParent());
      try (FileChannel ch = FileChannel.open(file, APPEND_OPTIONS,
              FileModes.ownerOnlyFile());
          FileLock lock = ch.lock()) {
        restrict();
        Head head = repairAndReadHead(ch, entry);
        return write(ch, head, entry);
      }
    } catch (IOException e) {
      throw new AuditError("cannot append to audit log " + file + ": " + reason(e), e);
    }
  }

  /** The head without appending (a torn last line is left for the next append to repair). */
  public Head head() {
    if (!Files.exists(file)) {
      return Head.EMPTY;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long end = lastNewline(ch, ch.size()) + 1;
      return lastLine(ch, end);
    } catch (IOException e) {
      throw new AuditError("cannot read audit log " + file + ": " + reason(e), e);
    }
  }

  /**
   * Where a scan of the log stopped: the byte offset just after a whole line, and that line's head
   * ({@link Head#EMPTY} at offset 0). Written as {@code OFFSET:SEQ:HASH} by whoever keeps it.
   */
  public record Position(long offset, Head head) {
    public static final Position START = new Position(0, Head.EMPTY);

    /** Parses {@link #toString}'s form; anything else (or null) is {@link #START}: scan it all. */
    public static Position parse(String s) {
      int colon = s == null ? -1 : s.indexOf(':');
      try {
        return colon > 0 ? new Position(Long.parseLong(s.substring(0, colon)), Head.parse(s.substring(colon + 1)))
            : START;
      } catch (IllegalArgumentException e) {
        return START;
      }
    }

    @Override
    public String toString() {
      return offset + ":" + head;
    }
  }

  /** What a scan found: the highest published version of each role, where it stopped, lines read. */
  public record Scan(Map<String, Integer> highest, Position end, long linesRead) {}

  /**
   * The highest version of each role the log records as published (role names only; counts such
   * as "bins re-signed" are left out). Lines that do not parse are skipped: {@code audit verify}
   * is where they are reported.
   */
  public Map<String, Integer> highestPublished() {
    return highestPublishedSince(Position.START).highest();
  }

  /**
   * As {@link #highestPublished}, reading only the lines after {@code from} when the log still holds
   * the very line {@code from} names there (same offset, sequence number and hash); otherwise (the
   * log replaced, truncated or rewritten, or no position kept) the whole log. So a publish costs the
   * lines appended since the last one, not the log's length, and nothing the log records is missed.
   */
  public Scan highestPublishedSince(Position from) {
    Map<String, Integer> out = new TreeMap<>();
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return new Scan(out, Position.START, 0);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long end = lastNewline(ch, ch.size()) + 1;
      Position start = stillThere(ch, from, end) ? from : Position.START;
      ch.position(start.offset());
      long lines = 0;
      java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
          java.nio.channels.Channels.newInputStream(ch), StandardCharsets.ISO_8859_1));
      // ISO-8859-1: one char a byte, so the count of chars read is the offset reached.
      for (long at = start.offset(); at < end; lines++) {
        String l = r.readLine();
        if (l == null) {
          break;
        }
        at += l.length() + 1;
        absorbPublished(l, out);
      }
      return new Scan(out, new Position(end, end == start.offset() ? start.head() : lastLine(ch, end)), lines);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new AuditError("cannot read audit log " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether the log still has, ending at {@code p.offset}, the line {@code p} names: same sequence
   * number and hash, and a line that still hashes to it (an edited line does not).
   */
  private boolean stillThere(FileChannel ch, Position p, long end) throws IOException {
    if (p == null || p.offset() <= 0 || p.offset() > end) {
      return false;
    }
    ByteBuffer nl = ByteBuffer.allocate(1);
    ch.read(nl, p.offset() - 1);
    if (nl.get(0) != '\n') {
      return false;
    }
    long start = lastNewline(ch, p.offset() - 1) + 1;
    if (p.offset() - start > MAX_LINE) {
      return false;
    }
    ByteBuffer buf = ByteBuffer.allocate((int) (p.offset() - 1 - start));
    ch.read(buf, start);
    try {
      JsonNode line = Json.parse(StandardCharsets.UTF_8.newDecoder().decode(buf.flip()).toString(), file.toString());
      String hash = line.path("hash").asText();
      return line.path("seq").asLong() == p.head().seq() && hash.equals(p.head().hash()) && hash.equals(hashOf(line));
    } catch (RuntimeException | java.nio.charset.CharacterCodingException damaged) {
      return false;
    }
  }

  private void absorbPublished(String l, Map<String, Integer> out) {
    if (l.length() > MAX_LINE || !l.contains("\"published\":{\"")) {
      return;
    }
    try {
      Json.parse(new String(l.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8), file.toString())
          .path("published").fields().forEachRemaining(e -> {
            if (e.getValue().isInt() && e.getKey().matches("[A-Za-z0-9._-]+")) {
              out.merge(e.getKey(), e.getValue().asInt(), Math::max);
            }
          });
    } catch (RuntimeException ignored) {
      // a damaged line: audit verify names it
    }
  }

  private Head write(FileChannel ch, Head head, AuditEntry entry) throws IOException {
    ObjectNode o = toJson(entry, head.seq() + 1, head.hash());
    String hash = hashOf(o);
    o.put("hash", hash);
    byte[] line = line(o);
    if (line.length > MAX_LINE) {
      throw new IllegalStateException("audit line of " + line.length + " bytes after shortening");
    }
    ch.position(ch.size());
    ByteBuffer buf = ByteBuffer.wrap(line);
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
    ch.force(false);
    return new Head(head.seq() + 1, hash);
  }

  private static byte[] line(ObjectNode o) {
    byte[] body = CanonicalJson.encodeFile(o);
    byte[] line = new byte[body.length + 1];
    System.arraycopy(body, 0, line, 0, body.length);
    line[body.length] = '\n';
    return line;
  }

  /**
   * Moves a torn last line (no final newline) aside and records the repair; then returns the head.
   * A whole last line that does not parse is not guessed at: the log needs a person.
   */
  private Head repairAndReadHead(FileChannel ch, AuditEntry cause) throws IOException {
    long size = ch.size();
    long end = lastNewline(ch, size) + 1;
    Head head = lastLine(ch, end);
    if (end == size) {
      return head;
    }
    long torn = head.seq() + 1;
    Path aside = keepAside(torn, ch, end, size);
    ch.truncate(end);
    ch.force(true);
    AuditEntry repair = new AuditEntry(cause.time() == null ? Instant.now().toString() : cause.time(), "tufsh",
        cause.session(), "audit repair", "repaired torn line " + torn + ": " + (size - end)
            + " byte(s) without a final newline moved to " + aside.getFileName(), Map.of());
    return write(ch, head, repair);
  }

  private Path keepAside(long line, FileChannel log, long from, long to) throws IOException {
    for (int n = 1; ; n++) {
      Path aside = file.resolveSibling(file.getFileName() + ".torn-line-" + line + (n == 1 ? "" : "-" + n));
      try (FileChannel out = FileChannel.open(aside, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS), FileModes.ownerOnlyFile())) {
        for (long pos = from; pos < to; ) {
          pos += log.transferTo(pos, to - pos, out);
        }
        out.force(true);
        return aside;
      } catch (FileAlreadyExistsException e) {
        // an earlier repair of the same line number (after a rewind): take the next name
      }
    }
  }

  /** The offset of the last newline before {@code size}, or -1. */
  private static long lastNewline(FileChannel ch, long size) throws IOException {
    long pos = size;
    ByteBuffer buf = ByteBuffer.allocate(8192);
    while (pos > 0) {
      long start = Math.max(0, pos - buf.capacity());
      buf.clear().limit((int) (pos - start));
      ch.read(buf, start);
      for (int i = buf.position() - 1; i >= 0; i--) {
        if (buf.get(i) == '\n') {
          return start + i;
        }
      }
      pos = start;
    }
    return -1;
  }

  /** Parses the whole line ending just before {@code end} (a newline's offset + 1). */
  private Head lastLine(FileChannel ch, long end) throws IOException {
    if (end <= 0) {
      return Head.EMPTY;
    }
    long start = lastNewline(ch, end - 1) + 1;
    if (end - start > MAX_LINE) {
      throw new AuditError("audit log " + file + ": its last line is longer than " + MAX_LINE
          + " bytes; run 'tufsh audit verify' and restore the log from a copy");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) (end - 1 - start));
    ch.read(buf, start);
    try {
      JsonNode last = Json.parse(StandardCharsets.UTF_8.newDecoder().decode(buf.flip()).toString(), file.toString());
      String hash = last.path("hash").asText();
      long seq = last.path("seq").asLong();
      if (seq <= 0 || !hash.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("no seq or hash");
      }
      return new Head(seq, hash);
    } catch (RuntimeException | java.nio.charset.CharacterCodingException e) {
      throw new AuditError("audit log " + file + ": its last line is damaged; run 'tufsh audit verify' and restore"
          + " the log from a copy", e);
    }
  }

  private void restrict() {
    try {
      Files.setPosixFilePermissions(file, FileModes.OWNER_FILE);
    } catch (IOException | UnsupportedOperationException e) {
      // Not a POSIX file system: nothing more we can do.
    }
  }

  static ObjectNode toJson(AuditEntry e, long seq, String prev) {
    ObjectNode o = Json.object();
    o.put("seq", seq);
    o.put("time", e.time());
    o.put("actor", cut(e.actor()));
    o.put("session", cut(e.session()));
    o.put("command", cut(e.command()));
    o.put("outcome", cut(e.outcome()));
    if (e.intent() > 0) {
      o.put("intent", e.intent());
    }
    ObjectNode pub = o.putObject("published");
    TreeMap<String, Integer> sorted = new TreeMap<>(e.published());
    int folded = 0;
    for (var p : sorted.entrySet()) {
      if (pub.size() < MAX_PUBLISHED) {
        pub.put(cut(p.getKey()), p.getValue());
      } else {
        folded++;
      }
    }
    if (folded > 0) {
      pub.put("other roles", folded);
    }
    o.put("prev", prev);
    return o;
  }

  /** {@code s} cut to {@link #MAX_TEXT} UTF-8 bytes at a character boundary, saying so. */
  static String cut(String s) {
    if (s == null || s.length() * 3 <= MAX_TEXT) {
      return s;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length <= MAX_TEXT) {
      return s;
    }
    int n = MAX_TEXT - 64;
    while (n > 0 && (b[n] & 0xC0) == 0x80) {
      n--;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8) + "... (" + (b.length - n) + " more bytes)";
  }

  /** SHA-256 of the canonical line without its own {@code hash} member. */
  static String hashOf(JsonNode line) {
    ObjectNode copy = ((ObjectNode) line).deepCopy();
    copy.remove("hash");
    return Hex.encode(Crypto.sha256(CanonicalJson.encode(copy)));
  }

  static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    String m = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
        : e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
  }
}
