package dev.tufsh.ops;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import dev.tufsh.errors.UsageError;
import dev.tufsh.keys.KeyStore;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.Role;
import dev.tufsh.model.Root;
import dev.tufsh.model.Signed;
import dev.tufsh.model.SuccinctRoles;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.Settings;
import dev.tufsh.repo.Workspace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Creates a repository in the PEP 458 layout and stages its first version: root, targets
 * delegating everything to {@code bins}, and {@code bins} delegating by path hash to N bins
 * (TAP 15 succinct roles, or classic {@code path_hash_prefixes} roles). Or RSTUF's layout
 * ({@code flat}): the succinct bins hang directly off top-level targets, named {@code bins-XX},
 * as RSTUF (the service meant to run PEP 458 on PyPI) writes them. Keys are generated into the
 * workspace's key store, one per role kind, as PEP 458 recommends.
 */
public final class Init {
  /** Options; {@link #defaults()} gives PEP 458's layout with one key per role. */
  public record Request(
      int bins,
      boolean succinct,
      Scheme scheme,
      Scheme onlineScheme,
      int rootKeys,
      int rootThreshold,
      int targetsKeys,
      int targetsThreshold,
      Settings settings,
      boolean flat,
      boolean pep480) {
    public Request(int bins, boolean succinct, Scheme scheme, Scheme onlineScheme, int rootKeys, int rootThreshold,
        int targetsKeys, int targetsThreshold, Settings settings) {
      this(bins, succinct, scheme, onlineScheme, rootKeys, rootThreshold, targetsKeys, targetsThreshold, settings,
          false);
    }

    public Request(int bins, boolean succinct, Scheme scheme, Scheme onlineScheme, int rootKeys, int rootThreshold,
        int targetsKeys, int targetsThreshold, Settings settings, boolean flat) {
      this(bins, succinct, scheme, onlineScheme, rootKeys, rootThreshold, targetsKeys, targetsThreshold, settings,
          flat, false);
    }

    public static Request defaults() {
      return new Request(16384, true, Scheme.ED25519, Scheme.ED25519, 1, 1, 1, 1, Settings.pep458());
    }

    public Request withLayout(boolean succinctRoles) {
      return new Request(bins, succinctRoles, scheme, onlineScheme, rootKeys, rootThreshold, targetsKeys,
          targetsThreshold, settings, false);
    }

    /** RSTUF's layout: succinct bins {@code bins-XX} directly under top-level targets. */
    public Request withRstufLayout() {
      return new Request(bins, true, scheme, onlineScheme, rootKeys, rootThreshold, targetsKeys, targetsThreshold,
          settings, true);
    }

    /**
     * PEP 480's layout: targets -> claimed (offline key), recently-claimed (online key), unclaimed
     * (offline key) -> succinct bins bin-N (online key), searched in that order.
     */
    public Request withPep480Layout() {
      return new Request(bins, true, scheme, onlineScheme, rootKeys, rootThreshold, targetsKeys, targetsThreshold,
          settings, false, true);
    }

    public Request withBins(int n) {
      return new Request(n, succinct, scheme, onlineScheme, rootKeys, rootThreshold, targetsKeys, targetsThreshold,
          settings, flat, pep480);
    }

    public Request withSettings(Settings s) {
      return new Request(bins, succinct, scheme, onlineScheme, rootKeys, rootThreshold, targetsKeys, targetsThreshold,
          s, flat, pep480);
    }

    /** The layout's name, as {@code init --layout} spells it. */
    public String layoutName() {
      return pep480 ? "pep480" : flat ? "rstuf" : succinct ? "succinct" : "hash-prefix";
    }
  }

  /** What was created: the key names per role and the number of bins. */
  public record Result(Map<String, List<String>> keysByRole, int bins, String layout) {}

  private Init() {}

  public static Result run(Workbench bench, Request req) {
    check(req);
    Workspace ws = Workspace.create(bench.dir(), req.settings());
    bench.workspace(ws);
    try {
      return create(bench, req);
    } catch (RuntimeException e) {
      // Nothing was published: take the half-made workspace away so init can simply be run again.
      ws.destroyNew();
      throw e;
    }
  }

