package dev.tufsh.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.crypto.Hex;
import dev.tufsh.json.Json;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.MetadataPeek;
import dev.tufsh.model.Signed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Changes not yet published, kept in {@code .tufsh/staged/} so that they survive the process:
 * every changed role (the metadata with the signatures collected so far) as a record of an
 * append-only log ({@link StagedLog}), and a list of target files to copy at publish. Staging one
 * role appends one record; loading reads the records' headers only, and a role is read and decoded
 * when it is asked for. Nothing here is visible to clients.
 */
public final class Staging {
  private static final String FILES = "files.json";
  /** The format before the log: every staged role rewritten in one file; read once, then moved into the log. */
  private static final String LEGACY = "roles.staged";

  private final Path dir;
  /** Every staged role and the version it is staged at. */
  private final Map<String, Integer> versions = new ConcurrentHashMap<>();
  /** Where each role's last saved record is in the log. */
  private final Map<String, StagedLog.Entry> onDisk = new ConcurrentHashMap<>();
  private final Map<String, Metadata<? extends Signed>> decoded = new ConcurrentHashMap<>();
  /** Peeks taken since a role was last staged: the plan's, which publish's status index reuses. */
  private final Map<String, MetadataPeek> peeked = new ConcurrentHashMap<>();
  /** File bytes of roles changed since the last save (dropped once they are in the log). */
  private final Map<String, byte[]> bytes = new ConcurrentHashMap<>();
  private final Set<String> dirty = Collections.newSetFromMap(new ConcurrentHashMap<>());
  private final Set<String> removed = Collections.newSetFromMap(new ConcurrentHashMap<>());
  private final Map<String, StagedFile> files = new TreeMap<>();
  private boolean filesDirty;
  private boolean legacy;
  /** Which file the log entries are in (see {@link StagedLog#key}): a log replaced meanwhile is not read as this one. */
  private volatile Object logKey;
  /** The log held open while {@link #reading} scopes are open (null: each read opens it). */
  private volatile StagedLog.Reader reader;
  private int readingScopes;

  private Staging(Path dir) {
    this.dir = dir;
  }

  public static Staging load(Path dir) {
    Staging s = new Staging(dir);
    StagedLog.Scan scan = StagedLog.scan(dir, () -> anotherWriter(dir));
    s.logKey = scan.key();
    scan.entries().forEach((role, e) -> {
      s.onDisk.put(role, e);
      s.versions.put(role, e.version());
    });
    s.loadLegacy();
    Path f = dir.resolve(FILES);
    if (Files.exists(f)) {
      JsonNode n = stagedFiles(f);
      for (JsonNode e : n) {
        Map<String, String> h = new LinkedHashMap<>();
        e.get("hashes").fields().forEachRemaining(x -> h.put(x.getKey(), x.getValue().asText()));
        s.files.put(e.get("path").asText(),
            new StagedFile(e.get("path").asText(), e.get("source").asText(), e.get("length").asLong(), h));
      }
    }
    return s;
  }

  /** Takes over a staging file of the earlier format (a line per role); the next save moves it into the log. */
  private void loadLegacy() {
    Path file = dir.resolve(LEGACY);
    if (!Files.exists(file)) {
      return;
    }
    legacy = true;
    byte[] all = AtomicFiles.readBounded(file, Long.MAX_VALUE >> 1);
    int from = 0;
    while (from < all.length) {
      int nl = from;
      while (nl < all.length && all[nl] != '\n') {
        nl++;
      }
      int sp = from;
      while (sp < nl && all[sp] != ' ') {
        sp++;
      }
      if (nl == all.length || sp >= nl) {
        throw new WorkspaceError(file + " is damaged at byte " + from + ": a staged entry is cut short;"
            + " run 'discard' to drop staged changes");
      }
      String role = new String(Hex.decode(new String(all, from, sp - from, StandardCharsets.US_ASCII), "role"),
          StandardCharsets.UTF_8);
      byte[] env = Arrays.copyOfRange(all, sp + 1, nl);
      put(role, MetadataCodec.decode(env, "staged " + role));
      bytes.put(role, env);
      from = nl + 1;
    }
  }

  /**
   * How many roles and files are staged in {@code dir}, counted without decoding anything (the
   * shell's prompt asks after every command).
   */
  public static int count(Path dir) {
    int n = names(dir).size();
    Path f = dir.resolve(FILES);
    if (Files.exists(f)) {
      n += stagedFiles(f).size();
    }
    return n;
  }

