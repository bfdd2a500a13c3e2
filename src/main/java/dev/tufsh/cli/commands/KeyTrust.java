package dev.tufsh.cli.commands;

import dev.tufsh.crypto.Key;
import dev.tufsh.ops.Workbench;
import dev.tufsh.repo.Repository;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which roles trust each key, for {@code key list} and {@code key show}. Hashed bins share one key
 * list per succinct delegation, so they are looked at once and named as {@code PREFIX-* (N bins)}.
 */
final class KeyTrust {
  private KeyTrust() {}

  /** Key id to the roles that list it; empty before the repository has a root. */
  static Map<String, List<String>> roles(Workbench bench) {
    Repository repo = bench.repository();
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (repo.publishedVersion("root") == 0 && !repo.isStaged("root")) {
      return out;
    }
    Set<String> binParents = new HashSet<>();
    for (String role : repo.roleNames()) {
      String label = role;
      if (repo.isBin(role)) {
        String parent = repo.delegatorOf(role).orElseThrow();
        if (!binParents.add(parent)) {
          continue;
        }
        var succinct = repo.requireTargets(parent).delegations().succinctRoles();
        label = succinct.namePrefix() + "-*"; // a role glob, as 'resign' and 'bump' take it
      }
      for (String id : repo.keysFor(role).keys().keySet()) {
        out.computeIfAbsent(id, x -> new ArrayList<>()).add(label);
      }
    }
    return out;
  }

  static List<String> of(Map<String, List<String>> index, Key key) {
    return index.getOrDefault(key.keyId(), List.of());
  }
}