  private static Result create(Workbench bench, Request req) {
    try (PublishLock lock = bench.lock()) {
      KeyStore store = bench.keys();
      Map<String, List<String>> names = new LinkedHashMap<>();
      List<Key> root = keys(store, "root", req.rootKeys(), req.scheme(), names);
      List<Key> targets = keys(store, "targets", req.targetsKeys(), req.scheme(), names);
      List<Key> snapshot = keys(store, "snapshot", 1, req.onlineScheme(), names);
      List<Key> timestamp = keys(store, "timestamp", 1, req.onlineScheme(), names);
      if (req.pep480()) {
        return pep480(bench, req, names, root, targets, snapshot, timestamp);
      }
      List<Key> bins = req.flat() ? List.of() : keys(store, "bins", 1, req.scheme(), names);
      List<Key> binN = keys(store, "bin-n", 1, req.onlineScheme(), names);

      Repository repo = bench.repository();
      stageRoot(repo, req, root, targets, snapshot, timestamp);

      Delegations binDelegations;
      List<String> binNames;
      if (req.flat()) {
        int bits = Integer.numberOfTrailingZeros(req.bins());
        SuccinctRoles s = new SuccinctRoles(ids(binN), 1, bits, "bins", Map.of());
        repo.stage("targets", Targets.empty(repo.freshExpiry("targets"))
            .withDelegations(Delegations.succinct(keyMap(binN), s)));
        stageBins(repo, s.roleNames());
        repo.save();
        return new Result(names, req.bins(), req.layoutName());
      }
      DelegatedRole binsRole = new DelegatedRole("bins", ids(bins), 1, true, null, allPrefixes(1), Map.of());
      Targets top = Targets.empty(repo.freshExpiry("targets"))
          .withDelegations(Delegations.of(keyMap(bins), List.of(binsRole)));
      repo.stage("targets", top);

      if (req.succinct()) {
        int bits = Integer.numberOfTrailingZeros(req.bins());
        SuccinctRoles s = new SuccinctRoles(ids(binN), 1, bits, "bin", Map.of());
        binDelegations = Delegations.succinct(keyMap(binN), s);
        binNames = s.roleNames();
      } else {
        binDelegations = Delegations.of(keyMap(binN), prefixBins(req.bins(), ids(binN), 1));
        binNames = binDelegations.roleNames();
      }
      repo.stage("bins", Targets.empty(repo.freshExpiry("delegated")).withDelegations(binDelegations));
      stageBins(repo, binNames);
      repo.save();
      return new Result(names, req.bins(), req.layoutName());
    }
  }

  private static void stageRoot(Repository repo, Request req, List<Key> root, List<Key> targets, List<Key> snapshot,
      List<Key> timestamp) {
    Map<String, Key> all = new HashMap<>();
    for (List<Key> l : List.of(root, targets, snapshot, timestamp)) {
      l.forEach(k -> all.put(k.keyId(), k));
    }
    Map<String, Role> roles = new HashMap<>();
    roles.put("root", new Role(ids(root), req.rootThreshold()));
    roles.put("targets", new Role(ids(targets), req.targetsThreshold()));
    roles.put("snapshot", new Role(ids(snapshot), 1));
    roles.put("timestamp", new Role(ids(timestamp), 1));
    repo.stage("root", new Root(Signed.SPEC_VERSION, 1, repo.freshExpiry("root"), true, all, roles, Map.of()));
  }

