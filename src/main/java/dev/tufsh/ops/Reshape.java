package dev.tufsh.ops;

import dev.tufsh.crypto.Key;
import dev.tufsh.errors.UsageError;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.SuccinctRoles;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.Planner;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Repository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Changes the hashed bins as one staged change: their number (N to M, powers of two) and/or their
 * layout (hash-prefix roles, succinct roles under a {@code bins} role, or succinct roles directly
 * under targets). Every target moves to the bin its path hash names in the new shape; every new
 * bin is staged (an empty one too: clients fetch each), signed by the bins' keys; the delegating
 * role is re-signed with the new delegation. Old bins are no longer delegated but stay listed in
 * the snapshot: clients refuse a snapshot that drops a name the previous one listed (spec 5.5.5).
 */
public final class Reshape {
  /** {@code layout} null keeps the layout; {@code binsKey} names the key of a new {@code bins} role. */
  public record Request(int bins, BinShape.Layout layout, String binsKey) {}

  /** The shapes before and after, how many targets moved, the roles staged and the cost to clients. */
  public record Result(BinShape before, BinShape after, int targets, int moved, int staged, List<String> dropped,
      ClientCost.Comparison cost) {
    public Result {
      dropped = List.copyOf(dropped);
    }
  }

  public static final int MAX_BINS = 1 << 16;

  private Reshape() {}

