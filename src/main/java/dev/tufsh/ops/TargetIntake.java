package dev.tufsh.ops;

import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.MetadataError;
import dev.tufsh.errors.UsageError;
import dev.tufsh.model.Names;
import dev.tufsh.model.TargetFile;
import dev.tufsh.repo.Publisher;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.StagedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The first pass of an add: each target checked, routed and kept in the spill as it is read; the
 * first {@link TargetOps#LISTED} paths named with their roles (a path listed again goes to the
 * same role and keeps its place), files hashed here noted for staging. A list file is read in
 * chunks that the machine's cores check and route at once, each into its own {@link Batch}; the
 * batches are taken in the list's order, so the spill, the warnings and the first error (with its
 * line) are those of reading the list a line at a time.
 */
final class TargetIntake {
  /** A list's chunk: about 1 MiB, ~6,000 PyPI lines (a longer line makes its chunk longer). */
  static final int CHUNK = 1 << 20;

  private final Workbench bench;
  private final Repository repo;
  private final TargetOps.AddOptions options;
  private final TargetSpill spill;
  final List<String> algorithms;
  final List<String> warnings = new ArrayList<>();
  final Map<String, String> placed = new LinkedHashMap<>();
  final Map<String, StagedFile> files = new LinkedHashMap<>();
  boolean hashedHere;
  private final Lane own;
  /** Whether batches still name their paths' roles (until {@link TargetOps#LISTED} are placed). */
  private volatile boolean listing = true;

  TargetIntake(Workbench bench, Repository repo, TargetOps.AddOptions options, TargetSpill spill) {
    this.bench = bench;
    this.repo = repo;
    this.options = options;
    this.spill = spill;
    this.algorithms = options.hashes() != null ? options.hashes() : repo.settings().targetHashes();
    algorithms.forEach(HashAlgorithm::require);
    this.own = new Lane(new TargetRouter(repo));
  }

  /** Takes {@code s} in on this thread. */
  void spec(TargetSpec s) {
    Batch b = own.batch();
    own.spec(s, null, b);
    take(b);
  }

