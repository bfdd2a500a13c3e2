package dev.tufsh.ops;

import dev.tufsh.crypto.Key;
import dev.tufsh.errors.UsageError;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.Targets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The hashed-bins subtree of a repository: the role whose delegations are the bins ({@code parent}),
 * the roles a client walks from targets to reach it ({@code path}, targets first, parent last), how
 * the bins are delegated, how many there are, and the one key set they share. Found by walking
 * delegations from targets, wherever the subtree hangs.
 */
public record BinShape(
    String parent, List<String> path, Layout layout, int bins, String namePrefix, List<String> keyids,
    int threshold, Map<String, Key> keys, List<String> binNames) {

  /** How bins are delegated; the names are those of {@code init --layout}. */
  public enum Layout {
    /** One {@code path_hash_prefixes} role per bin. */
    HASH_PREFIX("hash-prefix"),
    /** TAP 15 {@code succinct_roles} under a role other than targets (PEP 458's {@code bins}). */
    SUCCINCT("succinct"),
    /** TAP 15 {@code succinct_roles} directly under top-level targets, as RSTUF writes them. */
    RSTUF("rstuf");

    private final String wire;

    Layout(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static Layout of(String name) {
      for (Layout l : values()) {
        if (l.wire.equals(name)) {
          return l;
        }
      }
      throw new UsageError("--layout must be one of hash-prefix, succinct, rstuf, got '" + name + "'");
    }
  }

  public BinShape {
    path = List.copyOf(path);
    keyids = List.copyOf(keyids);
    keys = Map.copyOf(keys);
    binNames = List.copyOf(binNames);
  }

  /** "16384 succinct bins under bins" */
  public String describe() {
    return bins + " " + layout.wire() + " bin" + (bins == 1 ? "" : "s") + " under " + parent;
  }

  /** Whether {@code other} has the same bins: count and layout (keys aside). */
  public boolean sameShape(BinShape other) {
    return other != null && bins == other.bins && layout == other.layout;
  }

  /**
   * The bins subtree of the repository {@code roles} describes (a role name to its content), or
   * empty when targets delegates to no hashed bins. The first subtree found breadth-first wins.
   */
  public static Optional<BinShape> find(Function<String, Optional<Targets>> roles) {
    Map<String, String> parents = new HashMap<>();
    ArrayDeque<String> queue = new ArrayDeque<>(List.of("targets"));
    while (!queue.isEmpty()) {
      String role = queue.poll();
      Optional<Targets> t = roles.apply(role);
      if (t.isEmpty() || t.get().delegations() == null) {
        continue;
      }
      Delegations d = t.get().delegations();
      List<String> path = pathTo(role, parents);
      if (d.succinctRoles() != null) {
        var s = d.succinctRoles();
        return Optional.of(new BinShape(role, path, role.equals("targets") ? Layout.RSTUF : Layout.SUCCINCT,
            (int) s.binCount(), s.namePrefix(), s.keyids(), s.threshold(), only(d.keys(), s.keyids()),
            s.roleNames()));
      }
      if (isHashPrefixBins(d, roles)) {
        DelegatedRole first = d.roles().get(0);
        for (DelegatedRole r : d.roles()) {
          if (!r.keyids().equals(first.keyids()) || r.threshold() != first.threshold()) {
            throw new UsageError("bins '" + first.name() + "' and '" + r.name() + "' (under " + role + ") have"
                + " different keys; reshape needs one key set for every bin");
          }
        }
        return Optional.of(new BinShape(role, path, Layout.HASH_PREFIX, d.roles().size(), "bin", first.keyids(),
            first.threshold(), only(d.keys(), first.keyids()), d.roleNames()));
      }
      for (DelegatedRole r : d.roles()) {
        if (!parents.containsKey(r.name()) && !r.name().equals("targets")) {
          parents.put(r.name(), role);
          queue.add(r.name());
        }
      }
    }
    return Optional.empty();
  }

  /** Roles delegated by path hash prefixes that delegate no further: the classic hashed bins. */
  private static boolean isHashPrefixBins(Delegations d, Function<String, Optional<Targets>> roles) {
    if (d.roles().isEmpty() || d.roles().stream().anyMatch(r -> r.pathHashPrefixes() == null)) {
      return false;
    }
    // targets -> bins is one "0".."f" delegation too: bins are the leaves, so look one level down.
    Optional<Targets> first = roles.apply(d.roles().get(0).name());
    return first.isPresent() && first.get().delegations() == null;
  }

  private static List<String> pathTo(String role, Map<String, String> parents) {
    List<String> out = new ArrayList<>();
    for (String r = role; r != null; r = parents.get(r)) {
      out.add(0, r);
    }
    return out;
  }

  private static Map<String, Key> only(Map<String, Key> keys, List<String> ids) {
    Map<String, Key> out = new LinkedHashMap<>();
    ids.forEach(id -> out.put(id, keys.get(id)));
    return out;
  }
}
