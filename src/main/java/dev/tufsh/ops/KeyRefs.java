package dev.tufsh.ops;

import dev.tufsh.crypto.Key;
import dev.tufsh.errors.UsageError;
import dev.tufsh.keys.KeyEntry;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.Repository;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns what a person types for a key (a key store name, a full key id, or a unique prefix of at
 * least 8 hex digits) into a key. Ambiguous or unknown references are errors that say so.
 */
public final class KeyRefs {
  private KeyRefs() {}

  /** Every key the repository trusts anywhere (root and all delegations), by id. */
  public static Map<String, Key> trusted(Repository repo) {
    Map<String, Key> all = new LinkedHashMap<>(repo.root().keys());
    for (String r : repo.roleNames()) {
      if (r.equals("root") || r.equals("snapshot") || r.equals("timestamp") || repo.isBin(r)) {
        continue;
      }
      repo.targets(r).map(Targets::delegations).ifPresent(d -> all.putAll(d.keys()));
    }
    return all;
  }

  /** The id of a key the repository trusts, named by key store name, id or id prefix. */
  public static String resolveId(Workbench bench, Repository repo, String ref) {
    Map<String, Key> trusted = trusted(repo);
    for (KeyEntry e : bench.keys().list()) {
      if (e.name().equals(ref)) {
        if (!trusted.containsKey(e.key().keyId())) {
          throw new UsageError("key '" + ref + "' (" + e.key().shortId() + ") is not trusted by any role");
        }
        return e.key().keyId();
      }
    }
    return resolve(trusted, ref, "trusted by this repository");
  }

  /** A key from the key store by name or id. */
  public static Key fromStore(Workbench bench, String ref) {
    Map<String, Key> byId = new LinkedHashMap<>();
    for (KeyEntry e : bench.keys().list()) {
      if (e.name().equals(ref)) {
        dev.tufsh.keys.CombinedKeyStore.requireUsable(e.key(), ref);
        return e.key();
      }
      byId.put(e.key().keyId(), e.key());
    }
    Key k = byId.get(resolve(byId, ref, "in the key store"));
    dev.tufsh.keys.CombinedKeyStore.requireUsable(k, ref);
    return k;
  }

  static String resolve(Map<String, Key> keys, String ref, String where) {
    String r = ref.toLowerCase(java.util.Locale.ROOT);
    if (keys.containsKey(r)) {
      return r;
    }
    if (r.length() < 8) {
      throw new UsageError("no key '" + ref + "' " + where + " (give a key name, or at least 8 hex digits of its id)");
    }
    String found = null;
    for (String id : keys.keySet()) {
      if (id.startsWith(r)) {
        if (found != null) {
          throw new UsageError("key id prefix '" + ref + "' is ambiguous; give more digits");
        }
        found = id;
      }
    }
    if (found == null) {
      throw new UsageError("no key '" + ref + "' " + where);
    }
    return found;
  }
}
