package dev.tufsh.ops;

import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.model.MetaFile;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.AtomicFiles;
import dev.tufsh.repo.FileNames;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Prunes consistent-snapshot files clients can no longer reach: versioned metadata ({@code
 * V.ROLE.json}) and hash-named target copies ({@code dir/HASH.name}) that no live snapshot lists.
 * A snapshot is live while it is current or was superseded less than {@code retention} ago (a
 * client that read the old timestamp may still be fetching what it lists). Never a root version,
 * {@code timestamp.json}, a plain-named target or anything else; under the workspace lock. The
 * snapshot the last {@code checkpoint} recorded is live too, so a restore finds the target copies
 * it needs (one pinned snapshot at a time: a new checkpoint moves the pin).
 */
public final class Gc {
  public record Request(Duration retention, boolean dryRun) {}

  public record Pruned(String path, long bytes) {}

  public record Result(List<Pruned> files, long bytes, boolean dryRun, int liveSnapshots) {
    public Result {
      files = List.copyOf(files);
    }
  }

  private static final Pattern VERSIONED = Pattern.compile("([0-9]+)\\.(.+)\\.json");
  private static final Pattern HASH_NAMED = Pattern.compile("([0-9a-f]{64}|[0-9a-f]{128})\\..+");

  private Gc() {}

  public static Result run(Workbench bench, Request req) {
    try (PublishLock lock = bench.lock()) {
      Workspace ws = bench.workspace();
      Path meta = ws.metadataDir();
      Instant cutoff = bench.clock().instant().minus(req.retention());
      int current = MetadataCodec.decode(AtomicFiles.read(meta.resolve(FileNames.TIMESTAMP)), FileNames.TIMESTAMP,
          dev.tufsh.model.Timestamp.class).signed().snapshot().version();
      TreeMap<Integer, Path> snapshots = new TreeMap<>();
      List<Path> versioned = new ArrayList<>();
      for (Path p : list(meta)) {
        Matcher m = VERSIONED.matcher(p.getFileName().toString());
        if (!m.matches() || m.group(2).equals("root")) {
          continue;
        }
        versioned.add(p);
        if (m.group(2).equals("snapshot")) {
          snapshots.put(Integer.parseInt(m.group(1)), p);
        }
      }
      // Live: the current snapshot, and each older one whose successor appeared within the window.
      List<Path> live = new ArrayList<>();
      for (var e : snapshots.entrySet()) {
        Map.Entry<Integer, Path> next = snapshots.higherEntry(e.getKey());
        if (e.getKey() == current || e.getKey() < current && next != null && modified(next.getValue()).isAfter(cutoff)) {
          live.add(e.getValue());
        }
      }
      // The snapshot the last checkpoint recorded stays live: restore takes the target copies it lists.
      Checkpoint.pinned(ws).map(snapshots::get).filter(p -> !live.contains(p)).ifPresent(live::add);
      if (!snapshots.containsKey(current)) {
        throw new WorkspaceError(meta + ": timestamp.json names snapshot " + current + ", which is not there");
      }
      Set<String> keepMeta = new HashSet<>();
      for (Path s : live) {
        keepMeta.add(s.getFileName().toString());
        Snapshot snap = MetadataCodec.decode(AtomicFiles.read(s), s.toString(), Snapshot.class).signed();
        for (Map.Entry<String, MetaFile> m : snap.meta().entrySet()) {
          String role = m.getKey().substring(0, m.getKey().length() - ".json".length());
          keepMeta.add(FileNames.metadata(role, m.getValue().version()));
        }
      }
      List<Pruned> out = new ArrayList<>();
      for (Path p : versioned) {
        if (!keepMeta.contains(p.getFileName().toString()) && modified(p).isBefore(cutoff)) {
          out.add(new Pruned("metadata/" + p.getFileName(), size(p)));
        }
      }
      Path targets = ws.targetsDir();
      if (Files.isDirectory(targets) && anyCandidate(targets, cutoff)) {
        // Every target listed by a kept targets-type role keeps its hash-named copies.
        long[] keep = keptCopies(meta, keepMeta);
        List<Path> pruned = new ArrayList<>();
        try (Stream<Path> s = Files.walk(targets)) {
          s.filter(p -> candidate(p, cutoff)).forEach(p -> {
            if (Arrays.binarySearch(keep, fingerprint(relative(targets, p))) < 0) {
              pruned.add(p);
            }
          });
        } catch (IOException | java.io.UncheckedIOException e) {
          throw new WorkspaceError("cannot list " + targets + ": " + e.getMessage(), e);
        }
        pruned.sort(null);
        pruned.forEach(p -> out.add(new Pruned("targets/" + relative(targets, p), size(p))));
      }
      if (!req.dryRun()) {
        for (Pruned f : out) {
          try {
            Files.deleteIfExists(ws.root().resolve(f.path()));
          } catch (IOException e) {
            throw new WorkspaceError("cannot remove " + f.path() + ": " + e.getMessage(), e);
          }
        }
      }
      return new Result(out, out.stream().mapToLong(Pruned::bytes).sum(), req.dryRun(), live.size());
    }
  }

  /** Whether {@code targets/} holds any hash-named copy old enough to prune (most often none: skip the roles). */
  private static boolean anyCandidate(Path targets, Instant cutoff) {
    try (Stream<Path> s = Files.walk(targets)) {
      return s.anyMatch(p -> candidate(p, cutoff));
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new WorkspaceError("cannot list " + targets + ": " + e.getMessage(), e);
    }
  }

  private static boolean candidate(Path p, Instant cutoff) {
    return HASH_NAMED.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)
        && modified(p).isBefore(cutoff);
  }

  /**
   * The hash-named copies the kept roles list, as sorted fingerprints: each role is decoded, read
   * and dropped (2.27 M targets' names would take a GB as strings; as longs, 8 bytes each). Two
   * names sharing a fingerprint only keep a file that could have gone, never prune a listed one.
   */
  private static long[] keptCopies(Path meta, Set<String> keepMeta) {
    long[] keep = keepMeta.parallelStream().filter(n -> !n.endsWith(".snapshot.json")).flatMapToLong(n -> {
      Path p = meta.resolve(n);
      if (!Files.exists(p) || !(MetadataCodec.decode(AtomicFiles.read(p), n).signed() instanceof Targets t)) {
        return LongStream.empty();
      }
      LongStream.Builder b = LongStream.builder();
      t.targets().forEach((path, tf) ->
          tf.hashes().values().forEach(h -> b.add(fingerprint(FileNames.target(path, h)))));
      return b.build();
    }).toArray();
    Arrays.sort(keep);
    return keep;
  }

  /** 64-bit FNV-1a of a name relative to {@code targets/}. */
  static long fingerprint(String name) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      h ^= name.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static String relative(Path targets, Path p) {
    return targets.relativize(p).toString().replace('\\', '/');
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      throw new WorkspaceError("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Instant modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toInstant();
    } catch (IOException e) {
      return Instant.MAX; // unreadable: treat as new, never pruned
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
