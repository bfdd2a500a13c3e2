package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Key;
import dev.tufsh.errors.MetadataError;
import dev.tufsh.json.CanonicalJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * root.json: the keys and thresholds of the four top-level roles. {@code consistentSnapshot} is
 * null only when read from a file that lacked it; tufsh always writes it.
 */
public record Root(
    String specVersion,
    int version,
    Expiry expires,
    Boolean consistentSnapshot,
    Map<String, Key> keys,
    Map<String, Role> roles,
    Map<String, JsonNode> extras)
    implements Signed {
  public Root {
    Checks.specVersion(specVersion);
    Checks.version(version);
    keys = Map.copyOf(keys);
    roles = Map.copyOf(roles);
    extras = Map.copyOf(extras);
    for (RoleType t : RoleType.values()) {
      Role r = roles.get(t.wire());
      if (r == null) {
        throw MetadataError.field("roles", "missing the '" + t.wire() + "' role");
      }
      Checks.threshold(r.threshold(), r.keyids(), "roles." + t.wire());
      for (String id : r.keyids()) {
        if (!keys.containsKey(id)) {
          throw MetadataError.field("roles." + t.wire() + ".keyids", "key id " + id + " is not in keys");
        }
      }
    }
    for (String name : CanonicalJson.sortedEntries(roles).stream().map(Map.Entry::getKey).toList()) {
      if (!RoleType.isTopLevel(name)) {
        throw MetadataError.field("roles", "'" + name + "' is not a top-level role");
      }
    }
  }

  @Override
  public RoleType type() {
    return RoleType.ROOT;
  }

  public Role role(RoleType t) {
    return roles.get(t.wire());
  }

  /** The keys of one top-level role, by key id. */
  public Map<String, Key> keysOf(RoleType t) {
    Map<String, Key> out = new HashMap<>();
    for (String id : role(t).keyids()) {
      out.put(id, keys.get(id));
    }
    return out;
  }

  @Override
  public Root withVersion(int v) {
    return new Root(specVersion, v, expires, consistentSnapshot, keys, roles, extras);
  }

  @Override
  public Root withExpires(Expiry e) {
    return new Root(specVersion, version, e, consistentSnapshot, keys, roles, extras);
  }

  @Override
  public Root bumped(Expiry e) {
    return new Root(specVersion, version + 1, e, consistentSnapshot, keys, roles, extras);
  }

  /** Root with {@code role} now trusting {@code keyids} at {@code threshold}; unused keys dropped. */
  public Root withRole(RoleType t, List<String> keyids, int threshold, Map<String, Key> newKeys) {
    Map<String, Role> r = new HashMap<>(roles);
    r.put(t.wire(), role(t).withKeyids(keyids).withThreshold(threshold));
    Map<String, Key> k = new HashMap<>(keys);
    k.putAll(newKeys);
    k.keySet().removeIf(id -> r.values().stream().noneMatch(x -> x.keyids().contains(id)));
    return new Root(specVersion, version, expires, consistentSnapshot, k, r, extras);
  }
}