  /** The staged target files' list: an array is format 1; a newer format is an object saying so. */
  private static JsonNode stagedFiles(Path f) {
    JsonNode n = Json.parse(AtomicFiles.read(f), f.toString());
    dev.tufsh.json.FormatMember.check(n, f.toString(), "staged files", 1);
    return n;
  }

  /** Whether a writer other than this thread holds the workspace lock ({@code .tufsh/lock} beside {@code staged/}). */
  private static boolean anotherWriter(Path dir) {
    return PublishLock.heldByAnother(dir.toAbsolutePath().getParent().resolve("lock"));
  }

  /** The names of the roles staged in {@code dir}, read without decoding their metadata. */
  public static Set<String> names(Path dir) {
    Set<String> out = new TreeSet<>();
    out.addAll(StagedLog.scan(dir, () -> anotherWriter(dir)).entries().keySet());
    if (Files.exists(dir.resolve(LEGACY))) {
      out.addAll(load(dir).versions.keySet());
    }
    return out;
  }

  /** Every staged role by name; each is read and decoded from the log when it is first asked for. */
  public Map<String, Metadata<? extends Signed>> roles() {
    return new AbstractMap<>() {
      @Override
      public Set<Map.Entry<String, Metadata<? extends Signed>>> entrySet() {
        return new AbstractSet<>() {
          @Override
          public Iterator<Map.Entry<String, Metadata<? extends Signed>>> iterator() {
            Iterator<String> names = new TreeSet<>(versions.keySet()).iterator();
            return new Iterator<>() {
              @Override
              public boolean hasNext() {
                return names.hasNext();
              }

              @Override
              public Map.Entry<String, Metadata<? extends Signed>> next() {
                String n = names.next();
                return new SimpleImmutableEntry<>(n, role(n));
              }
            };
          }

          @Override
          public int size() {
            return versions.size();
          }
        };
      }

      @Override
      public Set<String> keySet() {
        return Collections.unmodifiableSet(new TreeSet<>(versions.keySet()));
      }

      @Override
      public boolean containsKey(Object key) {
        return versions.containsKey(key);
      }

      @Override
      public Metadata<? extends Signed> get(Object key) {
        return key instanceof String s ? role(s) : null;
      }

      @Override
      public int size() {
        return versions.size();
      }
    };
  }

  public Metadata<? extends Signed> role(String name) {
    if (!versions.containsKey(name)) {
      return null;
    }
    Metadata<? extends Signed> md = decoded.get(name);
    if (md == null) {
      md = MetadataCodec.decode(fileBytes(name), "staged " + name);
      Metadata<? extends Signed> raced = decoded.putIfAbsent(name, md);
      md = raced != null ? raced : md;
    }
    return md;
  }

  /**
   * Staged role {@code name} decoded for one look, not kept: a change streaming over thousands of
   * bins reads each once and must not hold them all decoded (null when not staged).
   */
  public Metadata<? extends Signed> decodeOnce(String name) {
    if (!versions.containsKey(name)) {
      return null;
    }
    Metadata<? extends Signed> md = decoded.get(name);
    return md != null ? md : MetadataCodec.decode(fileBytes(name), "staged " + name);
  }

  /**
   * What a plan needs of staged targets-type role {@code name}, without decoding its targets (from
   * the decoded role when it is at hand); a role whose file cannot be peeked is decoded in full.
   */
  public MetadataPeek peek(String name) {
    return peek(name, null);
  }

  /**
   * What a renewal said of the staged role files it wrote in this process, by file id (128 random
   * bits, a file never rewritten): the publish after {@code bump 'bin-*'} opens a new Staging and
   * would scan each of 16,384 bins again only to peek (~7% of the daily's CPU, h-82).
   */
  private static final Map<String, MetadataPeek> PEEKED_FILES = new ConcurrentHashMap<>();
  /** 4x PyPI's bins; then it starts over. */
  private static final int PEEKED_FILES_MAX = 65_536;

