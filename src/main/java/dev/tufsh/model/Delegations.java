package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Key;
import dev.tufsh.errors.MetadataError;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A targets role's delegations: keys, and either an ordered role list or TAP 15 succinct roles. */
public record Delegations(
    Map<String, Key> keys, List<DelegatedRole> roles, SuccinctRoles succinctRoles, Map<String, JsonNode> extras) {
  public Delegations {
    keys = Map.copyOf(keys);
    if ((roles == null) == (succinctRoles == null)) {
      throw MetadataError.field("delegations", "exactly one of 'roles' and 'succinct_roles' must be given");
    }
    roles = roles == null ? null : List.copyOf(roles);
    extras = Map.copyOf(extras);
    if (roles != null) {
      Set<String> names = new HashSet<>();
      for (int i = 0; i < roles.size(); i++) {
        DelegatedRole r = roles.get(i);
        if (!names.add(r.name())) {
          throw MetadataError.field("delegations.roles[" + i + "].name", "duplicate role name '" + r.name() + "'");
        }
        checkKnown(keys, r.keyids(), "delegations.roles[" + i + "].keyids");
      }
    } else {
      checkKnown(keys, succinctRoles.keyids(), "delegations.succinct_roles.keyids");
    }
  }

  private static void checkKnown(Map<String, Key> keys, List<String> ids, String field) {
    for (String id : ids) {
      if (!keys.containsKey(id)) {
        throw MetadataError.field(field, "key id " + id + " is not in delegations.keys");
      }
    }
  }

  public static Delegations succinct(Map<String, Key> keys, SuccinctRoles s) {
    return new Delegations(keys, null, s, Map.of());
  }

  public static Delegations of(Map<String, Key> keys, List<DelegatedRole> roles) {
    return new Delegations(keys, roles, null, Map.of());
  }

  /** The key ids and threshold this delegation gives role {@code name}, if it delegates to it. */
  public Optional<Role> roleFor(String name) {
    if (succinctRoles != null) {
      return succinctRoles.isBin(name)
          ? Optional.of(new Role(succinctRoles.keyids(), succinctRoles.threshold()))
          : Optional.empty();
    }
    for (DelegatedRole r : roles) {
      if (r.name().equals(name)) {
        return Optional.of(new Role(r.keyids(), r.threshold()));
      }
    }
    return Optional.empty();
  }

  /** Names of every delegated role (all bins for succinct roles). */
  public List<String> roleNames() {
    return succinctRoles != null
        ? succinctRoles.roleNames()
        : roles.stream().map(DelegatedRole::name).toList();
  }
}
