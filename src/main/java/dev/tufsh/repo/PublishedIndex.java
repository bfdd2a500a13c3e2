package dev.tufsh.repo;

import dev.tufsh.model.Expiry;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.Signature;
import dev.tufsh.model.Signed;
import dev.tufsh.model.Targets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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

  private PublishedIndex() {}

  /** The entries for {@code roles}, from the cache when it matches the published snapshot. */
  public static Map<String, Entry> load(Workspace ws, PublishedState published, List<String> roles) {
    int snapshot = published.snapshot().map(m -> m.signed().version()).orElse(0);
    Path file = ws.privateDir().resolve(FILE);
    IndexJournal.Contents contents = IndexJournal.read(file);
    Map<String, Entry> cached = read(contents, snapshot);
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
    if ((!missing.isEmpty() || contents != null && contents.compactionDue()) && snapshot > 0 && !ws.foreign()) {
      Map<String, Entry> all = new HashMap<>(cached); // a caller asking for some roles keeps the others'
      all.putAll(out);
      write(file, snapshot, all);
    }
    return out;
  }

  /**
   * Records what a publish wrote, so the next status reads it from here: appended to a cache that
   * describes the snapshot before, which is not read (one upload into 16,384 bins adds one line).
   */
  static void update(Workspace ws, int snapshot, Map<String, Entry> changed, PublishedState before) {
    Path file = ws.privateDir().resolve(FILE);
    int old = before.snapshot().map(m -> m.signed().version()).orElse(0);
    List<String> lines = new ArrayList<>();
    new TreeMap<>(changed).values().forEach(e -> lines.add(line(e)));
    if (!IndexJournal.append(file, binding(old), lines, binding(snapshot)) && old == 0) {
      try {
        IndexJournal.rewrite(file, lines, binding(snapshot));
      } catch (RuntimeException e) {
        // only a cache: status still works without it
      }
    }
    // Otherwise there is no usable cache to extend; the next status rebuilds it.
  }

  private static Map<String, Entry> read(IndexJournal.Contents contents, int snapshot) {
    if (contents == null || !contents.binding().equals(binding(snapshot))) {
      return Map.of();
    }
    try {
      Map<String, Entry> out = new HashMap<>();
      for (String[] f : contents.entries().values()) {
        String role = new String(dev.tufsh.crypto.Hex.decode(f[0], "role"), StandardCharsets.UTF_8);
        out.put(role, new Entry(role, Integer.parseInt(f[1]), Expiry.parse(f[2]), Integer.parseInt(f[3]),
            f[4].isEmpty() ? List.of() : List.of(f[4].split(","))));
      }
      return out;
    } catch (RuntimeException e) {
      return Map.of(); // a damaged cache is rebuilt, never trusted
    }
  }

  private static void write(Path file, int snapshot, Map<String, Entry> entries) {
    List<String> lines = new ArrayList<>(entries.size());
    new TreeMap<>(entries).values().forEach(e -> lines.add(line(e)));
    try {
      IndexJournal.rewrite(file, lines, binding(snapshot));
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
