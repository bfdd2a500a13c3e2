package dev.tufsh.repo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.json.ByteSink;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The highest version of every role tufsh ever published ({@code .tufsh/high-water.json}), kept so
 * that what clients have seen is never taken back: a {@code metadata/} restored from a backup would
 * otherwise get versions clients already hold with other content, and every client that saw the
 * newer ones would stop updating. Publish refuses a role at or below its mark, and refuses different
 * bytes for a versioned file it already promised ({@code N.ROLE.json}). The mark only rises; callers
 * add what the audit log remembers ({@link #raise}) so deleting this file is not enough to rewind it.
 */
public final class HighWaterMark {
  /** The marks as a file's bytes give them (and the bytes' SHA-256, hex): never changed once parsed. */
  private record Parsed(Map<String, Integer> marks, String auditPosition, String sha256) {
    static final Parsed NONE = new Parsed(Map.of(), null, "none");
  }

  /** The marks raised since high-water.json was written, as its journal's batches give them. */
  private record Raised(Map<String, Integer> marks, String auditPosition, int lines, String binding) {}

  /** The marks this process last read or wrote, by the file's exact bytes (see {@link SameBytes}). */
  private static final SameBytes<Parsed> LAST = new SameBytes<>();
  private static final SameBytes<Raised> LAST_JOURNAL = new SameBytes<>();

  /** Journal lines from which the next publish writes high-water.json whole again and empties the journal. */
  static final int COMPACT_AT = 4096;

  private static final String BINDING = "tufsh high-water 1 base ";

  private final Path file;
  /** The marks as read (shared, never changed), and those raised since: 16,384 bins are not copied. */
  private final Map<String, Integer> read;
  /** The journal's marks (raised by publishes since high-water.json was written), null when it has none usable. */
  private final Raised journaled;
  private final String baseSha256;
  private final Map<String, Integer> raised = new HashMap<>();
  private boolean afterRestore;
  /** How far into the audit log the marks include its record (its own OFFSET:SEQ:HASH form), or null. */
  private String auditPosition;

  private HighWaterMark(Path file, Parsed base, Raised journaled) {
    this.file = file;
    this.read = base.marks();
    this.baseSha256 = base.sha256();
    this.journaled = journaled;
    this.auditPosition = journaled != null ? journaled.auditPosition() : base.auditPosition();
  }

  /**
   * The marks: {@code high-water.json} (canonical JSON of every mark), raised by the batches its
   * journal {@code high-water.log} appended since ({@link IndexJournal}: a publish appends the few
   * marks it raised instead of rewriting 16,384). The journal counts only when its last line is a
   * binding naming the SHA-256 of high-water.json as it is now; a torn, damaged, stale or foreign
   * journal is ignored whole, and the marks it held come back from the audit log, which publish
   * reads from the position the file that does count keeps (the whole log when there is none).
   */
  public static HighWaterMark load(Workspace ws) {
    Path f = ws.highWaterFile();
    Parsed base = Parsed.NONE;
    Parsed held = LAST.current(f);
    if (held != null) {
      base = held;
    } else if (Files.exists(f)) {
      byte[] bytes = AtomicFiles.readBounded(f, 64L << 20);
      base = LAST.get(f, bytes);
      if (base == null) {
        base = parse(bytes, f);
        LAST.put(f, bytes, base);
      }
    }
    return new HighWaterMark(f, base, journal(journalOf(f), base));
  }

  private static Parsed parse(byte[] bytes, Path f) {
    JsonNode doc = Json.parse(bytes, f.toString());
    dev.tufsh.json.FormatMember.check(doc, f.toString(), "high-water marks", 1);
    JsonNode roles = doc.path("roles");
    // Looked up by name (an upload asks for a few): sorted only when every mark is written again.
    Map<String, Integer> m = new HashMap<>(roles.size() * 4 / 3 + 1);
    roles.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asInt()));
    return new Parsed(Collections.unmodifiableMap(m),
        doc.path("audit_position").isTextual() ? doc.path("audit_position").asText() : null,
        dev.tufsh.crypto.Hex.encode(dev.tufsh.crypto.Crypto.sha256(bytes)));
  }

  static Path journalOf(Path file) {
    return file.resolveSibling("high-water.log");
  }

  /** The journal's raises when it is bound to {@code base}; else null (ignored whole). */
  private static Raised journal(Path log, Parsed base) {
    Raised r = LAST_JOURNAL.current(log);
    if (r == null) {
      byte[] bytes = IndexJournal.bytes(log);
      if (bytes == null) {
        return null;
      }
      r = LAST_JOURNAL.get(log, bytes);
      if (r == null) {
        r = parseJournal(bytes);
        if (r == null) {
          return null;
        }
        LAST_JOURNAL.put(log, bytes, r);
      }
    }
    return r.binding().startsWith(BINDING + base.sha256() + " audit ") ? r : null;
  }

  private static Raised parseJournal(byte[] bytes) {
    IndexJournal.Contents c = IndexJournal.parse(bytes);
    if (c == null) {
      return null;
    }
    try {
      Map<String, Integer> m = new HashMap<>();
      for (String[] f : c.entries().values()) {
        m.put(new String(dev.tufsh.crypto.Hex.decode(f[0], "role"), java.nio.charset.StandardCharsets.UTF_8),
            Integer.parseInt(f[1]));
      }
      String pos = c.binding().substring(c.binding().lastIndexOf(" audit ") + " audit ".length());
      return new Raised(Map.copyOf(m), pos.equals("-") ? null : pos, c.lines(), c.binding());
    } catch (RuntimeException e) {
      return null; // damaged: ignored, and the audit log says again what it held
    }
  }

  private static String binding(String baseSha256, String auditPosition) {
    return BINDING + baseSha256 + " audit " + (auditPosition == null ? "-" : auditPosition);
  }

  /** How far into the audit log the marks already include (null: not at all; scan it whole). */
  public String auditPosition() {
    return auditPosition;
  }

  /**
   * Raises the marks to what the audit log records up to {@code position} (its own form), which is
   * kept with the marks so the next publish reads only what the log gained since.
   */
  public HighWaterMark raiseFromAudit(Map<String, Integer> seen, String position) {
    raise(seen);
    this.auditPosition = position;
    return this;
  }

  /** The highest version of {@code role} ever published (0: never). */
  public int mark(String role) {
    Integer r = raised.get(role);
    if (r != null) {
      return r;
    }
    Integer j = journaled == null ? null : journaled.marks().get(role);
    return Math.max(j == null ? 0 : j, read.getOrDefault(role, 0));
  }

  /** Every mark: those read with those raised laid over them. */
  private SortedMap<String, Integer> marks() {
    TreeMap<String, Integer> all = read instanceof SortedMap<String, Integer> sorted
        && sorted.comparator() == CanonicalJson.CODE_POINT_ORDER ? new TreeMap<>(sorted) // linear: already sorted
        : sortedCopy(read);
    if (journaled != null) {
      journaled.marks().forEach((role, v) -> all.merge(role, v, Math::max));
    }
    all.putAll(raised);
    return all;
  }

  private static TreeMap<String, Integer> sortedCopy(Map<String, Integer> m) {
    TreeMap<String, Integer> t = new TreeMap<>(CanonicalJson.CODE_POINT_ORDER);
    t.putAll(m);
    return t;
  }

  /** Raises marks to versions known from elsewhere (the audit log); never lowers one. */
  public HighWaterMark raise(Map<String, Integer> seen) {
    seen.forEach((role, v) -> {
      if (v > mark(role)) {
        raised.put(role, v);
      }
    });
    return this;
  }

  /** Accepts publishing over a {@code metadata/} that is behind the mark (restored from a backup). */
  public HighWaterMark afterRestore(boolean accept) {
    this.afterRestore = accept;
    return this;
  }

  /**
   * Refuses a plan that would show clients an older version of anything, or rewrite a promised
   * file. {@code snapshotIsOurs}: the snapshot clients see is the very
   * file tufsh last published (the verified index is bound to its hash). Then, with neither it nor
   * the timestamp behind its mark and no restore accepted, no role it lists can be behind its mark
   * (every publish leaves each listed role at or above it), and the scan of every mark (16,384
   * bins for one upload) is left out.
   */
  void check(Repository repo, Plan plan, boolean snapshotIsOurs) {
    int tsNow = repo.publishedVersion("timestamp");
    int tsMark = mark("timestamp");
    if (tsNow < tsMark && !afterRestore) {
      throw new WorkspaceError("metadata/ is older than what clients have seen: timestamp.json is version " + tsNow
          + " but version " + tsMark + " was published (" + source() + "); was metadata/ restored from a backup?"
          + " What was published after that backup is missing from it. To publish above the mark anyway,"
          + " run 'publish --after-restore'");
    }
    java.util.Set<String> inPlan = new java.util.HashSet<>();
    for (PlanEntry e : plan.entries()) {
      inPlan.add(e.role());
      if (e.newVersion() <= mark(e.role())) {
        throw new WorkspaceError(refusal(e.role(), e.newVersion()));
      }
    }
    boolean current = snapshotIsOurs && !afterRestore && tsNow >= tsMark
        && repo.publishedVersion("snapshot") >= mark("snapshot");
    for (var m : current ? java.util.List.<Map.Entry<String, Integer>>of() : marks().entrySet()) {
      String role = m.getKey();
      if (!inPlan.contains(role) && repo.publishedVersion(role) > 0 && repo.publishedVersion(role) < m.getValue()) {
        throw new WorkspaceError(refusal(role, repo.publishedVersion(role)));
      }
    }
    Path meta = repo.workspace().metadataDir();
    for (var e : plan.newFiles().entrySet()) {
      String name = e.getKey();
      if (name.equals(FileNames.TIMESTAMP)) {
        continue;
      }
      Path p = meta.resolve(name);
      if (Files.exists(p) && promised(repo, name) && !Arrays.equals(AtomicFiles.read(p), e.getValue())) {
        throw new WorkspaceError(name + " is already published with other content; refusing to rewrite it (a"
            + " version number promises its bytes): stage a new version above " + mark(roleOf(name)));
      }
    }
  }

  private String refusal(String role, int version) {
    return "refusing to publish " + role + " version " + version + ": version " + mark(role) + " was published"
        + " before (" + source() + ") and clients that saw it reject older ones; metadata/ looks restored from a"
        + " backup. Stage a new version above the mark ('tufsh resign " + role + "' gives it version "
        + (mark(role) + 1) + ") and publish again";
  }

  private String source() {
    return "high-water mark in " + file.getParent().getFileName() + "/" + file.getFileName() + " and the audit log";
  }

  /** Whether {@code N.ROLE.json} was (or may have been) published: else it is debris of a killed publish. */
  private boolean promised(Repository repo, String name) {
    int dot = name.indexOf('.');
    int version = Integer.parseInt(name.substring(0, dot));
    String role = roleOf(name);
    return version <= Math.max(repo.publishedVersion(role), mark(role));
  }

  private static String roleOf(String name) {
    return name.substring(name.indexOf('.') + 1, name.length() - ".json".length());
  }

  /** Raises the marks to what was just published, written before the staging area is cleared. */
  void record(Map<String, Integer> published) {
    raise(published);
    Path log = journalOf(file);
    if (journaled != null && journaled.lines() + raised.size() < COMPACT_AT) {
      // The marks raised (a few for one upload) and the audit position, appended and flushed; a
      // torn append leaves the journal ending in no binding, so it is ignored whole (see load).
      List<String> lines = new ArrayList<>();
      new TreeMap<>(raised).forEach((role, v) -> lines.add(
          dev.tufsh.crypto.Hex.encode(role.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\t" + v));
      String next = binding(baseSha256, auditPosition);
      SameBytes.Held<Raised> held = LAST_JOURNAL.held(log);
      LAST_JOURNAL.forget(log);
      byte[] added = IndexJournal.appendBatch(log, journaled.binding(), lines, next, true);
      if (added != null) {
        if (held != null && held.value() == journaled) {
          Map<String, Integer> m = new HashMap<>(journaled.marks());
          m.putAll(raised);
          LAST_JOURNAL.putAppended(log, held, added, new Raised(Map.copyOf(m), auditPosition,
              journaled.lines() + lines.size() + 1, next));
        }
        return;
      }
    }
    // Every mark written whole, then the journal emptied and bound to it: killed in between, the
    // old journal names the old file's SHA-256 and is ignored, and the new file holds all it held.
    SortedMap<String, Integer> all = marks();
    byte[] bytes = encode(all, auditPosition);
    LAST.forget(file);
    AtomicFiles.writePrivate(file, bytes);
    String sha = dev.tufsh.crypto.Hex.encode(dev.tufsh.crypto.Crypto.sha256(bytes));
    LAST.put(file, bytes, new Parsed(Collections.unmodifiableSortedMap(all), auditPosition, sha));
    LAST_JOURNAL.forget(log);
    byte[] empty = IndexJournal.rewrite(log, List.of(), binding(sha, auditPosition));
    LAST_JOURNAL.put(log, empty, new Raised(Map.of(), auditPosition, 1, binding(sha, auditPosition)));
  }

  /**
   * The file's canonical JSON, written from marks already in canonical order: what {@link
   * CanonicalJson#encodeFile} gives for the same document, without a tree of 16,384 members sorted
   * again on every publish.
   */
  static byte[] encode(SortedMap<String, Integer> marks, String auditPosition) {
    ByteSink out = new ByteSink(32 + marks.size() * 24);
    out.write('{');
    if (auditPosition != null) {
      out.writeAscii("\"audit_position\":");
      CanonicalJson.writeString(auditPosition, out, true);
      out.write(',');
    }
    out.writeAscii("\"roles\":{");
    boolean first = true;
    for (Map.Entry<String, Integer> e : marks.entrySet()) {
      if (!first) {
        out.write(',');
      }
      first = false;
      CanonicalJson.writeString(e.getKey(), out, true);
      out.write(':');
      out.writeAscii(Integer.toString(e.getValue()));
    }
    out.writeAscii("}}");
    return out.toByteArray();
  }
}