  /** As {@link #peek(String)}, over {@code fileBytes} the caller already read for {@code name}. */
  MetadataPeek peek(String name, byte[] fileBytes) {
    MetadataPeek known = peeked.get(name);
    if (known != null) {
      return known;
    }
    StagedLog.Entry e = onDisk.get(name);
    known = e == null || e.file() == null ? null : PEEKED_FILES.get(e.file());
    if (known != null && known.version() == e.version()) {
      peeked.put(name, known);
      return known;
    }
    MetadataPeek p = peekNow(name, fileBytes);
    if (versions.containsKey(name)) {
      peeked.put(name, p);
    }
    return p;
  }

  private MetadataPeek peekNow(String name, byte[] fileBytes) {
    Metadata<? extends Signed> md = decoded.get(name);
    if (md == null) {
      Optional<MetadataPeek> p = MetadataPeek.of(fileBytes != null ? fileBytes : fileBytes(name));
      if (p.isPresent()) {
        return p.get();
      }
      md = role(name);
    }
    return new MetadataPeek(md.signed().version(), md.signed().expires(),
        md.signatures().stream().map(s -> s.keyid()).toList(),
        md.signed() instanceof dev.tufsh.model.Targets t ? t.targets().size() : 0);
  }

  /** The version {@code name} is staged at, read from the log without decoding it; 0 if not staged. */
  public int version(String name) {
    return versions.getOrDefault(name, 0);
  }

  /**
   * Puts the bytes of staged role {@code name} at {@code target} (a new name in {@code metadata/})
   * without writing them again, when they are a staged role file ({@link StagedRoleFiles}, flushed
   * already): a hard link. False when they are not (a log record, a change not saved yet) or the
   * file system cannot link them there: the caller writes {@link #fileBytes} itself.
   */
  boolean linkInto(String name, Path target) {
    StagedLog.Entry e = onDisk.get(name);
    if (e == null || e.file() == null || dirty.contains(name) || bytes.containsKey(name)) {
      return false;
    }
    return StagedRoleFiles.link(dir, e.file(), target);
  }

  /** Makes the staged role file {@link #linkInto} placed for {@code name} owner-only again: the publish failed. */
  void unlinked(String name) {
    StagedLog.Entry e = onDisk.get(name);
    if (e != null && e.file() != null) {
      StagedRoleFiles.restrict(dir, e.file());
    }
  }

  /** Whether staged role {@code name}'s bytes are a staged role file that {@link #linkInto} can place. */
  boolean linkable(String name) {
    StagedLog.Entry e = onDisk.get(name);
    return e != null && e.file() != null && !dirty.contains(name) && !bytes.containsKey(name);
  }

  /**
   * The file bytes of staged role {@code name}: as read from or last written to the staging log,
   * so a publish does not encode again what staging already encoded.
   */
  public byte[] fileBytes(String name) {
    byte[] b = bytes.get(name);
    if (b != null) {
      return b;
    }
    StagedLog.Entry e = onDisk.get(name);
    if (e != null && !dirty.contains(name)) {
      StagedLog.Reader r = reader;
      Object key = logKey;
      byte[] read = r != null && e.file() == null && r.holds(key) ? r.read(e) : null;
      if (read != null) {
        return read;
      }
      return StagedLog.read(dir, key, e);
    }
    Metadata<? extends Signed> md = decoded.get(name);
    if (md == null) {
      throw new IllegalStateException("role " + name + " is not staged");
    }
    return bytes.computeIfAbsent(name, n -> MetadataCodec.fileBytes(md));
  }

  /**
   * Holds the staging log open until the scope closes, so the reads of many staged roles (a
   * publish of 16,384 bins reads each twice) cost a read each, not an open, a check and a close.
   * For a caller holding the workspace lock; scopes nest. A log saved anew meanwhile (another id)
   * is read entry by entry as without a scope.
   */
  public synchronized Reading reading() {
    if (readingScopes++ == 0) {
      reader = StagedLog.reader(dir, logKey);
    }
    java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
    return () -> {
      if (open.getAndSet(false)) {
        endReading();
      }
    };
  }

  /** A {@link #reading} scope; closing it never throws. */
  public interface Reading extends AutoCloseable {
    @Override
    void close();
  }

  private synchronized void endReading() {
    if (--readingScopes == 0 && reader != null) {
      StagedLog.Reader r = reader;
      reader = null;
      r.close();
    }
  }

  public boolean has(String name) {
    return versions.containsKey(name);
  }

