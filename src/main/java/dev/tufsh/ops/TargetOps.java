package dev.tufsh.ops;

import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.errors.UsageError;
import dev.tufsh.model.Names;
import dev.tufsh.model.SignedSplice;
import dev.tufsh.model.TargetFile;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.StagedFile;
import dev.tufsh.repo.Staging;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Adds and removes targets. Each path goes to the role a client would look in; every changed role
 * is staged once however many of its targets changed, and all are signed in one parallel pass.
 */
public final class TargetOps {
  /**
   * Which role each path went to (the first {@link #LISTED} paths of a larger add), how many
   * targets were added, the new versions of the changed roles, and warnings (one line each).
   */
  public record Result(Map<String, String> roleByPath, Map<String, Integer> versions, List<String> warnings,
      int count) {
    public Result(Map<String, String> roleByPath, Map<String, Integer> versions, List<String> warnings) {
      this(roleByPath, versions, warnings, roleByPath.size());
    }

    public Result(Map<String, String> roleByPath, Map<String, Integer> versions) {
      this(roleByPath, versions, List.of());
    }
  }

  /** How many paths a result names with their roles: a list of 2.27 M would be held twice over. */
  public static final int LISTED = 10_000;

  /**
   * How targets are added: the hash algorithms listed for files hashed here (null: the workspace's
   * {@code target_hashes} setting), and whether a URL-unsafe path is refused rather than warned about.
   */
  public record AddOptions(List<String> hashes, boolean strict, IfExists ifExists) {
    public static final AddOptions DEFAULTS = new AddOptions(null, false);

    public AddOptions(List<String> hashes, boolean strict) {
      this(hashes, strict, IfExists.FAIL);
    }
  }

  private TargetOps() {}

  /**
   * What to do when a path is already listed with other content. Published target files are
   * promises (PyPI files are immutable), so the default refuses; same content is never a change.
   */
  public enum IfExists { FAIL, REPLACE, SKIP }

  public static Result add(Workbench bench, Iterable<TargetSpec> specs) {
    return add(bench, specs, AddOptions.DEFAULTS);
  }

  /**
   * Adds {@code specs}, read once as they come (a list of millions is streamed, never held): each is
   * checked and routed, and kept by role in a {@link TargetSpill}; then, a few roles at a time, each
   * changed role is read once, merged, signed and put into one staging batch, committed only when
   * every role is in (a conflict refuses the whole add and the batch takes back what it wrote).
   */
  public static Result add(Workbench bench, Iterable<TargetSpec> specs, AddOptions options) {
    return add(bench, specs, options, TargetSpill.BUDGET);
  }

  /** As {@link #add(Workbench, Iterable, AddOptions)}, spilling past {@code budget} bytes (tests spill small adds). */
  static Result add(Workbench bench, Iterable<TargetSpec> specs, AddOptions options, long budget) {
    return add(bench, specs, null, options, budget, 1, TargetIntake.CHUNK);
  }

  /**
   * Adds {@code specs}, then every target {@code list} names (its chunks checked and routed on
   * {@link #LANES} threads; the result, and the first bad line's error, those of reading it a line
   * at a time).
   */
  public static Result add(Workbench bench, Iterable<TargetSpec> specs, TargetLines list, AddOptions options) {
    return add(bench, specs, list, options, TargetSpill.BUDGET, LANES, TargetIntake.CHUNK);
  }

  /**
   * The threads that check and route a list's chunks: one per core but the one that reads the list
   * and spills what the lanes routed. Full-size build, 2 cores, quiet, 2 interleaved rounds: one lane
   * 39.9 / 36.8 s wall, 60.3 / 56.2 s CPU; two lanes 41.2 / 38.6 s, 67.1 / 62.2 s (main before the
   * intake 45.4 / 44.1 s, 67.0 / 67.4 s). Not measured on more cores.
   */
  private static final int LANES = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