  public static Result run(Workbench bench, Request req) {
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      NothingStaged.require(repo, "reshape stages every bin");
      BinShape before = BinShape.find(repo::targets)
          .orElseThrow(() -> new UsageError("no hashed bins here: targets delegates to no succinct_roles and no"
              + " path_hash_prefixes bins"));
      BinShape.Layout layout = req.layout() != null ? req.layout() : before.layout();
      check(req.bins(), layout, before);

      String parent = layout == BinShape.Layout.RSTUF ? "targets"
          : before.parent().equals("targets") ? "bins" : before.parent();
      Delegations binDelegations = delegations(req.bins(), layout, before);
      List<String> names = binDelegations.roleNames();

      // Delegating roles first: staging them renews the delegation index that signs the new bins.
      Map<String, Targets> parents = new LinkedHashMap<>();
      if (parent.equals(before.parent())) {
        parents.put(parent, repo.requireTargets(parent).withDelegations(binDelegations)
            .withExpires(repo.freshExpiry(parent)));
      } else if (layout == BinShape.Layout.RSTUF) {
        requireOnlyChild(repo, before);
        parents.put("targets", repo.requireTargets("targets").withDelegations(binDelegations)
            .withExpires(repo.freshExpiry("targets")));
      } else {
        if (req.binsKey() == null) {
          throw new UsageError("the bins move under a new 'bins' role: give --bins-key NAME (PEP 458: an offline key,"
              + " like the targets keys)");
        }
        Key key = KeyRefs.fromStore(bench, req.binsKey());
        DelegatedRole bins = new DelegatedRole("bins", List.of(key.keyId()), 1, true, null, Init.allPrefixes(1),
            Map.of());
        parents.put("targets", repo.requireTargets("targets")
            .withDelegations(Delegations.of(Map.of(key.keyId(), key), List.of(bins)))
            .withExpires(repo.freshExpiry("targets")));
        // A 'bins' published before (and still in the snapshot) comes back above every version clients hold.
        parents.put("bins", Targets.empty(repo.freshExpiry("bins")).withDelegations(binDelegations));
      }

      Map<String, TargetFile> all = new ConcurrentHashMap<>();
      Map<String, String> was = new ConcurrentHashMap<>();
      before.binNames().parallelStream().forEach(b -> {
        Targets t = repo.targets(b).orElseThrow(() -> new WorkspaceError("bin '" + b + "' is delegated but has no"
            + " metadata"));
        t.targets().forEach((path, file) -> {
          all.put(path, file);
          was.put(path, b);
        });
      });
      int bits = Integer.numberOfTrailingZeros(req.bins());
      List<Map<String, TargetFile>> byBin = new ArrayList<>(names.size());
      for (int i = 0; i < names.size(); i++) {
        byBin.add(new HashMap<>());
      }
      all.forEach((path, file) -> byBin.get((int) SuccinctRoles.binIndex(path, bits)).put(path, file));
      Expiry binExpiry = Expiry.at(repo.now().plus(repo.settings().expiryOf("bin")));
      Map<String, Targets> bins = new LinkedHashMap<>();
      int moved = 0;
      for (int i = 0; i < names.size(); i++) {
        bins.put(names.get(i), Targets.empty(binExpiry).withTargets(byBin.get(i)));
        for (String path : byBin.get(i).keySet()) {
          if (!names.get(i).equals(was.get(path))) {
            moved++;
          }
        }
      }
      // One at a time, targets first: each is signed by the keys its delegator, staged just before, names.
      parents.forEach(repo::stage);
      repo.stageAll(bins);
      repo.save();

      BinShape after = BinShape.find(repo::targets).orElseThrow();
      List<String> dropped = new ArrayList<>(before.binNames());
      dropped.removeAll(new java.util.HashSet<>(after.binNames()));
      if (!parent.equals(before.parent())) {
        before.path().stream().filter(r -> !after.path().contains(r)).forEach(dropped::add);
      }
      ClientCost.Comparison cost = ClientCost.compare(repo, before, after, Planner.preview(repo));
      return new Result(before, after, all.size(), moved, parents.size() + bins.size(), dropped, cost);
    }
  }

  /**
   * The cost comparison when the staged bins differ in shape from the published ones (a reshape is
   * staged), for {@code plan}; empty otherwise.
   */
  public static Optional<ClientCost.Comparison> pendingCost(Workbench bench, dev.tufsh.repo.Plan plan) {
    if (plan.isEmpty()) {
      return Optional.empty();
    }
    // The published shape alone first: a daily plan of 16384 re-signed bins leaves their parent
    // alone, and must not pay for loading the staging area a second time.
    dev.tufsh.repo.PublishedState pub = new dev.tufsh.repo.PublishedState(bench.workspace().metadataDir());
    if (pub.snapshot().isEmpty()) {
      return Optional.empty();
    }
    Optional<BinShape> before = BinShape.find(r -> pub.targets(r).map(Metadata::signed));
    java.util.Set<String> changing = new java.util.HashSet<>();
    plan.entries().forEach(e -> changing.add(e.role()));
    if (before.isEmpty() || before.get().path().stream().noneMatch(changing::contains)) {
      return Optional.empty();
    }
    Repository repo = bench.repository();
    Optional<BinShape> after = BinShape.find(repo::targets);
    if (before.isEmpty() || after.isEmpty() || before.get().sameShape(after.get())) {
      return Optional.empty();
    }
    return Optional.of(ClientCost.compare(repo, before.get(), after.get(), plan));
  }

  private static void check(int m, BinShape.Layout layout, BinShape before) {
    if (m < 1 || m > MAX_BINS || Integer.bitCount(m) != 1) {
      throw new UsageError("--bins must be a power of two from 1 to " + MAX_BINS + ", got " + m);
    }
    if (m == 1 && layout != BinShape.Layout.HASH_PREFIX) {
      throw new UsageError("succinct hashed bins need at least 2 bins; use --layout hash-prefix for 1");
    }
    if (m == before.bins() && layout == before.layout()) {
      throw new UsageError("the repository already has " + before.describe() + "; nothing to reshape");
    }
  }

  /** The new bins' delegation, with the bins' keys and threshold as they are. */
  private static Delegations delegations(int m, BinShape.Layout layout, BinShape before) {
    if (layout == BinShape.Layout.HASH_PREFIX) {
      return Delegations.of(before.keys(), Init.prefixBins(m, before.keyids(), before.threshold()));
    }
    boolean keepPrefix = before.layout() == layout;
    String prefix = keepPrefix ? before.namePrefix() : layout == BinShape.Layout.RSTUF ? "bins" : "bin";
    return Delegations.succinct(before.keys(), new SuccinctRoles(before.keyids(), before.threshold(),
        Integer.numberOfTrailingZeros(m), prefix, Map.of()));
  }

  /** Bins moving up into targets replace targets' delegations: nothing else may hang there. */
  private static void requireOnlyChild(Repository repo, BinShape before) {
    if (before.path().size() != 2) {
      throw new UsageError("the bins' parent '" + before.parent() + "' is not delegated directly by targets;"
          + " --layout rstuf needs targets -> " + before.parent());
    }
    Delegations d = repo.requireTargets("targets").delegations();
    if (d.roles() == null || d.roles().size() != 1) {
      throw new UsageError("targets delegates to roles other than '" + before.parent() + "'; succinct bins under"
          + " targets would replace them (--layout rstuf needs targets to delegate only to the bins)");
    }
  }
}