  /**
   * PEP 480: claimed and recently-claimed hold project roles (added with {@code delegation add},
   * moved to claimed by {@code delegation move}); unclaimed, terminating and last, holds the bins.
   * All three take every path (all 16 hash prefixes), so a project's terminating role decides
   * before any bin is searched.
   */
  private static Result pep480(Workbench bench, Request req, Map<String, List<String>> names, List<Key> root,
      List<Key> targets, List<Key> snapshot, List<Key> timestamp) {
    KeyStore store = bench.keys();
    List<Key> claimed = keys(store, "claimed", 1, req.scheme(), names);
    List<Key> recent = keys(store, "recently-claimed", 1, req.onlineScheme(), names);
    List<Key> unclaimed = keys(store, "unclaimed", 1, req.scheme(), names);
    List<Key> binN = keys(store, "bin-n", 1, req.onlineScheme(), names);
    Repository repo = bench.repository();
    stageRoot(repo, req, root, targets, snapshot, timestamp);
    Map<String, Key> keys = keyMap(claimed);
    keys.putAll(keyMap(recent));
    keys.putAll(keyMap(unclaimed));
    List<DelegatedRole> three = List.of(
        new DelegatedRole("claimed", ids(claimed), 1, false, null, allPrefixes(1), Map.of()),
        new DelegatedRole("recently-claimed", ids(recent), 1, false, null, allPrefixes(1), Map.of()),
        new DelegatedRole("unclaimed", ids(unclaimed), 1, true, null, allPrefixes(1), Map.of()));
    repo.stage("targets", Targets.empty(repo.freshExpiry("targets")).withDelegations(Delegations.of(keys, three)));
    int bits = Integer.numberOfTrailingZeros(req.bins());
    SuccinctRoles s = new SuccinctRoles(ids(binN), 1, bits, "bin", Map.of());
    Map<String, Signed> middle = new LinkedHashMap<>();
    // An empty delegations list, not none: they hold project roles, never targets of their own.
    Delegations none = Delegations.of(Map.of(), List.of());
    middle.put("claimed", Targets.empty(repo.freshExpiry("claimed")).withDelegations(none));
    middle.put("recently-claimed", Targets.empty(repo.freshExpiry("recently-claimed")).withDelegations(none));
    middle.put("unclaimed", Targets.empty(repo.freshExpiry("unclaimed")).withDelegations(Delegations.succinct(
        keyMap(binN), s)));
    repo.stageAll(middle);
    stageBins(repo, s.roleNames());
    repo.save();
    return new Result(names, req.bins(), req.layoutName());
  }

  /** Every bin, empty: clients need each file to exist. */
  private static void stageBins(Repository repo, List<String> binNames) {
    Map<String, Signed> empty = new LinkedHashMap<>();
    var binExpiry = repo.freshExpiry(binNames.get(0));
    for (String b : binNames) {
      empty.put(b, Targets.empty(binExpiry));
    }
    repo.stageSigned(empty);
  }

  private static void check(Request req) {
    int n = req.bins();
    if (n < 1 || n > 65536 || Integer.bitCount(n) != 1) {
      throw new UsageError("--bins must be a power of two from 1 to 65536, got " + n);
    }
    if (req.succinct() && n == 1) {
      throw new UsageError("succinct hashed bins need at least 2 bins; use --layout hash-prefix for 1");
    }
    if (req.rootThreshold() < 1 || req.rootThreshold() > req.rootKeys()) {
      throw new UsageError("--root-threshold must be between 1 and the number of root keys (" + req.rootKeys() + ")");
    }
    if (req.targetsThreshold() < 1 || req.targetsThreshold() > req.targetsKeys()) {
      throw new UsageError(
          "--targets-threshold must be between 1 and the number of targets keys (" + req.targetsKeys() + ")");
    }
  }

  private static List<Key> keys(KeyStore store, String role, int n, Scheme scheme, Map<String, List<String>> names) {
    List<Key> out = new ArrayList<>();
    List<String> ns = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String name = role + "-" + i;
      Signer s = store.generate(scheme, name);
      out.add(s.key());
      ns.add(name);
    }
    names.put(role, ns);
    return out;
  }

  static List<String> ids(List<Key> keys) {
    return keys.stream().map(Key::keyId).toList();
  }

  static Map<String, Key> keyMap(List<Key> keys) {
    Map<String, Key> m = new HashMap<>();
    keys.forEach(k -> m.put(k.keyId(), k));
    return m;
  }

  /** All hex prefixes of {@code digits} digits: "0".."f" for one digit. */
  static List<String> allPrefixes(int digits) {
    int count = 1 << (4 * digits);
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(String.format(Locale.ROOT, "%0" + digits + "x", i));
    }
    return out;
  }

  /** Classic hashed bins: N roles, each with an equal run of hash prefixes. */
  static List<DelegatedRole> prefixBins(int n, List<String> keyids, int threshold) {
    int digits = 1;
    while ((1L << (4 * digits)) < n) {
      digits++;
    }
    List<String> prefixes = allPrefixes(digits);
    int per = prefixes.size() / n;
    int width = Math.max(1, Integer.toHexString(n - 1).length());
    List<DelegatedRole> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String name = String.format(Locale.ROOT, "bin-%0" + width + "x", i);
      out.add(new DelegatedRole(name, keyids, threshold, true, null, prefixes.subList(i * per, (i + 1) * per),
          Map.of()));
    }
    return out;
  }
}