  /** As {@link #add(Workbench, Iterable, TargetLines, AddOptions)}, on {@code threads} in chunks of {@code chunk} bytes (tests). */
  static Result add(Workbench bench, Iterable<TargetSpec> specs, TargetLines list, AddOptions options, long budget,
      int threads, int chunk) {
    IfExists ifExists = options.ifExists();
    try (PublishLock lock = bench.lock();
        TargetSpill spill = new TargetSpill(bench.workspace().privateDir(), budget)) {
      Repository repo = bench.repository();
      TargetIntake in = new TargetIntake(bench, repo, options, spill);
      for (TargetSpec s : specs) {
        in.spec(s);
      }
      if (list != null) {
        in.list(list, threads, chunk);
      }
      List<String> warnings = in.warnings;
      Map<String, String> placed = in.placed;
      Map<String, StagedFile> files = in.files;
      if (in.hashedHere && in.algorithms.contains(HashAlgorithm.BLAKE2B_256.tufName())) {
        warnings.add(0, "listing blake2b-256: python-tuf checks it, but tuf-js and go-tuf refuse to download a"
            + " target whose hashes include it");
      }
      java.util.Set<String> changed = new java.util.TreeSet<>();
      // Signed a partition at a time: at most one signature per target and per role, said up front.
      dev.tufsh.crypto.Ed25519Engine.expect((int) Math.min(placed.size(), repo.roleCount()));
      Staging staging = repo.staging();
      staging.save(); // a no-op, or a staging area of the older format moved into the log before the batch
      int count;
      try (Staging.FilesKept kept = files.isEmpty() ? null : staging.keepFiles();
          Staging.Batch batch = staging.batch()) {
        try {
          count = stagePartitions(repo, spill, batch, ifExists, files, placed, changed);
          if (kept != null) {
            files.values().forEach(staging::putFile);
            staging.save();
          }
          batch.commit();
        } catch (RuntimeException e) {
          if (kept != null) {
            kept.restore(e);
          }
          throw e;
        }
      }
      return new Result(placed, versions(repo, changed), List.copyOf(warnings), count);
    }
  }

  /**
   * Merges and signs each partition's roles in turn and puts them into {@code batch} (which writes
   * a chunk at a time to staged role files, so memory holds one chunk); returns how many targets
   * were added. Nothing is staged until the caller commits: the first conflict (in role order)
   * throws, and the batch closed without its commit takes back every record and file it wrote, as
   * for an I/O error half-way through 16,384 bins. (Signed bins used to go to a second spill file,
   * copied into the batch after the last partition: 488 MB more written and read at PyPI's size.)
   */
  private static int stagePartitions(Repository repo, TargetSpill spill, Staging.Batch batch, IfExists ifExists,
      Map<String, StagedFile> files, Map<String, String> placed, java.util.Set<String> changed) {
    int count = 0;
    for (int p = 0; p < TargetSpill.PARTITIONS; p++) {
      Map<String, SpilledRole> byRole = spill.read(p);
      if (byRole.isEmpty()) {
        continue;
      }
      Map<String, Merged> merged = new java.util.concurrent.ConcurrentHashMap<>();
      byRole.entrySet().parallelStream().forEach(e -> merged.put(e.getKey(), merge(repo, e.getKey(), e.getValue(),
          ifExists)));
      Map<String, dev.tufsh.model.Targets> ready = new TreeMap<>();
      Map<String, byte[]> spliced = new TreeMap<>();
      for (String role : byRole.keySet()) { // in role order: the first conflict is reported, as before
        Merged m = merged.get(role);
        if (m.error() != null) {
          throw m.error();
        }
        for (String skipped : m.skipped()) {
          files.remove(skipped);
          placed.remove(skipped);
        }
        count += byRole.get(role).size() - m.skipped().size(); // each path once, without those skipped
        if (m.targets() != null) {
          ready.put(role, m.targets());
        } else if (m.signedBytes() != null) {
          spliced.put(role, m.signedBytes());
        }
      }
      Map<String, byte[]> signed = new TreeMap<>(repo.encodeSigned(ready));
      signed.putAll(repo.encodeSignedBytes(spliced));
      for (String role : signed.keySet()) {
        batch.put(role, repo.nextVersion(role), signed.get(role));
        changed.add(role);
      }
    }
    return count;
  }

  /**
   * A role's new content after an add (both null when every target of it was skipped): decoded, or
   * as canonical signed bytes spliced from its staged file; or why it is refused.
   */
  private record Merged(dev.tufsh.model.Targets targets, byte[] signedBytes, List<String> skipped,
      UsageError error) {
    Merged(dev.tufsh.model.Targets targets, List<String> skipped, UsageError error) {
      this(targets, null, skipped, error);
    }
  }

