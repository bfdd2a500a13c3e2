package dev.tufsh.repo;

import dev.tufsh.model.Expiry;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.Signature;
import dev.tufsh.model.Signed;
import dev.tufsh.model.Targets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A summary of every published targets-type role (version, expiry, target count, signing key
 * ids), so {@code status} on 16384 bins reads one small file instead of 16384. It is a cache in
 * {@code .tufsh/}: it names the snapshot version it describes and is rebuilt from the published
 * files whenever that is not the snapshot clients see.
 */
public final class PublishedIndex {
  /** What status needs of one role. */
  public record Entry(String role, int version, Expiry expires, int targets, List<String> signers) {
    public Entry {
      signers = List.copyOf(signers);
    }

    static Entry of(String role, Metadata<? extends Signed> md) {
      Signed s = md.signed();
      return new Entry(role, s.version(), s.expires(), s instanceof Targets t ? t.targets().size() : 0,
          md.signatures().stream().map(Signature::keyid).toList());
    }
  }

  private static final String FILE = "published.index";

  /** A cache file's contents: what it is bound to, its entries, and how many lines it has. */
  private record Parsed(String binding, Map<String, Entry> entries, int lines) {
    static final Parsed NONE = new Parsed(null, Map.of(), 0);

    boolean compactionDue() {
      return binding != null && lines > IndexJournal.compactAt(entries.size());
    }
  }

  /** The cache this process last read or wrote, by its exact bytes (see {@link SameBytes}). */
  private static final SameBytes<Parsed> LAST = new SameBytes<>();

  private PublishedIndex() {}

  /** The cache file's contents, parsed unless this process holds them for the very same bytes. */
  private static Parsed parsed(Path file) {
    Parsed held = LAST.current(file);
    if (held != null) {
      return held;
    }
    byte[] bytes = IndexJournal.bytes(file);
    if (bytes == null) {
      return Parsed.NONE;
    }
    Parsed p = LAST.get(file, bytes);
    if (p == null) {
      IndexJournal.Contents c = IndexJournal.parse(bytes);
      p = c == null ? Parsed.NONE : new Parsed(c.binding(), entries(c), c.lines());
      LAST.put(file, bytes, p);
    }
    return p;
  }

