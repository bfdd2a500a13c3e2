package dev.tufsh.trust;

import dev.tufsh.errors.TufshException;
import dev.tufsh.model.Targets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Spec 4.5 "paths": a delegated role may list only targets that every delegation on some chain
 * from top-level targets down to it covers (glob paths per segment, path_hash_prefixes, or the
 * TAP 15 bin the path hashes into). Top-level targets may list anything.
 */
final class DelegationScope {
  private DelegationScope() {}

  static void check(Map<String, Decoded<Targets>> roles, Map<String, List<Edge>> incoming) {
    List<String> names = new ArrayList<>(roles.keySet());
    names.remove(DelegationWalk.TOP);
    // Parallel over roles; the first failure in walk order is reported, so errors are stable.
    List<TufshException> errors =
        names.parallelStream().map(n -> checkRole(n, roles.get(n), incoming)).toList();
    errors.stream().filter(Objects::nonNull).findFirst().ifPresent(e -> {
      throw e;
    });
  }

  private static TufshException checkRole(String name, Decoded<Targets> d, Map<String, List<Edge>> incoming) {
    for (String path : new TreeSet<>(d.signed().targets().keySet())) {
      if (!permitted(name, path, incoming)) {
        return new VerificationError(
            d.file(), name, "lists target '" + path + "', which its delegation does not cover");
      }
    }
    return null;
  }

  /** Whether some chain of delegations from targets to {@code role} covers {@code path} at every step. */
  static boolean permitted(String role, String path, Map<String, List<Edge>> incoming) {
    return permitted(role, ScopedPath.of(path), incoming);
  }

  /** As above; every delegation on the way judges the one {@code path}, hashed at most once. */
  static boolean permitted(String role, ScopedPath path, Map<String, List<Edge>> incoming) {
    // Up a chain of single delegations (a PEP 458 bin: targets -> bins -> bin) without a search, so
    // nothing is allocated per path: every chain passes each such edge, so one that does not cover
    // the path refuses it. A role with several delegators (or a cycle) is searched below.
    String at = role;
    for (int step = 0; step < 8; step++) {
      List<Edge> in = incoming.getOrDefault(at, List.of());
      if (in.size() != 1) {
        break;
      }
      Edge e = in.get(0);
      if (!e.covers(path)) {
        return false;
      }
      if (e.delegator().equals(DelegationWalk.TOP)) {
        return true;
      }
      at = e.delegator();
    }
    Deque<String> todo = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    todo.push(role);
    seen.add(role);
    while (!todo.isEmpty()) {
      for (Edge e : incoming.getOrDefault(todo.pop(), List.of())) {
        if (!e.covers(path)) {
          continue;
        }
        if (e.delegator().equals(DelegationWalk.TOP)) {
          return true;
        }
        if (seen.add(e.delegator())) {
          todo.push(e.delegator());
        }
      }
    }
    return false;
  }
}