  /**
   * Takes every line of {@code lines} in, {@code threads} checking and routing chunks of about
   * {@code chunk} bytes at once (1: on this thread, chunk by chunk, as a test forces).
   */
  void list(TargetLines lines, int threads, int chunk) {
    String prefix = lines.file() + ":";
    try (InputStream in = Files.newInputStream(lines.file())) {
      Chunks chunks = new Chunks(in, chunk);
      if (threads <= 1) {
        for (Chunk c = chunks.next(); c != null; c = chunks.next()) {
          take(own.chunk(c, lines, prefix));
        }
        return;
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "tufsh-intake");
        t.setDaemon(true);
        return t;
      });
      ThreadLocal<Lane> lanes = ThreadLocal.withInitial(() -> new Lane(new TargetRouter(own.router)));
      ArrayDeque<Future<Batch>> pending = new ArrayDeque<>();
      try {
        for (Chunk c = chunks.next(); c != null; c = chunks.next()) {
          Chunk each = c;
          pending.add(pool.submit(() -> lanes.get().chunk(each, lines, prefix)));
          if (pending.size() > 2 * threads) {
            take(pending.poll());
          }
        }
        while (!pending.isEmpty()) {
          take(pending.poll());
        }
      } finally {
        pending.forEach(f -> f.cancel(true));
        pool.shutdownNow();
        awaitLanes(pool); // none routes on after the add (and its lock) is over
      }
    } catch (IOException e) {
      throw new UsageError("cannot read " + lines.file() + ": " + e.getMessage());
    }
  }

  private static void awaitLanes(ExecutorService pool) {
    try {
      pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void take(Future<Batch> f) {
    Batch b;
    try {
      b = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageError("target add interrupted");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
    take(b);
  }

  /** Takes in what {@code b} read, in the list's order: its lines numbered after the batches before it. */
  private void take(Batch b) {
    if (b.error != null) {
      throw b.error;
    }
    for (int i = 0; i < b.placed.size(); i += 2) {
      if (placed.isEmpty()) {
        UnlockAhead.roles(repo, List.of(b.placed.get(i + 1))); // its scrypt runs while the role is read and merged
      }
      if (placed.size() < TargetOps.LISTED) {
        placed.put(b.placed.get(i), b.placed.get(i + 1));
      } else {
        listing = false;
        break;
      }
    }
    warnings.addAll(b.warnings);
    for (StagedFile f : b.files) {
      files.put(f.path(), f);
    }
    hashedHere |= !b.files.isEmpty();
    spill.append(b.records);
  }

  /** What one thread made of a chunk of the list (or of one target), before it is taken in. */
  private static final class Batch {
    final TargetSpill.Records records;

    Batch(TargetSpill.Records records) {
      this.records = records;
    }

    /** Path, role, path, role...: those of the paths read while roles were still listed. */
    final List<String> placed = new ArrayList<>();
    final List<String> warnings = new ArrayList<>(0);
    final List<StagedFile> files = new ArrayList<>(0);
    /** The first bad line's error: the batch stops there, and the add when it is taken in. */
    RuntimeException error;
  }

  /** {@code length} bytes of the list at the start of {@code bytes}, its first line numbered {@code first} + 1. */
  private record Chunk(byte[] bytes, int length, int first) {}

  /**
   * The list's bytes a chunk at a time, each ending after a line's end (or at the file's end), and
   * its lines counted as they are split (LF, CR or CR LF ends a line; the last may have no end), so
   * every thread knows its lines' numbers.
   */
  private static final class Chunks {
    private final InputStream in;
    private final int size;
    private byte[] rest = new byte[0];
    private int lines;

    Chunks(InputStream in, int size) {
      this.in = in;
      this.size = size;
    }

    /** The next chunk, or null at the end. */
    Chunk next() throws IOException {
      byte[] b = new byte[Math.max(size, rest.length * 2)];
      System.arraycopy(rest, 0, b, 0, rest.length);
      int n = rest.length;
      while (true) {
        n += in.readNBytes(b, n, b.length - n);
        if (n < b.length) { // the end of the file
          rest = new byte[0];
          return n == 0 ? null : counted(b, n);
        }
        int end = n;
        while (end > 0 && b[end - 1] != '\n') {
          end--;
        }
        if (end > 0) {
          rest = java.util.Arrays.copyOfRange(b, end, n);
          return counted(b, end);
        }
        b = java.util.Arrays.copyOf(b, b.length * 2); // one line longer than the chunk
      }
    }

    private Chunk counted(byte[] b, int n) {
      Chunk c = new Chunk(b, n, lines);
      if (count(b, n, (byte) '\r') == 0) {
        lines += count(b, n, (byte) '\n'); // no CR: each LF ends a line
      } else {
        for (int i = 0; i < n; i++) {
          byte x = b[i];
          if (x == '\n' || x == '\r' && (i + 1 == n || b[i + 1] != '\n')) {
            lines++;
          }
        }
      }
      if (b[n - 1] != '\n' && b[n - 1] != '\r') {
        lines++; // the last line, without an end
      }
      return c;
    }
  }

  /** One thread's checking and routing (its own router, sharing the roles one router read). */
  private final class Lane {
    final TargetRouter router;
    private CharsetDecoder decoder;
    /** Each role's name in UTF-8 (roles are the router's shared strings: their hash codes made once). */
    private final Map<String, byte[]> roleBytes = new java.util.HashMap<>();

    Lane(TargetRouter router) {
      this.router = router;
    }

    Batch batch() {
      return new Batch(new TargetSpill.Records(roleBytes));
    }

    /**
     * The lines of chunk {@code c} (ended as a {@link java.io.BufferedReader} ends them: LF, CR or
     * CR LF; the last may have no end), checked and routed into a new batch; the first bad line
     * stops it.
     */
    Batch chunk(Chunk c, TargetLines lines, String prefix) {
      Batch out = batch();
      if (lines.plainLines() && ascii(c.bytes(), c.length())) {
        bytewise(c, lines, prefix, out);
        return out;
      }
      String text = new String(c.bytes(), 0, c.length(), StandardCharsets.UTF_8);
      if (text.indexOf('\uFFFD') >= 0) { // bytes that are not UTF-8 (or a U+FFFD): each line decoded strictly
        strictly(c, lines, prefix, out);
        return out;
      }
      // String.indexOf is vectorized: a byte-at-a-time search for line ends cost as much as the checks.
      int length = text.length();
      int cr = text.indexOf('\r');
      int n = c.first();
      for (int from = 0; from < length; ) {
        if (cr >= 0 && cr < from) {
          cr = text.indexOf('\r', from);
        }
        int lf = text.indexOf('\n', from);
        int end = lf < 0 ? length : lf;
        if (cr >= 0 && cr < end) {
          end = cr + 1 < length && text.charAt(cr + 1) == '\n' ? -cr - 1 : cr; // CR LF: one line end
        }
        int at = end < 0 ? -end - 1 : end;
        if (!line(text.substring(from, at), ++n, lines, prefix, out)) {
          return out;
        }
        from = end < 0 ? at + 2 : at + 1;
      }
      return out;
    }

    /**
     * As {@link #chunk}, for a chunk of ASCII from a list whose plain lines are their words ({@link
     * TargetLines#plainLines}): a line {@code PATH DIGITS HEX64} is split and checked on its bytes
     * in one pass, the path as {@link Names#checkTargetPath} checks it (see {@link Names#plainTargetPath});
     * every other line goes to {@link #line} as a string, as every line did before (its refusal, its
     * warning, its message).
     */
    private void bytewise(Chunk c, TargetLines lines, String prefix, Batch out) {
      byte[] b = c.bytes();
      int end = c.length();
      int n = c.first();
      for (int from = 0; from < end; ) {
        n++;
        int eol = plainTarget(b, from, end, out);
        if (eol < 0) {
          eol = from;
          while (eol < end && b[eol] != '\n' && b[eol] != '\r') {
            eol++;
          }
          if (!line(new String(b, from, eol - from, StandardCharsets.ISO_8859_1), n, lines, prefix, out)) {
            return;
          }
        }
        from = eol + (eol + 1 < end && b[eol] == '\r' && b[eol + 1] == '\n' ? 2 : 1);
      }
    }

    /**
     * Takes the line at {@code b[from]} into {@code out} when it is {@code PATH DIGITS HEX64}, one
     * space between, each checked as the line parser and the add check them: a path of printable
     * ASCII without a quote, backslash, ';', '#', '%' or '?' that {@link Names#checkTargetPath}
     * takes, 1-18 digits, 64 lowercase hex digits. Returns where the line ends, or -1 (nothing
     * taken) for any other line.
     */
    private int plainTarget(byte[] b, int from, int end, Batch out) {
      int i = from;
      int segment = from;
      while (i < end) {
        byte k = PLAIN[b[i] & 0xff];
        if (k >= PATH) {
          i++;
        } else if (k == SLASH) {
          if (!Names.plainSegment(b, segment, i)) {
            return -1;
          }
          segment = ++i;
        } else {
          break;
        }
      }
      int space = i;
      int pathLength = space - from;
      if (space == end || b[space] != ' ' || pathLength > Names.MAX_TARGET_PATH_BYTES || !Names.plainSegment(b, segment, space)
          || b[from] == '/' || pathLength >= 2 && b[from + 1] == ':' && (b[from] | 0x20) >= 'a' && (b[from] | 0x20) <= 'z') {
        return -1; // not plain, or a path the check refuses: the line parser and check say why
      }
      long length = 0;
      int d = space + 1;
      while (d < end && d - space <= 18 && b[d] >= '0' && b[d] <= '9') {
        length = length * 10 + (b[d++] - '0');
      }
      int hex = d + 1;
      int eol = hex + 64;
      if (d == space + 1 || d == end || b[d] != ' ' || eol > end || eol < end && b[eol] != '\n' && b[eol] != '\r') {
        return -1;
      }
      for (int h = hex; h < eol; h++) {
        if (PLAIN[b[h] & 0xff] != HEX_DIGIT) {
          return -1;
        }
      }
      String role = router.roleFor(b, from, pathLength);
      int bin = router.lastBin();
      byte[] rb;
      int part;
      if (bin >= 0) { // a bin: its name's bytes and run by index, not looked up in a map of 16,384
        if (router.binNames() != binsOf) {
          binsOf = router.binNames();
          binBytes = new byte[binsOf.length][];
          binPart = new int[binsOf.length];
        }
        rb = binBytes[bin];
        if (rb == null) {
          binPart[bin] = TargetSpill.partitionOf(role);
          rb = binBytes[bin] = role.getBytes(StandardCharsets.UTF_8);
        }
        part = binPart[bin];
      } else {
        rb = out.records.roleBytes(role);
        part = TargetSpill.partitionOf(role);
      }
      if (listing) {
        out.placed.add(new String(b, from, pathLength, StandardCharsets.ISO_8859_1));
        out.placed.add(role);
      }
      out.records.addSha256(rb, part, b, from, pathLength, length, hex);
      return eol;
    }

    /** The bins {@link #binBytes} and {@link #binPart} are of (the router's names array), each bin's name bytes and run. */
    private String[] binsOf;
    private byte[][] binBytes;
    private int[] binPart;

    /** As {@link #chunk}, for a chunk of bytes that are not all UTF-8: the first such line fails it. */
    private void strictly(Chunk c, TargetLines lines, String prefix, Batch out) {
      if (decoder == null) {
        decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
      }
      byte[] b = c.bytes();
      int n = c.first();
      for (int from = 0; from < c.length(); ) {
        int end = from;
        while (end < c.length() && b[end] != '\n' && b[end] != '\r') {
          end++;
        }
        String line;
        try {
          line = decoder.decode(ByteBuffer.wrap(b, from, end - from)).toString();
        } catch (CharacterCodingException e) {
          out.error = new UsageError("cannot read " + lines.file() + ": " + e.getMessage());
          return;
        }
        if (!line(line, ++n, lines, prefix, out)) {
          return;
        }
        from = end + (end < c.length() && b[end] == '\r' && end + 1 < c.length() && b[end + 1] == '\n' ? 2 : 1);
      }
    }

    /** Takes line {@code n} into {@code out}; false, with its error noted, when it is refused. */
    private boolean line(String line, int n, TargetLines lines, String prefix, Batch out) {
      try {
        TargetSpec s = lines.parse(line, n);
        if (s != null) {
          spec(s, prefix, out);
        }
        return true;
      } catch (Prefixed e) {
        // Named by its line, with its own kind (and exit code): a bad path stays a MetadataError, a
        // FILE missing or out of scope a refusal (exit 1, as 'target add PATH FILE' gives), else usage.
        out.error = e.getCause() instanceof MetadataError m ? m.in(prefix + n, null)
            : e.getCause() instanceof FileScope.Refused ? new FileScope.Refused(prefix + n + ": " + e.getMessage())
            : new UsageError(prefix + n + ": " + e.getMessage());
      } catch (RuntimeException e) {
        out.error = e;
      }
      return false;
    }

    /**
     * Checks, routes and notes {@code s} in {@code out}; a bad target's error names its origin
     * (the spec's own; or, {@code prefix} given, its list line's: thrown as {@link Prefixed}).
     */
    void spec(TargetSpec s, String prefix, Batch out) {
      TargetFile tf;
      try {
        tf = checked(s, out.warnings);
      } catch (UsageError | FileScope.Refused e) {
        // A list's FILE that is missing or out of scope: named by its line like any bad line.
        if (prefix != null) {
          throw new Prefixed(e);
        }
        if (s.origin() == null) {
          throw e;
        }
        throw e instanceof FileScope.Refused ? new FileScope.Refused(s.origin() + ": " + e.getMessage())
            : new UsageError(s.origin() + ": " + e.getMessage());
      } catch (MetadataError e) {
        // A bad path of a list's line: the same error (and exit code), named by the line too.
        if (prefix != null) {
          throw new Prefixed(e);
        }
        throw s.origin() == null ? e : e.in(s.origin(), null);
      }
      if (s.file() != null) {
        out.files.add(new StagedFile(s.path(), bench.files().input(s.file(), "target " + s.path() + ": file")
            .toString(), tf.length(), tf.hashes()));
      }
      byte[] path = s.path().getBytes(StandardCharsets.UTF_8);
      String role = router.roleFor(s.path(), path);
      if (listing) {
        out.placed.add(s.path());
        out.placed.add(role);
      }
      out.records.add(role, path, tf);
    }

    /** {@code s} checked, as the target file it lists: a file here is hashed now, what publish copies later. */
    private TargetFile checked(TargetSpec s, List<String> warnings) {
      Names.checkTargetPath(s.path(), "target path");
      String unsafe = Names.urlUnsafeCharacters(s.path());
      if (!unsafe.isEmpty()) {
        String msg = "target path '" + Names.printable(s.path()) + "' contains '" + unsafe + "': python-tuf and"
            + " go-tuf put paths into URLs unescaped, so a static server will not find it";
        if (options.strict()) {
          throw new UsageError(msg + " (refused by --strict)");
        }
        warnings.add(msg);
      }
      if (s.file() == null) {
        checkHashes(s);
        return new TargetFile(s.length(), s.hashes());
      }
      // Its real path, checked: what is hashed now is what publish copies later.
      java.nio.file.Path file = bench.files().input(s.file(), "target " + s.path() + ": file");
      if (!Files.isRegularFile(file)) {
        throw new UsageError("target " + s.path() + ": " + s.file() + " is not a readable file");
      }
      Map<String, String> h = Publisher.digest(file, algorithms);
      try {
        return new TargetFile(Files.size(file), h);
      } catch (IOException e) {
        throw new UsageError("target " + s.path() + ": cannot read " + s.file());
      }
    }
  }

  /** What a byte is in a plain line: part of a path, a slash, also a hex digit, or anything else. */
  private static final byte OTHER = 0;
  private static final byte SLASH = 1;
  /** This and above: a byte of a plain path. */
  private static final byte PATH = 2;
  private static final byte HEX_DIGIT = 3;
  private static final byte[] PLAIN = new byte[256];

  static {
    for (int c = 0x21; c <= 0x7E; c++) {
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      PLAIN[c] = "\"'\\;#%?".indexOf(c) >= 0 ? OTHER : hex ? HEX_DIGIT : PATH;
    }
    PLAIN['/'] = SLASH;
  }

  private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
      long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /**
   * How many of the first {@code n} bytes of {@code b} are {@code x}, eight at a time: in {@code t}
   * = word ^ x.., ((t & 0x7f..) + 0x7f..) | t | 0x7f.. leaves a byte's top bit clear exactly where t's byte is 0.
   */
  static int count(byte[] b, int n, byte x) {
    long pattern = (x & 0xffL) * 0x0101010101010101L;
    int count = 0;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long t = (long) LONGS.get(b, i) ^ pattern;
      long y = ((t & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | t | 0x7F7F7F7F7F7F7F7FL;
      count += Long.bitCount(~y);
    }
    for (; i < n; i++) {
      if (b[i] == x) {
        count++;
      }
    }
    return count;
  }

  /** Whether the first {@code n} bytes of {@code b} are all ASCII (below 0x80), eight at a time. */
  static boolean ascii(byte[] b, int n) {
    long high = 0;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      high |= (long) LONGS.get(b, i);
    }
    for (; i < n; i++) {
      high |= b[i];
    }
    return (high & 0x8080808080808080L) == 0;
  }

  /** A list line's check failed: its message goes after the line's {@code FILE:LINE: }. */
  private static final class Prefixed extends RuntimeException {
    Prefixed(dev.tufsh.errors.TufshException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private static void checkHashes(TargetSpec s) {
    if (s.length() < 0) {
      throw new UsageError("target " + s.path() + ": --length must not be negative");
    }
    if (s.hashes().isEmpty()) {
      throw new UsageError("target " + s.path() + ": give at least one of --sha256, --sha512, --blake2b-256");
    }
    s.hashes().forEach((alg, hex) -> {
      int want = HashAlgorithm.byName(alg).map(HashAlgorithm::hexLength).orElse(-1);
      if (want < 0) {
        throw new UsageError("target " + s.path() + ": unsupported hash algorithm '" + alg + "' (known: "
            + HashAlgorithm.names() + ")");
      }
      if (hex.length() != want || !Hex.isLowerHex(hex)) {
        throw new UsageError("target " + s.path() + ": " + alg + " must be " + want + " lowercase hex digits");
      }
    });
  }
}