  public void put(String name, Metadata<? extends Signed> md) {
    peeked.remove(name);
    decoded.put(name, md);
    bytes.remove(name);
    versions.put(name, md.signed().version());
    dirty.add(name);
    removed.remove(name);
  }

  /**
   * A batch of roles staged as their file bytes (see {@link dev.tufsh.model.SignedSplice#fileBytes}:
   * canonical signed bytes and signatures, nothing decoded), appended to the log a chunk at a time
   * so that memory holds one chunk, not every role (16 384 bins of ~30 KB in the daily job). A role
   * staged so is decoded only when someone asks for its record ({@link #role}). All or nothing:
   * {@link Batch#commit} flushes the log once; a batch closed without it (an error half-way) cuts
   * its records back off the log and leaves the staging as it was; a process killed before it leaves
   * records that the next load ignores and the next writer cuts off (see {@link StagedLog}).
   * A large batch (see {@link Batch#FILES_ROLES}) writes each role's bytes to a staged role file
   * instead and appends only a record naming it ({@link StagedRoleFiles}): publish links those
   * files into {@code metadata/}, so the bytes are written once.
   *
   * <pre>{@code
   * try (Staging.Batch b = staging.batch()) {
   *   b.put("bin-0a", 8, fileBytes);
   *   b.commit();
   * }
   * }</pre>
   */
  public Batch batch() {
    return new Batch();
  }

  /** See {@link #batch()}; one thread at a time (callers make the bytes on all cores, then put them). */
  public final class Batch implements AutoCloseable {
    /**
     * Appended once this much is pending: a few MB at a time, not the 488 MB of the daily job. The
     * property {@code tufsh.staging.chunk} lowers it for the kill test only.
     */
    private static final long CHUNK = Long.getLong("tufsh.staging.chunk", 16L << 20);
    /**
     * A batch of at least this many roles, or of more than one chunk, or of {@link #FILES_BYTES},
     * stages each role as a file of its own that publish links into place (written once); a
     * smaller one (an upload's bin) stays records of the log, one write and one flush.
     */
    static final int FILES_ROLES = 256;
    static final long FILES_BYTES = 4L << 20;

    private record Prior(Integer version, StagedLog.Entry onDisk, Metadata<? extends Signed> decoded, byte[] bytes,
        boolean dirty, boolean removed) {}

    private final long startSize;
    private final Object startKey;
    private final Map<String, Prior> prior = new LinkedHashMap<>();
    private final List<StagedLog.Change> pending = new ArrayList<>();
    /** What {@link #peek} gives of a pending role's bytes, where its caller said so. */
    private final Map<String, MetadataPeek> pendingPeeks = new java.util.HashMap<>();
    private long pendingBytes;
    private boolean appended;
    /** Whether a chunk went to the log before the commit: then begin/commit records bracket the batch. */
    private boolean begun;
    private boolean done;
    /** Whether the batch stages role files (decided at its first append), and the ones it made. */
    private Boolean asFiles;
    private boolean filesFlushed;
    private final List<String> made = Collections.synchronizedList(new ArrayList<>());

    private Batch() {
      try {
        Workspace.ownerOnlyDir(dir);
      } catch (IOException e) {
        throw new WorkspaceError("cannot create " + dir + ": " + AtomicFiles.reason(e), e);
      }
      StagedLog.dropOpen(dir); // the records of a batch killed before its commit, if a scan found one
      sweepRoleFiles();
      startSize = StagedLog.size(dir);
      startKey = StagedLog.key(dir);
    }

    /** Stages {@code role} at {@code version} as the metadata file {@code fileBytes}. */
    public void put(String role, int version, byte[] fileBytes) {
      put(role, version, fileBytes, null);
    }

    /**
     * As {@link #put(String, int, byte[])}, with what {@link #peek} gives of those bytes when the
     * caller made them and knows it (a renewal: the version, expiry and keys it wrote, the targets
     * it kept), so a plan in this process does not read and scan them again; null: peeked when asked.
     */
    public void put(String role, int version, byte[] fileBytes, MetadataPeek peek) {
      if (done) {
        throw new IllegalStateException("batch already committed");
      }
      prior.computeIfAbsent(role, r -> new Prior(versions.get(r), onDisk.get(r), decoded.get(r), bytes.get(r),
          dirty.contains(r), removed.contains(r)));
      pending.add(new StagedLog.Change(role, version, fileBytes));
      if (peek != null) {
        pendingPeeks.put(role, peek);
      } else {
        pendingPeeks.remove(role);
      }
      pendingBytes += fileBytes.length;
      if (pendingBytes >= CHUNK) {
        flush(false);
      }
    }

