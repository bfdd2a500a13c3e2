package dev.tufsh.repo;

import dev.tufsh.errors.MetadataError;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.MetaFile;
import dev.tufsh.model.Root;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.Targets;
import dev.tufsh.model.Timestamp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What clients see now: the files in {@code metadata/} reachable from {@code timestamp.json}, and
 * the root chain. Read lazily; a repository that was never published is empty.
 *
 * <p>Root, timestamp, snapshot and every role that delegates are few and read again and again
 * (each bin's keys come from its delegator): they stay decoded. Leaf roles (PEP 458's 16,384 bins,
 * 2.27 M targets between them) are not held: a walk over every bin decodes, uses and drops each
 * one, and only the last {@link #RECENT_LEAVES} stay, for callers that read one bin twice in a row.
 */
public final class PublishedState {
  /** Leaf roles kept decoded: a few bins (about 30 KB of JSON each at PyPI's size). */
  static final int RECENT_LEAVES = 32;

  private final Path dir;
  private final Map<String, Read> delegators = new ConcurrentHashMap<>();
  private final Map<String, Read> recentLeaves = new LinkedHashMap<>(RECENT_LEAVES * 2, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Read> eldest) {
      return size() > RECENT_LEAVES;
    }
  };
  private final AtomicLong decodes = new AtomicLong();
  private Metadata<Root> root;
  private byte[] rootBytes;
  private boolean rootRead;
  private Metadata<Timestamp> timestamp;
  private byte[] timestampBytes;
  private Metadata<Snapshot> snapshot;
  private byte[] snapshotBytes;
  private String snapshotSha256;
  private boolean tsRead;

  public PublishedState(Path metadataDir) {
    this.dir = metadataDir;
  }

  public Path dir() {
    return dir;
  }

  /** The newest published root (the last of the N.root.json chain), if any. */
  public synchronized Optional<Metadata<Root>> root() {
    if (!rootRead) {
      rootRead = true;
      int v = 1;
      Path convenience = dir.resolve(FileNames.ROOT);
      if (Files.exists(convenience)) {
        v = MetadataCodec.decode(AtomicFiles.read(convenience), FileNames.ROOT, Root.class).signed().version();
      }
      while (v > 1 && !Files.exists(dir.resolve(FileNames.root(v)))) {
        v--;
      }
      if (Files.exists(dir.resolve(FileNames.root(v)))) {
        while (Files.exists(dir.resolve(FileNames.root(v + 1)))) {
          v++;
        }
        String name = FileNames.root(v);
        rootBytes = AtomicFiles.read(dir.resolve(name));
        root = MetadataCodec.decode(rootBytes, name, Root.class);
      }
    }
    return Optional.ofNullable(root);
  }

  /** The bytes of the newest root, or null. */
  public byte[] rootBytes() {
    root();
    return rootBytes;
  }

  /** The first root a client would have shipped with: 1.root.json. */
  public Optional<byte[]> firstRootBytes() {
    Path f = dir.resolve(FileNames.root(1));
    return Files.exists(f) ? Optional.of(AtomicFiles.read(f)) : Optional.empty();
  }

  private synchronized void readTimestamp() {
    if (tsRead) {
      return;
    }
    tsRead = true;
    Path ts = dir.resolve(FileNames.TIMESTAMP);
    if (!Files.exists(ts)) {
      return;
    }
    timestampBytes = AtomicFiles.read(ts);
    Top last = LAST.get(dir);
    boolean same = last != null && Arrays.equals(last.timestampBytes, timestampBytes);
    timestamp = same ? last.timestamp : MetadataCodec.decode(timestampBytes, FileNames.TIMESTAMP, Timestamp.class);
    String sn = FileNames.metadata("snapshot", timestamp.signed().snapshot().version());
    Path sp = dir.resolve(sn);
    if (!Files.exists(sp)) {
      throw new WorkspaceError(dir + ": timestamp.json names " + sn + ", which is missing");
    }
    snapshotBytes = AtomicFiles.read(sp);
    if (same && Arrays.equals(last.snapshotBytes, snapshotBytes)) {
      snapshot = last.snapshot;
      snapshotSha256 = last.snapshotSha256;
      return;
    }
    snapshot = MetadataCodec.decode(snapshotBytes, sn, Snapshot.class);
    if (LAST.size() >= 4) {
      LAST.clear(); // a server publishing to many repositories keeps a few, not all
    }
    LAST.put(dir, new Top(timestampBytes, timestamp, snapshotBytes, snapshot, null));
  }

  /**
   * The timestamp and snapshot last decoded from each metadata folder in this process. Every command
   * opens the repository anew (an upload's 'target add' twice, its publish once more), and decoding a
   * 16,384-entry snapshot costs far more than reading its bytes: what is reused is what was decoded
   * from the very same bytes, read again each time, so a change on disk is always seen.
   */
  private record Top(byte[] timestampBytes, Metadata<Timestamp> timestamp, byte[] snapshotBytes,
      Metadata<Snapshot> snapshot, String snapshotSha256) {}

  private static final Map<Path, Top> LAST = new ConcurrentHashMap<>();

  /**
   * Records the timestamp and snapshot a publish just wrote to {@code dir}, as its client
   * verification decoded them, so the next command in this process does not decode them from disk
   * again. Taken only for the very same bytes read again (see {@link Top}).
   */
  static void remember(Path dir, byte[] timestampBytes, Metadata<?> timestamp, byte[] snapshotBytes,
      Metadata<?> snapshot, String snapshotSha256) {
    if (timestampBytes == null || snapshotBytes == null || timestamp == null || snapshot == null
        || !(timestamp.signed() instanceof Timestamp) || !(snapshot.signed() instanceof Snapshot)) {
      return;
    }
    if (LAST.size() >= 4) {
      LAST.clear();
    }
    LAST.put(dir, new Top(timestampBytes, timestamp.as(Timestamp.class), snapshotBytes, snapshot.as(Snapshot.class),
        snapshotSha256));
  }

  public Optional<Metadata<Timestamp>> timestamp() {
    readTimestamp();
    return Optional.ofNullable(timestamp);
  }

  public byte[] timestampBytes() {
    readTimestamp();
    return timestampBytes;
  }

  public Optional<Metadata<Snapshot>> snapshot() {
    readTimestamp();
    return Optional.ofNullable(snapshot);
  }

  public byte[] snapshotBytes() {
    readTimestamp();
    return snapshotBytes;
  }

  /**
   * The SHA-256 (hex) of {@link #snapshotBytes}, or null when nothing is published: computed once,
   * or known from the publish in this process that wrote those very bytes.
   */
  public synchronized String snapshotSha256() {
    readTimestamp();
    if (snapshotSha256 == null && snapshotBytes != null) {
      snapshotSha256 = dev.tufsh.crypto.Hex.encode(dev.tufsh.crypto.Crypto.sha256(snapshotBytes));
    }
    return snapshotSha256;
  }

  /** The published version of a targets-type role per snapshot, or 0 when never published. */
  public int version(String role) {
    Optional<Metadata<Snapshot>> s = snapshot();
    if (s.isEmpty()) {
      return 0;
    }
    MetaFile m = s.get().signed().entry(role);
    return m == null ? 0 : m.version();
  }

  /** A published targets-type role (targets or delegated), if snapshot lists it. */
  public Optional<Metadata<Targets>> targets(String role) {
    return targetsRead(role).map(Read::metadata);
  }

  /**
   * A published targets-type role decoded from a file's bytes, which it keeps while it is held: a
   * check of what was decoded hashes these bytes, never the file read again (another writer may
   * have changed it since).
   */
  public static final class Read {
    private final Metadata<Targets> metadata;
    private final byte[] bytes;
    private volatile String sha256;

    Read(Metadata<Targets> metadata, byte[] bytes) {
      this.metadata = metadata;
      this.bytes = bytes;
    }

    public Metadata<Targets> metadata() {
      return metadata;
    }

    public long length() {
      return bytes.length;
    }

    /** The SHA-256 (hex) of the bytes {@link #metadata} was decoded from, computed once. */
    public String sha256() {
      String h = sha256;
      if (h == null) {
        sha256 = h = dev.tufsh.crypto.Hex.encode(dev.tufsh.crypto.Crypto.sha256(bytes));
      }
      return h;
    }
  }

  /** As {@link #targets}, with the bytes it was decoded from. */
  public Optional<Read> targetsRead(String role) {
    Read cached = cached(role);
    if (cached != null) {
      return Optional.of(cached);
    }
    int v = version(role);
    if (v == 0) {
      return Optional.empty();
    }
    String name = FileNames.metadata(role, v);
    Path p = dir.resolve(name);
    if (!Files.exists(p)) {
      throw new WorkspaceError(dir + ": snapshot lists " + name + ", which is missing");
    }
    byte[] bytes = AtomicFiles.read(p);
    Metadata<Targets> md;
    try {
      md = MetadataCodec.decode(bytes, name, Targets.class);
    } catch (MetadataError e) {
      throw e.in(name, role);
    }
    decodes.incrementAndGet();
    Read read = new Read(md, bytes);
    if (md.signed().delegations() != null) {
      delegators.put(role, read);
    } else {
      synchronized (recentLeaves) {
        recentLeaves.put(role, read);
      }
    }
    return Optional.of(read);
  }

  private Read cached(String role) {
    Read r = delegators.get(role);
    if (r != null) {
      return r;
    }
    synchronized (recentLeaves) {
      return recentLeaves.get(role);
    }
  }

  /** How many targets-type roles were decoded from disk so far (tests count re-reads with it). */
  public long decodes() {
    return decodes.get();
  }

  /** How many decoded targets-type roles are held now (tests check a walk holds few). */
  public int held() {
    synchronized (recentLeaves) {
      return delegators.size() + recentLeaves.size();
    }
  }

  /** Whether anything was ever published here. */
  public boolean isEmpty() {
    return timestamp().isEmpty() && root().isEmpty();
  }
}
