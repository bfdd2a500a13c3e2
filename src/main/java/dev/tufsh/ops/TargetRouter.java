package dev.tufsh.ops;

import dev.tufsh.errors.UsageError;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.Repository;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the role a target path belongs in, the way a client searches for it (spec 5.6.7): from
 * targets down the first delegation whose patterns match, into the bin its hash names, until a
 * role delegates no further. Placing a target anywhere else would make it unreachable.
 */
final class TargetRouter {
  private final Repository repo;

  TargetRouter(Repository repo) {
    this.repo = repo;
  }

  String roleFor(String path) {
    String role = "targets";
    Set<String> seen = new HashSet<>();
    while (seen.add(role)) {
      Optional<Targets> t = repo.targets(role);
      if (t.isEmpty()) {
        throw new UsageError("role '" + role + "' is delegated but has no metadata");
      }
      Delegations d = t.get().delegations();
      if (d == null) {
        return role;
      }
      if (d.succinctRoles() != null) {
        role = d.succinctRoles().roleFor(path);
        continue;
      }
      String next = null;
      for (DelegatedRole r : d.roles()) {
        if (r.covers(path)) {
          next = r.name();
          break;
        }
      }
      if (next == null) {
        // No delegation covers it: the role itself is where clients look last.
        return role;
      }
      role = next;
    }
    throw new UsageError("delegations loop back to role '" + role + "'");
  }
}