    /** Appends what is pending; the first chunk before the {@code last} is preceded by a begin record. */
    private void flush(boolean last) {
      if (pending.isEmpty()) {
        return;
      }
      // Set first: an append that fails half-written (a full disk) leaves a torn record that close cuts off.
      boolean first = !appended;
      appended = true;
      if (asFiles == null) {
        asFiles = !last || pending.size() >= FILES_ROLES || pendingBytes >= FILES_BYTES;
      }
      if (first && !last) {
        begun = true;
        StagedLog.begin(dir); // a kill from here to the commit leaves records the next scan ignores
      }
      List<StagedLog.Change> records = asFiles ? toFiles(pending) : pending;
      if (asFiles && !begun) {
        // No begin record makes these records wait for a commit: their files reach the disk first.
        StagedRoleFiles.flush(dir, made);
        filesFlushed = true;
      }
      Map<String, StagedLog.Entry> written = StagedLog.append(dir, records, false);
      logKey = StagedLog.key(dir); // new when the log did not exist
      for (StagedLog.Change c : pending) {
        versions.put(c.role(), c.version());
        onDisk.put(c.role(), written.get(c.role()));
        decoded.remove(c.role());
        MetadataPeek p = pendingPeeks.remove(c.role());
        if (p != null) {
          peeked.put(c.role(), p);
          StagedLog.Entry at = written.get(c.role());
          if (at != null && at.file() != null) {
            if (PEEKED_FILES.size() >= PEEKED_FILES_MAX) {
              PEEKED_FILES.clear();
            }
            PEEKED_FILES.put(at.file(), p);
          }
        } else {
          peeked.remove(c.role());
        }
        bytes.remove(c.role());
        dirty.remove(c.role());
        removed.remove(c.role());
      }
      pending.clear();
      pendingBytes = 0;
    }

    /** Each pending role's bytes written to a new staged role file (on every core), as the records naming them. */
    private List<StagedLog.Change> toFiles(List<StagedLog.Change> changes) {
      StagedRoleFiles.makeDir(dir);
      // Every create has ended before a failure reaches close, which removes what was made.
      List<String> ids = ParallelWrites.map(changes.size(), i -> {
        String id = StagedRoleFiles.create(dir, changes.get(i).bytes());
        made.add(id);
        return id;
      });
      List<StagedLog.Change> out = new ArrayList<>(changes.size());
      for (int i = 0; i < changes.size(); i++) {
        StagedLog.Change c = changes.get(i);
        out.add(new StagedLog.Change(c.role(), c.version(), null, ids.get(i), c.bytes().length));
      }
      return out;
    }

    /**
     * Appends what is pending and flushes the log to disk (and commits a batch that began); the
     * role files it wrote are flushed first, so a committed record never names a file not on disk.
     * Then the files of the roles it staged again, which no record names now, are removed.
     */
    public void commit() {
      flush(true);
      if (!made.isEmpty() && !filesFlushed) {
        StagedRoleFiles.flush(dir, made);
      }
      if (begun) {
        StagedLog.commit(dir);
      } else if (appended) {
        StagedLog.force(dir);
      }
      done = true;
      Set<String> live = new java.util.HashSet<>();
      onDisk.values().forEach(e -> {
        if (e.file() != null) {
          live.add(e.file());
        }
      });
      List<String> dead = new ArrayList<>();
      for (Prior p : prior.values()) {
        if (p.onDisk() != null && p.onDisk().file() != null && !live.contains(p.onDisk().file())) {
          dead.add(p.onDisk().file());
        }
      }
      made.stream().filter(id -> !live.contains(id)).forEach(dead::add); // a role put twice in the batch
      StagedRoleFiles.delete(dir, dead);
    }