  /** The entries for {@code roles}, from the cache when it matches the published snapshot. */
  public static Map<String, Entry> load(Workspace ws, PublishedState published, List<String> roles) {
    int snapshot = published.snapshot().map(m -> m.signed().version()).orElse(0);
    Path file = ws.privateDir().resolve(FILE);
    Parsed contents = parsed(file);
    Map<String, Entry> cached = binding(snapshot).equals(contents.binding()) ? contents.entries() : Map.of();
    Map<String, Entry> out = new ConcurrentHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String r : roles) {
      Entry e = cached.get(r);
      if (e != null && e.version() == published.version(r)) {
        out.put(r, e);
      } else if (published.version(r) > 0) {
        missing.add(r);
      }
    }
    missing.parallelStream().forEach(r -> published.targets(r).ifPresent(md -> out.put(r, Entry.of(r, md))));
    if ((!missing.isEmpty() || contents.compactionDue()) && snapshot > 0 && !ws.foreign()) {
      Map<String, Entry> all = new HashMap<>(cached); // a caller asking for some roles keeps the others'
      all.putAll(out);
      write(file, snapshot, all);
    }
    return out;
  }

  /**
   * Records what a publish wrote, so the next status reads it from here: appended to a cache that
   * describes the snapshot before, which is not parsed (one upload into 16,384 bins adds one line),
   * or written whole once the append would take it past {@link IndexJournal#compactAt} lines of the
   * roles it describes: a daily's 16,384 lines appended doubled the file every day (1.8 MB after a
   * build, 3.6, 5.4 ... until a status rewrote it), and every later status parsed all of it.
   */
  static void update(Workspace ws, int snapshot, Map<String, Entry> changed, PublishedState before) {
    Path file = ws.privateDir().resolve(FILE);
    int old = before.snapshot().map(m -> m.signed().version()).orElse(0);
    List<String> lines = new ArrayList<>();
    new TreeMap<>(changed).values().forEach(e -> lines.add(line(e)));
    SameBytes.Held<Parsed> held = LAST.held(file);
    LAST.forget(file);
    if (old > 0) {
      Parsed heldOld = held != null && binding(old).equals(held.value().binding()) ? held.value() : null;
      int roles = Math.max(changed.size(), before.snapshot().map(m -> m.signed().meta().size()).orElse(0));
      long had = heldOld != null ? heldOld.lines() : IndexJournal.lineCount(file);
      if (had >= 0 && had + lines.size() + 1 > IndexJournal.compactAt(roles)) {
        compact(file, old, snapshot, changed, heldOld);
        return;
      }
    }
    byte[] added = IndexJournal.appendBatch(file, binding(old), lines, binding(snapshot));
    if (added != null && held != null && binding(old).equals(held.value().binding())) {
      // What the next status in this process would parse: the held entries with these laid over.
      // laid over them (model.Overlay), not copied: one upload changes one of 16,384
      Map<String, Entry> all = dev.tufsh.model.Overlay.of(held.value().entries(), Map.copyOf(changed));
      LAST.putAppended(file, held, added, new Parsed(binding(snapshot), all, held.value().lines() + lines.size() + 1));
    } else if (added == null && old == 0) {
      try {
        byte[] written = IndexJournal.rewrite(file, lines, binding(snapshot));
        LAST.put(file, written, new Parsed(binding(snapshot), Map.copyOf(changed), lines.size() + 1));
      } catch (RuntimeException e) {
        // only a cache: status still works without it
      }
    }
    // Otherwise there is no usable cache to extend; the next status rebuilds it.
  }

  private static Map<String, Entry> entries(IndexJournal.Contents contents) {
    try {
      Map<String, Entry> out = new HashMap<>();
      for (String[] f : contents.entries().values()) {
        String role = new String(dev.tufsh.crypto.Hex.decode(f[0], "role"), StandardCharsets.UTF_8);
        out.put(role, new Entry(role, Integer.parseInt(f[1]), Expiry.parse(f[2]), Integer.parseInt(f[3]),
            f[4].isEmpty() ? List.of() : List.of(f[4].split(","))));
      }
      return Collections.unmodifiableMap(out);
    } catch (RuntimeException e) {
      return Map.of(); // a damaged cache is rebuilt, never trusted
    }
  }

  /**
   * Writes the cache whole: what {@code held} (the file's entries, parsed) or else the file's own
   * live lines say, with {@code changed} laid over, bound to {@code snapshot}; the very bytes a
   * status that rebuilt it would write. Nothing when the file does not describe {@code old}.
   */
  private static void compact(Path file, int old, int snapshot, Map<String, Entry> changed, Parsed held) {
    if (held != null) {
      Map<String, Entry> all = new HashMap<>(held.entries());
      all.putAll(changed);
      write(file, snapshot, all);
      return;
    }
    byte[] bytes = IndexJournal.bytes(file);
    // Unchanged roles keep their lines as they are (a daily changes every bin: nothing to parse);
    // a damaged line stays damaged, and the status that reads it rebuilds the cache as before.
    IndexJournal.Read<String> r = bytes == null ? null : IndexJournal.lines(bytes);
    if (r == null || !binding(old).equals(r.binding())) {
      return; // no usable cache to extend: the next status rebuilds it
    }
    TreeMap<String, String> lines = new TreeMap<>();
    try {
      r.entries().forEach((hex, l) -> lines.put(new String(dev.tufsh.crypto.Hex.decode(hex, "role"),
          StandardCharsets.UTF_8), l));
    } catch (RuntimeException e) {
      return; // a damaged key: left for status to rebuild
    }
    changed.forEach((role, e) -> lines.put(role, line(e)));
    try {
      IndexJournal.rewrite(file, lines.values(), binding(snapshot));
    } catch (RuntimeException e) {
      // only a cache: status still works without it
    }
  }

  private static void write(Path file, int snapshot, Map<String, Entry> entries) {
    List<String> lines = new ArrayList<>(entries.size());
    new TreeMap<>(entries).values().forEach(e -> lines.add(line(e)));
    try {
      LAST.forget(file);
      byte[] written = IndexJournal.rewrite(file, lines, binding(snapshot));
      LAST.put(file, written, new Parsed(binding(snapshot), Collections.unmodifiableMap(entries), lines.size() + 1));
    } catch (RuntimeException e) {
      // only a cache: status still works without it
    }
  }

  private static String line(Entry e) {
    return dev.tufsh.crypto.Hex.encode(e.role().getBytes(StandardCharsets.UTF_8)) + '\t' + e.version() + '\t'
        + e.expires().text() + '\t' + e.targets() + '\t' + String.join(",", e.signers());
  }

  private static String binding(int snapshot) {
    return "tufsh published index 2 snapshot " + snapshot;
  }
}
