package dev.tufsh.ops;

import dev.tufsh.crypto.Key;
import dev.tufsh.errors.UsageError;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Root;
import dev.tufsh.model.Signed;
import dev.tufsh.model.SuccinctRoles;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.Repository;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Changes which keys a role trusts, where its delegator says so (root for top-level roles, the
 * delegating targets role otherwise), then stages everything that must be re-signed: the
 * delegator, the role itself (every bin of a succinct delegation), and, through publish,
 * snapshot and timestamp.
 */
final class KeyChange {
  private KeyChange() {}

  /**
   * Gives {@code role} the key ids {@code keyids} at {@code threshold}; {@code added} supplies key
   * objects for new ids. Returns the roles staged.
   */
  static Set<String> apply(Repository repo, Map<String, RoleChange> changes, Map<String, Key> added) {
    return apply(repo, changes, added, false);
  }

  /** As above; a key revoked before is trusted again only with {@code force}. */
  static Set<String> apply(
      Repository repo, Map<String, RoleChange> changes, Map<String, Key> added, boolean force) {
    var revoked = dev.tufsh.repo.RevocationList.load(repo.workspace());
    for (var e : changes.entrySet()) {
      for (String id : e.getValue().keyids()) {
        if (added.containsKey(id)) {
          revoked.refuseRevoked(id, e.getKey(), force);
        }
      }
    }
    Set<String> staged = new TreeSet<>();
    Map<String, Signed> stage = new LinkedHashMap<>();
    Root root = repo.root();
    boolean rootChanged = false;
    Map<String, Targets> delegators = new LinkedHashMap<>();
    List<String> resign = new ArrayList<>();
    for (var e : changes.entrySet()) {
      String role = e.getKey();
      RoleChange c = e.getValue();
      check(role, c);
      if (RoleType.isTopLevel(role)) {
        root = root.withRole(RoleType.fromWire(role).orElseThrow(), c.keyids(), c.threshold(), pick(added, c.keyids()));
        rootChanged = true;
        if (role.equals("targets")) {
          resign.add("targets");
        }
        continue;
      }
      String parent = repo.delegatorOf(role).orElseThrow(() -> new UsageError("unknown role '" + role + "'"));
      Targets p = delegators.getOrDefault(parent, repo.requireTargets(parent));
      delegators.put(parent, p.withDelegations(withRoleKeys(p.delegations(), role, c, added)));
      if (repo.isBin(role)) {
        resign.addAll(p.delegations().roleNames());
      } else {
        resign.add(role);
      }
    }
    // Root first: the roles below are signed with the keys the new root names.
    if (rootChanged) {
      repo.stage("root", root.withExpires(repo.freshExpiry("root")));
      staged.add("root");
    }
    delegators.forEach(stage::put);
    repo.stageAll(stage);
    staged.addAll(stage.keySet());
    // The roles below re-signed as they are, a new version each: every bin after a bin-key
    // change, spliced from its verified published file rather than decoded (Repository.renewAll).
    List<String> again = new ArrayList<>(new java.util.LinkedHashSet<>(resign));
    if (!again.isEmpty()) {
      repo.renewAll(again, (r, current) -> null);
      staged.addAll(again);
    }
    return staged;
  }

  /** A role's new key ids and threshold. */
  record RoleChange(List<String> keyids, int threshold) {}

  private static void check(String role, RoleChange c) {
    if (c.keyids().isEmpty()) {
      throw new UsageError("role '" + role + "' would be left with no keys; give a replacement key");
    }
    if (c.threshold() < 1 || c.threshold() > c.keyids().size()) {
      throw new UsageError("role '" + role + "' would need " + c.threshold() + " signatures from "
          + c.keyids().size() + " keys; give a replacement key or a lower --threshold");
    }
  }

  private static Map<String, Key> pick(Map<String, Key> added, List<String> ids) {
    Map<String, Key> m = new HashMap<>();
    for (String id : ids) {
      if (added.containsKey(id)) {
        m.put(id, added.get(id));
      }
    }
    return m;
  }

  static Delegations withRoleKeys(Delegations d, String role, RoleChange c, Map<String, Key> added) {
    Map<String, Key> keys = new HashMap<>(d.keys());
    keys.putAll(pick(added, c.keyids()));
    Delegations out;
    if (d.succinctRoles() != null) {
      SuccinctRoles s = d.succinctRoles().withKeys(c.keyids(), c.threshold());
      out = new Delegations(keys, null, s, d.extras());
    } else {
      List<DelegatedRole> roles = new ArrayList<>();
      for (DelegatedRole r : d.roles()) {
        roles.add(r.name().equals(role) ? r.withKeys(c.keyids(), c.threshold()) : r);
      }
      out = new Delegations(keys, roles, null, d.extras());
    }
    return withoutUnusedKeys(out);
  }

  /** {@code d} without the keys nobody in it uses any more (a key left listed is still trusted). */
  static Delegations withoutUnusedKeys(Delegations d) {
    Set<String> used = new java.util.HashSet<>();
    if (d.succinctRoles() != null) {
      used.addAll(d.succinctRoles().keyids());
    } else {
      d.roles().forEach(r -> used.addAll(r.keyids()));
    }
    Map<String, Key> kept = new HashMap<>(d.keys());
    kept.keySet().retainAll(used);
    return new Delegations(kept, d.roles(), d.succinctRoles(), d.extras());
  }
}