    /** Without {@link #commit}: takes the batch's records back off the log, and its roles back to before. */
    @Override
    public void close() {
      if (done) {
        return;
      }
      done = true;
      pending.clear();
      if (appended) {
        StagedLog.truncate(dir, startKey, startSize);
        logKey = startKey;
      }
      StagedRoleFiles.delete(dir, List.copyOf(made)); // after the records naming them are cut off
      if (!made.isEmpty() || Boolean.TRUE.equals(asFiles)) {
        // Also when no file was made: the folder made for them (a full disk refused the first one).
        StagedRoleFiles.removeDirIfEmpty(dir);
      }
      prior.forEach((r, p) -> {
        peeked.remove(r);
        restore(versions, r, p.version());
        restore(onDisk, r, p.onDisk());
        restore(decoded, r, p.decoded());
        restore(bytes, r, p.bytes());
        if (p.dirty()) {
          dirty.add(r);
        } else {
          dirty.remove(r);
        }
        if (p.removed()) {
          removed.add(r);
        } else {
          removed.remove(r);
        }
      });
    }
  }

  /**
   * Removes the staged role files no committed record names (a batch killed before its commit, a
   * role staged again by a writer killed before it removed the old file): only a writer under the
   * workspace lock calls this, so no other batch's files are in the making.
   */
  private void sweepRoleFiles() {
    if (!Files.isDirectory(StagedRoleFiles.dir(dir))) {
      return;
    }
    Set<String> live = new java.util.HashSet<>();
    for (StagedLog.Entry e : StagedLog.scan(dir, () -> false).entries().values()) {
      if (e.file() != null) {
        live.add(e.file());
      }
    }
    StagedRoleFiles.sweep(dir, live);
  }

  private static <V> void restore(Map<String, V> m, String key, V value) {
    if (value == null) {
      m.remove(key);
    } else {
      m.put(key, value);
    }
  }

  /**
   * Stages {@code name} at {@code version} as the file bytes {@code fileBytes} (signed already),
   * without a decoded copy: {@link #save} appends them to the log and drops them, and a later
   * {@link #role} reads them back from there.
   */
  public void putEncoded(String name, int version, byte[] fileBytes) {
    decoded.remove(name);
    peeked.remove(name);
    bytes.put(name, fileBytes);
    versions.put(name, version);
    dirty.add(name);
    removed.remove(name);
  }

  public void remove(String name) {
    if (versions.remove(name) != null) {
      peeked.remove(name);
      decoded.remove(name);
      bytes.remove(name);
      dirty.remove(name);
      removed.add(name);
    }
  }

  public Map<String, StagedFile> files() {
    return Collections.unmodifiableMap(files);
  }

  public void putFile(StagedFile f) {
    files.put(f.path(), f);
    filesDirty = true;
  }

  public void removeFile(String path) {
    if (files.remove(path) != null) {
      filesDirty = true;
    }
  }

  /**
   * Keeps what {@code files.json} lists now, in memory and under a second name on disk (a hard
   * link: no byte is written), so that a change which lists target files and then fails puts the
   * list back with {@link FilesKept#restore} by a rename, which neither a full disk nor a file-size
   * limit refuses (a rewrite of the old list would need the very room that ran out). Closing it
   * drops the second name.
   */
  public FilesKept keepFiles() {
    return new FilesKept();
  }

  /** See {@link #keepFiles}. */
  public final class FilesKept implements AutoCloseable {
    private final Map<String, StagedFile> was = new TreeMap<>(files);
    private final boolean wasDirty = filesDirty;
    private final Path list = dir.resolve(FILES);
    private final Path kept = dir.resolve(FILES + ".kept");
    private final boolean existed;