  /**
   * {@code role} with {@code add} merged in, read once and not kept (see {@link Repository#targetsOnce}).
   * A role an earlier add staged (the second list of a build, 16,384 bins) is spliced: its entries'
   * bytes copied, not decoded and encoded again; one that lists a path of {@code add} already, or is
   * not in the plain canonical form, is decoded as before (see {@link SignedSplice#withTargetsAdded}).
   */
  private static Merged merge(Repository repo, String role, SpilledRole adds, IfExists ifExists) {
    if (repo.staging().has(role)) {
      Optional<byte[]> spliced = SignedSplice.of(repo.staging().fileBytes(role))
          .flatMap(sp -> sp.withTargetsAdded(adds, repo.nextVersion(role), repo.freshExpiry(role)));
      if (spliced.isPresent()) {
        return new Merged(null, spliced.get(), List.of(), null);
      }
    }
    Map<String, TargetFile> add = adds.toMap();
    dev.tufsh.model.Targets t = repo.targetsOnce(role).orElse(null);
    if (t == null) {
      return new Merged(null, List.of(), new UsageError("unknown role '" + role + "'"));
    }
    List<String> skipped = new ArrayList<>();
    for (var it = add.entrySet().iterator(); it.hasNext();) {
      var e = it.next();
      TargetFile listed = t.targets().get(e.getKey());
      if (listed != null && !sameContent(listed, e.getValue())) {
        if (ifExists == IfExists.SKIP) {
          skipped.add(e.getKey());
          it.remove();
        } else if (ifExists == IfExists.FAIL) {
          return new Merged(null, skipped, new UsageError("target " + Names.printable(e.getKey())
              + " is already listed in " + role + " with other content (length " + listed.length() + "); a"
              + " published path keeps its bytes: use a new path, or --if-exists replace"));
        }
      }
    }
    if (add.isEmpty()) {
      return new Merged(null, skipped, null);
    }
    return new Merged(t.withTargetsAdded(add).withExpires(repo.freshExpiry(role)), skipped, null);
  }

  public static Result remove(Workbench bench, List<String> paths) {
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      TargetRouter router = new TargetRouter(repo);
      Map<String, dev.tufsh.model.Targets> read = new HashMap<>();
      Map<String, List<String>> byRole = new TreeMap<>();
      Map<String, String> placed = new LinkedHashMap<>();
      for (String p : paths) {
        Names.checkTargetPath(p, "target path");
        String role = router.roleFor(p);
        if (!read.computeIfAbsent(role, repo::requireTargets).targets().containsKey(p)) {
          throw new UsageError("no target '" + Names.printable(p) + "' (it would be in role '" + role + "')");
        }
        byRole.computeIfAbsent(role, r -> new ArrayList<>()).add(p);
        placed.put(p, role);
      }
      Map<String, dev.tufsh.model.Targets> changed = new LinkedHashMap<>();
      byRole.forEach((role, rm) -> {
        dev.tufsh.model.Targets t = read.get(role);
        Map<String, TargetFile> all = new HashMap<>(t.targets());
        rm.forEach(all::remove);
        changed.put(role, t.withTargets(all).withExpires(repo.freshExpiry(role)));
      });
      repo.stageAll(changed);
      paths.forEach(repo.staging()::removeFile);
      repo.save();
      return new Result(placed, versions(repo, changed.keySet()));
    }
  }

  /** Same length and every hash both list agrees (they may list different algorithms). */
  private static boolean sameContent(TargetFile a, TargetFile b) {
    if (a.length() != b.length()) {
      return false;
    }
    boolean compared = false;
    for (var e : a.hashes().entrySet()) {
      String other = b.hashes().get(e.getKey());
      if (other != null) {
        if (!other.equalsIgnoreCase(e.getValue())) {
          return false;
        }
        compared = true;
      }
    }
    return compared;
  }

  /**
   * The roles {@code paths} would be placed in (or removed from), for a permission check before
   * anything is read or staged: a key granted one project's role may add that project's targets.
   */
  public static List<String> rolesFor(Workbench bench, Iterable<String> paths) {
    TargetRouter router = new TargetRouter(bench.repository());
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (String p : paths) {
      Names.checkTargetPath(p, "target path");
      out.add(router.roleFor(p));
    }
    return new ArrayList<>(out);
  }

  static Map<String, Integer> versions(Repository repo, Iterable<String> roles) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String r : roles) {
      out.put(r, repo.nextVersion(r));
    }
    return out;
  }
}
