package dev.tufsh.ops;

import dev.tufsh.crypto.Key;
import dev.tufsh.errors.MetadataError;
import dev.tufsh.errors.UsageError;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.Names;
import dev.tufsh.model.PathPattern;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Signed;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Repository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Delegated targets roles under any targets role: add one (paths or path hash prefixes, keys,
 * threshold, terminating, its place in the delegator's ordered list), change its keys, threshold
 * or terminating flag, move it to another delegator (PEP 480's periodic job: recently-claimed to
 * claimed), remove it with everything below it. A delegator may grant only what it was granted,
 * a role appears once in the tree (so no cycle can be made), and every key is one the key store
 * knows. Removed roles stay listed in snapshot: clients refuse a snapshot that drops a name
 * (spec 5.5.5), and no delegation points at them any more.
 */
public final class Delegation {
  /** Exactly one of {@code paths} and {@code hashPrefixes}; {@code before}: a sibling (null: last). */
  public record Add(String role, String parent, List<String> paths, List<String> hashPrefixes, List<String> keys,
      int threshold, boolean terminating, String before) {}

  /**
   * Null members keep what the role has; {@code paths} or {@code hashPrefixes} (at most one)
   * replaces what the role is delegated.
   */
  public record Change(String role, List<String> keys, Integer threshold, Boolean terminating, List<String> paths,
      List<String> hashPrefixes) {
    public Change(String role, List<String> keys, Integer threshold, Boolean terminating, List<String> paths) {
      this(role, keys, threshold, terminating, paths, null);
    }

    public Change(String role, List<String> keys, Integer threshold, Boolean terminating) {
      this(role, keys, threshold, terminating, null, null);
    }
  }

  /** Roles (names or globs) to put under {@code parent}, before sibling {@code before} (null: last). */
  public record Move(List<String> roles, String parent, String before) {}

  /** The roles acted on, their delegator after, the roles staged, and the roles no longer delegated. */
  public record Result(List<String> roles, String parent, Set<String> staged, List<String> removed) {}

  /**
   * One delegation in client search order; {@code depth} 1 is delegated by targets. Succinct bins
   * are one entry named by their glob ({@code bin-*}) with {@code bins} their number.
   */
  public record Entry(String role, String delegator, int depth, List<String> keyids, int threshold,
      boolean terminating, List<String> paths, List<String> hashPrefixes, int targets, int bins) {}

  private Delegation() {}

  public static Result add(Workbench bench, Add req) {
    String what = "delegation add " + req.role();
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      newName(repo, what, req.role());
      Targets parent = delegator(repo, what, req.parent());
      if ((req.paths().isEmpty()) == (req.hashPrefixes().isEmpty())) {
        throw new UsageError(what + ": give --path or --hash-prefix (exactly one kind)");
      }
      List<String> paths = req.paths().isEmpty() ? null : req.paths();
      List<String> prefixes = req.hashPrefixes().isEmpty() ? null : req.hashPrefixes();
      if (paths != null) {
        paths.forEach(p -> checkPattern(what, p));
      }
      checkGrant(repo, what, req.parent(), paths, prefixes);
      Map<String, Key> keys = keys(bench, what, req.keys());
      checkThreshold(what, req.threshold(), keys.size());
      DelegatedRole role = build(what, () -> new DelegatedRole(req.role(), List.copyOf(keys.keySet()),
          req.threshold(), req.terminating(), paths, prefixes, Map.of()));
      Map<String, Key> all = new LinkedHashMap<>(parent.delegations() == null ? Map.of() : parent.delegations().keys());
      all.putAll(keys);
      List<DelegatedRole> roles = new ArrayList<>(parent.delegations() == null ? List.of() : parent.delegations().roles());
      roles.add(position(what, req.parent(), roles, req.before()), role);
      reachable(what, roles, role);
      // The delegator first: the new role is signed with the keys it now names.
      repo.stage(req.parent(), withDelegations(repo, req.parent(), parent, Delegations.of(all, roles)));
      repo.stage(req.role(), Targets.empty(repo.freshExpiry(req.role())));
      repo.save();
      return new Result(List.of(req.role()), req.parent(), new TreeSet<>(List.of(req.parent(), req.role())), List.of());
    }
  }

  public static Result change(Workbench bench, Change req) {
    String what = "delegation set " + req.role();
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      String parentName = delegatedBy(repo, what, req.role());
      Set<String> staged = new TreeSet<>();
      DelegatedRole current = roleIn(repo.requireTargets(parentName), req.role());
      boolean terminating = req.terminating() != null && req.terminating() != current.terminating();
      if (req.paths() != null && req.hashPrefixes() != null) {
        throw new UsageError(what + ": give --path or --hash-prefix, not both");
      }
      List<String> paths = req.paths() == null ? null : List.copyOf(new LinkedHashSet<>(req.paths()));
      List<String> prefixes = req.hashPrefixes() == null ? null : List.copyOf(new LinkedHashSet<>(req.hashPrefixes()));
      boolean repath = paths != null && !paths.equals(current.paths())
          || prefixes != null && !prefixes.equals(current.pathHashPrefixes());
      if (paths != null) {
        checkPaths(repo, what, parentName, req.role(), paths);
      }
      if (prefixes != null) {
        checkPrefixes(repo, what, parentName, current, prefixes);
      }
      if (terminating || repath) {
        Targets parent = repo.requireTargets(parentName);
        List<DelegatedRole> roles = new ArrayList<>();
        for (DelegatedRole r : parent.delegations().roles()) {
          roles.add(r.name().equals(req.role()) ? new DelegatedRole(r.name(), r.keyids(), r.threshold(),
              terminating ? req.terminating() : r.terminating(), repath ? paths : r.paths(),
              repath ? prefixes : r.pathHashPrefixes(), r.extras()) : r);
        }
        for (DelegatedRole r : roles) {
          reachable(what, roles, r);
        }
        Delegations d = new Delegations(parent.delegations().keys(), roles, null, parent.delegations().extras());
        repo.stage(parentName, withDelegations(repo, parentName, parent, d));
        staged.add(parentName);
      }
      if (req.keys() != null || req.threshold() != null) {
        Map<String, Key> keys = req.keys() == null ? null : keys(bench, what, req.keys());
        List<String> ids = keys == null ? current.keyids() : List.copyOf(keys.keySet());
        int t = req.threshold() != null ? req.threshold() : current.threshold();
        checkThreshold(what, t, ids.size());
        staged.addAll(KeyChange.apply(repo, Map.of(req.role(), new KeyChange.RoleChange(ids, t)),
            keys == null ? Map.of() : keys));
      }
      if (staged.isEmpty()) {
        throw new UsageError(what + ": nothing to change (give --key, --threshold, --terminating, --path or"
            + " --hash-prefix)");
      }
      repo.save();
      return new Result(List.of(req.role()), parentName, staged, List.of());
    }
  }

  /** Removes {@code roles} from their delegators; every role below them goes too. */
  public static Result remove(Workbench bench, List<String> names) {
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      Map<String, Targets> changed = new LinkedHashMap<>();
      List<String> gone = new ArrayList<>();
      for (String role : names) {
        String what = "delegation remove " + role;
        String parentName = delegatedBy(repo, what, role);
        Targets parent = changed.getOrDefault(parentName, repo.requireTargets(parentName));
        List<DelegatedRole> roles = new ArrayList<>(parent.delegations().roles());
        roles.removeIf(r -> r.name().equals(role));
        Delegations d = KeyChange.withoutUnusedKeys(
            new Delegations(parent.delegations().keys(), roles, null, parent.delegations().extras()));
        changed.put(parentName, parent.withDelegations(d));
        gone.addAll(subtree(repo, role));
      }
      changed.keySet().removeAll(gone);
      gone.forEach(repo.staging()::remove);
      repo.stageAll(fresh(repo, changed));
      repo.save();
      return new Result(List.copyOf(names), null, new TreeSet<>(changed.keySet()), gone);
    }
  }

  /** Puts roles under another delegator with the same keys and paths; the roles themselves are unchanged. */
  public static Result move(Workbench bench, Move req) {
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      List<String> roles = RoleSelector.select(repo, req.roles());
      Map<String, Targets> changed = new LinkedHashMap<>();
      for (String role : roles) {
        String what = "delegation move " + role;
        String from = delegatedBy(repo, what, role);
        delegator(repo, what, req.parent());
        if (subtree(repo, role).contains(req.parent())) {
          throw new UsageError(what + ": --parent '" + req.parent() + "' is delegated by '" + role
              + "' (that would be a cycle)");
        }
        Targets old = changed.getOrDefault(from, repo.requireTargets(from));
        DelegatedRole r = roleIn(old, role);
        checkGrant(repo, what, req.parent(), r.paths(), r.pathHashPrefixes());
        List<DelegatedRole> left = new ArrayList<>(old.delegations().roles());
        left.remove(r);
        changed.put(from, old.withDelegations(KeyChange.withoutUnusedKeys(
            new Delegations(old.delegations().keys(), left, null, old.delegations().extras()))));
        Targets to = changed.getOrDefault(req.parent(), repo.requireTargets(req.parent()));
        Delegations td = to.delegations();
        Map<String, Key> keys = new LinkedHashMap<>(td == null ? Map.of() : td.keys());
        r.keyids().forEach(id -> keys.put(id, old.delegations().keys().get(id)));
        List<DelegatedRole> list = new ArrayList<>(td == null ? List.of() : td.roles());
        list.add(position(what, req.parent(), list, req.before()), r);
        reachable(what, list, r);
        changed.put(req.parent(), to.withDelegations(new Delegations(keys, list, null,
            td == null ? Map.of() : td.extras())));
      }
      repo.stageAll(fresh(repo, changed));
      repo.save();
      return new Result(roles, req.parent(), new TreeSet<>(changed.keySet()), List.of());
    }
  }

  /** The delegations under {@code top} (default targets), in the order a client searches them. */
  public static List<Entry> show(Workbench bench, String top) {
    Repository repo = bench.repository();
    String start = top == null ? "targets" : top;
    repo.requireTargets(start);
    List<Entry> out = new ArrayList<>();
    if (!start.equals("targets")) {
      String parent = delegatedBy(repo, "delegation show " + start, start);
      out.add(entry(roleIn(repo.requireTargets(parent), start), parent, 0));
    }
    walk(repo, start, 1, out, new LinkedHashSet<>());
    // Counts from the status index or a peek: a hash-prefix layout lists every bin here.
    Map<String, RoleFacts.Facts> facts = RoleFacts.of(bench, repo, out.stream().filter(e -> e.bins() == 0)
        .map(Entry::role).toList());
    out.replaceAll(e -> e.bins() != 0 ? e : new Entry(e.role(), e.delegator(), e.depth(), e.keyids(), e.threshold(),
        e.terminating(), e.paths(), e.hashPrefixes(), facts.containsKey(e.role()) ? facts.get(e.role()).targets() : 0,
        0));
    return out;
  }

  private static void walk(Repository repo, String role, int depth, List<Entry> out, Set<String> chain) {
    if (!chain.add(role)) {
      return;
    }
    Delegations d = repo.targets(role).map(Targets::delegations).orElse(null);
    if (d == null) {
      return;
    }
    if (d.succinctRoles() != null) {
      var s = d.succinctRoles();
      out.add(new Entry(s.namePrefix() + "-*", role, depth, s.keyids(), s.threshold(), true, null, null, -1,
          (int) s.binCount()));
      return;
    }
    for (DelegatedRole r : d.roles()) {
      out.add(entry(r, role, depth));
      if (!RoleFacts.delegatesNothing(repo, r.name())) {
        walk(repo, r.name(), depth + 1, out, chain);
      }
    }
  }

  /** One delegation; its target count is filled in once the walk is done. */
  private static Entry entry(DelegatedRole r, String parent, int depth) {
    return new Entry(r.name(), parent, depth, r.keyids(), r.threshold(), r.terminating(), r.paths(),
        r.pathHashPrefixes(), 0, 0);
  }

  /**
   * The roles a change of {@code roles} touches, for a permission check before it runs: them (globs
   * resolved) and their delegators. Roles the repository does not know are left to the operation,
   * which refuses them with its own message.
   */
  public static List<String> touched(Workbench bench, List<String> roles) {
    Set<String> out = new LinkedHashSet<>(roles);
    try {
      Repository repo = bench.repository();
      for (String r : roles) {
        List<String> named = r.contains("*") || r.contains("?") ? RoleSelector.select(repo, List.of(r)) : List.of(r);
        for (String n : named) {
          out.add(n);
          repo.delegatorOf(n).filter(p -> !p.equals("root")).ifPresent(out::add);
        }
      }
    } catch (dev.tufsh.errors.TufshException e) {
      // an unknown role or no workspace: the operation itself says so
    }
    return new ArrayList<>(out);
  }

  // ------------------------------------------------------------------ checks

  private static void newName(Repository repo, String what, String name) {
    build(what, () -> {
      Names.checkNewRoleName(name, "role");
      return null;
    });
    if (repo.roleNames().contains(name)) {
      throw new UsageError(what + ": role '" + name + "' exists already (delegated by "
          + repo.delegatorOf(name).orElse("root") + "); a role appears once in the tree");
    }
  }

  /** A role that may delegate: a targets role in the tree that is not a bin and has no succinct bins. */
  private static Targets delegator(Repository repo, String what, String name) {
    if (RoleType.isTopLevel(name) && !name.equals("targets")) {
      throw new UsageError(what + ": --parent '" + name + "' is not a targets role");
    }
    if (!repo.roleNames().contains(name)) {
      throw new UsageError(what + ": --parent '" + name + "': unknown role");
    }
    if (repo.isBin(name)) {
      throw new UsageError(what + ": --parent '" + name + "' is a hashed bin; bins delegate no further");
    }
    Targets t = repo.requireTargets(name);
    if (t.delegations() != null && t.delegations().succinctRoles() != null) {
      throw new UsageError(what + ": --parent '" + name + "' delegates to succinct hashed bins, which cannot"
          + " share a delegations list with other roles");
    }
    return t;
  }

  /** The delegator of a role that delegation commands manage (not top-level, not a bin). */
  private static String delegatedBy(Repository repo, String what, String role) {
    if (RoleType.isTopLevel(role)) {
      throw new UsageError(what + ": '" + role + "' is a top-level role (root lists its keys: use rotate)");
    }
    if (!repo.roleNames().contains(role)) {
      throw new UsageError(what + ": unknown role '" + role + "'");
    }
    if (repo.isBin(role)) {
      throw new UsageError(what + ": '" + role + "' is a hashed bin; its delegation is every bin's (use rotate, or"
          + " delegation commands on the role that delegates the bins)");
    }
    return repo.delegatorOf(role).orElseThrow();
  }

  private static DelegatedRole roleIn(Targets parent, String role) {
    return parent.delegations().roles().stream().filter(r -> r.name().equals(role)).findFirst()
        .orElseThrow(() -> new UsageError("unknown role '" + role + "'"));
  }

  /**
   * A delegator grants only what it was granted (spec 4.5: a target must match every delegation
   * on its chain, so a wider child would list targets no client accepts).
   */
  private static void checkGrant(Repository repo, String what, String parent, List<String> paths,
      List<String> prefixes) {
    if (parent.equals("targets")) {
      return;
    }
    DelegatedRole own = roleIn(repo.requireTargets(repo.delegatorOf(parent).orElseThrow()), parent);
    if (own.pathHashPrefixes() != null && coversEveryHash(own.pathHashPrefixes())) {
      return;
    }
    if (paths != null) {
      for (String p : paths) {
        if (own.paths() == null) {
          throw new UsageError(what + ": --path '" + p + "' cannot be checked against the path_hash_prefixes '"
              + parent + "' is delegated; delegate by --hash-prefix");
        }
        if (own.paths().stream().noneMatch(pp -> PathPattern.within(p, pp))) {
          throw new UsageError(what + ": --path '" + p + "' is outside what '" + parent + "' is delegated (paths "
              + String.join(", ", own.paths()) + ")");
        }
      }
    } else {
      for (String h : prefixes) {
        if (own.pathHashPrefixes() == null) {
          throw new UsageError(what + ": --hash-prefix '" + h + "' cannot be checked against the paths '" + parent
              + "' is delegated (" + String.join(", ", own.paths()) + "); delegate by --path");
        }
        if (own.pathHashPrefixes().stream().noneMatch(h::startsWith)) {
          throw new UsageError(what + ": --hash-prefix '" + h + "' is outside what '" + parent + "' is delegated"
              + " (path_hash_prefixes " + String.join(", ", own.pathHashPrefixes()) + ")");
        }
      }
    }
  }

  /**
   * New path patterns for {@code role}: well formed, within what its delegator was granted, and
   * still covering every target the role lists and every role it delegates (a client accepts a
   * target only where each delegation on its chain matches it, spec 4.5).
   */
  private static void checkPaths(Repository repo, String what, String parent, String role, List<String> paths) {
    if (paths.isEmpty()) {
      throw new UsageError(what + ": give at least one --path");
    }
    paths.forEach(p -> checkPattern(what, p));
    checkGrant(repo, what, parent, paths, null);
    Targets t = repo.requireTargets(role);
    List<String> outside = t.targets().keySet().stream()
        .filter(target -> paths.stream().noneMatch(p -> PathPattern.matches(p, target))).sorted().toList();
    if (!outside.isEmpty()) {
      throw new UsageError(what + ": '" + role + "' lists " + outside.size() + " target(s) the new paths do not"
          + " cover (first: " + outside.get(0) + "); remove them first, or give a --path that covers them");
    }
    if (t.delegations() != null) {
      if (t.delegations().succinctRoles() != null) {
        throw new UsageError(what + ": '" + role + "' delegates to succinct hashed bins, which need a hash-prefix"
            + " delegation above them");
      }
      for (DelegatedRole child : t.delegations().roles()) {
        if (child.paths() == null || child.paths().stream()
            .anyMatch(c -> paths.stream().noneMatch(p -> PathPattern.within(c, p)))) {
          throw new UsageError(what + ": '" + role + "' delegates '" + child.name() + "' "
              + (child.paths() == null ? "by hash prefix" : "paths " + String.join(", ", child.paths()))
              + ", which the new paths do not cover; change or move '" + child.name() + "' first");
        }
      }
    }
  }

  /**
   * New path hash prefixes for {@code role} (delegated now as {@code current}): lowercase hex,
   * within what its delegator was granted, and still covering the hash of every target the role
   * lists and every role it delegates: hashed bins cover every hash, a role delegated by paths
   * can be checked only under prefixes that cover every hash, one by prefixes must lie within them.
   */
  private static void checkPrefixes(Repository repo, String what, String parent, DelegatedRole current,
      List<String> prefixes) {
    if (prefixes.isEmpty()) {
      throw new UsageError(what + ": give at least one --hash-prefix");
    }
    DelegatedRole next = build(what, () -> new DelegatedRole(current.name(), current.keyids(), current.threshold(),
        current.terminating(), null, prefixes, Map.of()));
    checkGrant(repo, what, parent, null, prefixes);
    String role = current.name();
    Targets t = repo.requireTargets(role);
    List<String> outside = t.targets().keySet().stream().filter(target -> !next.covers(target)).sorted().toList();
    if (!outside.isEmpty()) {
      throw new UsageError(what + ": '" + role + "' lists " + outside.size() + " target(s) whose path hash the new"
          + " prefixes do not cover (first: " + outside.get(0) + "); remove them first, or give a --hash-prefix that"
          + " covers them");
    }
    if (t.delegations() == null || coversEveryHash(prefixes)) {
      return;
    }
    if (t.delegations().succinctRoles() != null) {
      throw new UsageError(what + ": '" + role + "' delegates to succinct hashed bins, which cover every path"
          + " hash; the new prefixes must too");
    }
    for (DelegatedRole child : t.delegations().roles()) {
      if (child.pathHashPrefixes() == null || child.pathHashPrefixes().stream()
          .anyMatch(c -> prefixes.stream().noneMatch(c::startsWith))) {
        throw new UsageError(what + ": '" + role + "' delegates '" + child.name() + "' "
            + (child.paths() != null ? "paths " + String.join(", ", child.paths())
                : "path_hash_prefixes " + String.join(", ", child.pathHashPrefixes()))
            + ", which the new prefixes do not cover; change or move '" + child.name() + "' first");
      }
    }
  }

  /** Whether the prefixes cover every hash: each one-digit prefix is listed (or the empty one). */
  public static boolean coversEveryHash(List<String> prefixes) {
    if (prefixes.contains("")) {
      return true;
    }
    for (char c : "0123456789abcdef".toCharArray()) {
      if (!prefixes.contains(String.valueOf(c))) {
        return false;
      }
    }
    return true;
  }

  /** Patterns a client matches segment by segment: relative, no empty, '.' or '..' segment. */
  private static void checkPattern(String what, String p) {
    for (String seg : p.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
        throw new UsageError(what + ": --path '" + Names.printable(p) + "' has an empty, '.' or '..' segment");
      }
    }
    if (p.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
      throw new UsageError(what + ": --path '" + Names.printable(p) + "' contains a control character or '\\'");
    }
  }

  /**
   * Refuses a role no client would ever search: an earlier sibling is terminating and takes every
   * path it could hold (PEP 458's {@code bins} takes every path, so a project role goes before it).
   */
  private static void reachable(String what, List<DelegatedRole> siblings, DelegatedRole role) {
    for (DelegatedRole earlier : siblings) {
      if (earlier == role) {
        return;
      }
      if (earlier.terminating() && shadows(earlier, role)) {
        throw new UsageError(what + ": '" + earlier.name() + "' comes first, is terminating and takes every path '"
            + role.name() + "' would, so clients would never search it; give --before " + earlier.name());
      }
    }
  }

  private static boolean shadows(DelegatedRole earlier, DelegatedRole later) {
    if (earlier.pathHashPrefixes() != null) {
      if (coversEveryHash(earlier.pathHashPrefixes())) {
        return true;
      }
      return later.pathHashPrefixes() != null && later.pathHashPrefixes().stream()
          .allMatch(h -> earlier.pathHashPrefixes().stream().anyMatch(h::startsWith));
    }
    return later.paths() != null && later.paths().stream()
        .allMatch(p -> earlier.paths().stream().anyMatch(e -> PathPattern.within(p, e)));
  }

  private static void checkThreshold(String what, int t, int keys) {
    if (keys == 0) {
      throw new UsageError(what + ": give at least one --key");
    }
    if (t < 1 || t > keys) {
      throw new UsageError(what + ": --threshold " + t + " must be between 1 and the number of keys (" + keys + ")");
    }
  }

  private static Map<String, Key> keys(Workbench bench, String what, List<String> refs) {
    Map<String, Key> out = new LinkedHashMap<>();
    for (String ref : refs) {
      Key k;
      try {
        k = KeyRefs.fromStore(bench, ref);
      } catch (UsageError e) {
        throw new UsageError(what + ": --key '" + Names.printable(ref) + "': " + e.getMessage());
      }
      if (out.put(k.keyId(), k) != null) {
        throw new UsageError(what + ": --key '" + Names.printable(ref) + "' is given twice");
      }
    }
    return out;
  }

  private static int position(String what, String parent, List<DelegatedRole> roles, String before) {
    if (before == null) {
      return roles.size();
    }
    for (int i = 0; i < roles.size(); i++) {
      if (roles.get(i).name().equals(before)) {
        return i;
      }
    }
    throw new UsageError(what + ": --before '" + before + "' is not delegated by '" + parent + "'");
  }

  /** {@code role} and every role delegated below it. */
  private static List<String> subtree(Repository repo, String role) {
    List<String> out = new ArrayList<>(List.of(role));
    for (String r : repo.roleNames()) {
      for (String up = repo.delegatorOf(r).orElse("root"); !RoleType.isTopLevel(up) && !r.equals(role);
          up = repo.delegatorOf(up).orElse("root")) {
        if (up.equals(role)) {
          out.add(r);
          break;
        }
      }
    }
    return out;
  }

  private static Signed withDelegations(Repository repo, String name, Targets t, Delegations d) {
    return t.withDelegations(d).withExpires(repo.freshExpiry(name));
  }

  private static Map<String, Signed> fresh(Repository repo, Map<String, Targets> changed) {
    Map<String, Signed> out = new LinkedHashMap<>();
    changed.forEach((name, t) -> out.put(name, t.withExpires(repo.freshExpiry(name))));
    return out;
  }

  private static <T> T build(String what, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (MetadataError e) {
      throw new UsageError(what + ": " + e.getMessage());
    }
  }
}