    private FilesKept() {
      try {
        Workspace.ownerOnlyDir(dir);
        Files.deleteIfExists(kept); // left by a process killed mid-change
        existed = Files.exists(list, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (existed) {
          Files.createLink(kept, list);
        }
      } catch (IOException | UnsupportedOperationException e) {
        throw new WorkspaceError("cannot keep " + list + " for a change: " + e.getMessage(), e);
      }
    }

    /**
     * Puts the list back as it was when kept, after {@code cause} stopped the change; if even the
     * rename fails, says in one line what the operator must do.
     */
    public void restore(RuntimeException cause) {
      files.clear();
      files.putAll(was);
      filesDirty = wasDirty;
      try {
        if (existed) {
          Files.move(kept, list, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } else {
          Files.deleteIfExists(list);
        }
      } catch (IOException e) {
        throw new WorkspaceError(cause.getMessage() + "; and " + list + " still lists the target files of that change ("
            + AtomicFiles.reason(e) + "): run the same command again once it can write, or 'tufsh discard'", cause);
      }
    }

    @Override
    public void close() {
      try {
        Files.deleteIfExists(kept);
      } catch (IOException e) {
        // a second name of an old list at worst: the next change replaces it, load never reads it
      }
    }
  }

  public boolean isEmpty() {
    return versions.isEmpty() && files.isEmpty();
  }

  /**
   * Appends the roles changed since the last save to the log (encoded on every core), one
   * record each, and flushes it once; the log is rewritten only when its dead records outweigh
   * the live ones.
   */
  public void save() {
    try {
      Workspace.ownerOnlyDir(dir);
    } catch (IOException e) {
      throw new WorkspaceError("cannot create " + dir + ": " + AtomicFiles.reason(e), e);
    }
    if (!dirty.isEmpty() || !removed.isEmpty() || legacy) {
      List<String> changed = new ArrayList<>(new TreeSet<>(dirty));
      changed.parallelStream().forEach(this::fileBytes);
      List<StagedLog.Change> changes = new ArrayList<>();
      List<String> deadFiles = new ArrayList<>(); // staged role files no record names after this save
      for (String r : new TreeSet<>(removed)) {
        StagedLog.Entry was = onDisk.remove(r);
        if (was != null) {
          changes.add(new StagedLog.Change(r, 0, null));
          if (was.file() != null) {
            deadFiles.add(was.file());
          }
        }
      }
      for (String r : changed) {
        changes.add(new StagedLog.Change(r, versions.get(r), bytes.get(r)));
        StagedLog.Entry was = onDisk.get(r);
        if (was != null && was.file() != null) {
          deadFiles.add(was.file());
        }
      }
      Map<String, StagedLog.Entry> written = StagedLog.save(dir, onDisk, changes);
      StagedRoleFiles.delete(dir, deadFiles);
      logKey = StagedLog.key(dir); // a new file when this was the first save or a rewrite
      onDisk.clear();
      onDisk.putAll(written);
      changed.forEach(bytes::remove); // in the log now: read back when needed, not held
      dirty.clear();
      removed.clear();
      if (legacy) {
        try {
          Files.deleteIfExists(dir.resolve(LEGACY));
        } catch (IOException e) {
          throw new WorkspaceError("cannot remove " + dir.resolve(LEGACY) + ": " + AtomicFiles.reason(e), e);
        }
        legacy = false;
      }
    }
    if (filesDirty) {
      ArrayNode a = Json.nodes().arrayNode();
      for (StagedFile f : files.values()) {
        ObjectNode o = a.addObject();
        o.put("path", f.path());
        o.put("source", f.source());
        o.put("length", f.length());
        ObjectNode h = o.putObject("hashes");
        new TreeMap<>(f.hashes()).forEach(h::put); // sorted: the same files give the same bytes in every JVM
      }
      AtomicFiles.write(dir.resolve(FILES), Json.pretty(a).getBytes(StandardCharsets.UTF_8));
      filesDirty = false;
    }
  }

  /**
   * Removes every file of a staging area that cannot be read (damaged by hand or by a disk
   * error), so {@code discard} still works; returns how many files it removed.
   */
  public static int wipe(Path dir) {
    int n = 0;
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var list = Files.list(dir)) {
      for (Path p : (Iterable<Path>) list::iterator) {
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
          Files.delete(p);
          n++;
        }
      }
    } catch (IOException e) {
      throw new WorkspaceError("cannot clear " + dir + ": " + AtomicFiles.reason(e), e);
    }
    return n + StagedRoleFiles.deleteAll(dir); // after the log: a record never names a file that is gone
  }

  /** Drops every staged change, on disk too. */
  public void clear() {
    versions.clear();
    onDisk.clear();
    decoded.clear();
    peeked.clear();
    bytes.clear();
    dirty.clear();
    removed.clear();
    files.clear();
    filesDirty = false;
    logKey = null;
    StagedLog.delete(dir);
    StagedRoleFiles.deleteAll(dir); // after the log: a record never names a file that is gone
    for (String name : List.of(FILES, LEGACY)) {
      try {
        Files.deleteIfExists(dir.resolve(name));
      } catch (IOException e) {
        throw new WorkspaceError("cannot remove " + dir.resolve(name) + ": " + AtomicFiles.reason(e), e);
      }
    }
  }
}
