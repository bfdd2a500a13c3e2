package dev.tufsh.repo;

import dev.tufsh.crypto.Key;
import dev.tufsh.model.Role;
import java.util.Map;

/** The keys a role's delegator trusts for it, and how many must sign. */
public record RoleKeys(Map<String, Key> keys, Role role) {
  public RoleKeys {
    keys = Map.copyOf(keys);
  }

  public int threshold() {
    return role.threshold();
  }
}
