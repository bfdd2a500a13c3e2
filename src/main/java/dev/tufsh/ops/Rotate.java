package dev.tufsh.ops;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.errors.UsageError;
import dev.tufsh.keys.KeyEntry;
import dev.tufsh.model.Role;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Repository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces a key of a role with a new one. A top-level change is a new root version signed by the
 * old and the new root keys; a delegated change is a new version of the delegator; then the role
 * (every bin, for succinct bins) is re-signed, and snapshot and timestamp follow at publish.
 */
public final class Rotate {
  /**
   * {@code oldKey} may be null when the role has one key; {@code newKey} names a key in the store,
   * else one is generated with {@code scheme}; {@code threshold} 0 keeps the threshold;
   * {@code addKeys} more keys are generated and trusted besides (a root growing to 2-of-3).
   */
  public record Request(
      String role, String oldKey, String newKey, Scheme scheme, int threshold, int addKeys, boolean force) {
    public Request(String role, String oldKey, String newKey, Scheme scheme, int threshold) {
      this(role, oldKey, newKey, scheme, threshold, 0);
    }

    public Request(String role, String oldKey, String newKey, Scheme scheme, int threshold, int addKeys) {
      this(role, oldKey, newKey, scheme, threshold, addKeys, false);
    }
  }

  /** {@code added} names the extra keys generated for {@code addKeys}. */
  public record Result(
      String role, String oldKeyId, String newKeyId, String newKeyName, List<String> added, Set<String> staged) {}

  private Rotate() {}

  public static Result run(Workbench bench, Request req) {
    try (PublishLock lock = bench.lock(); NewKeys made = new NewKeys(bench)) {
      Repository repo = bench.repository();
      if (!repo.roleNames().contains(req.role())) {
        throw new UsageError("unknown role '" + req.role() + "'");
      }
      Role current = repo.keysFor(req.role()).role();
      String oldId;
      if (req.oldKey() == null) {
        if (current.keyids().size() != 1) {
          throw new UsageError("role '" + req.role() + "' has " + current.keyids().size()
              + " keys; name the one to replace with --old");
        }
        oldId = current.keyids().get(0);
      } else {
        oldId = KeyRefs.resolveId(bench, repo, req.oldKey());
        if (!current.keyids().contains(oldId)) {
          throw new UsageError("role '" + req.role() + "' does not trust key " + oldId.substring(0, 16));
        }
      }
      Key fresh;
      String name;
      if (req.newKey() != null) {
        fresh = KeyRefs.fromStore(bench, req.newKey());
        name = nameOf(bench, fresh);
      } else {
        name = freeName(bench, kindPrefix(repo, req.role()));
        fresh = made.generate(req.scheme(), name);
      }
      if (current.keyids().contains(fresh.keyId())) {
        throw new UsageError("role '" + req.role() + "' already trusts key " + fresh.shortId());
      }
      if (req.addKeys() < 0 || req.addKeys() > 16) {
        throw new UsageError("--add-keys must be between 0 and 16, got " + req.addKeys());
      }
      List<String> ids = new ArrayList<>(current.keyids());
      ids.set(ids.indexOf(oldId), fresh.keyId());
      Map<String, Key> newKeys = new java.util.HashMap<>(Map.of(fresh.keyId(), fresh));
      List<String> added = new ArrayList<>();
      for (int i = 0; i < req.addKeys(); i++) {
        String extraName = freeName(bench, kindPrefix(repo, req.role()));
        Key extra = made.generate(req.scheme(), extraName);
        ids.add(extra.keyId());
        newKeys.put(extra.keyId(), extra);
        added.add(extraName);
      }
      int t = req.threshold() > 0 ? req.threshold() : current.threshold();
      if (t > ids.size()) {
        throw new UsageError("threshold " + t + " for role '" + req.role() + "' needs at least " + t + " keys; it"
            + " would have " + ids.size() + " (add some with --add-keys)");
      }
      Set<String> staged = KeyChange.apply(repo, Map.of(req.role(), new KeyChange.RoleChange(ids, t)), newKeys,
          req.force());
      made.keep(); // staged roles name them now; any failure before takes them back
      repo.save();
      return new Result(req.role(), oldId, fresh.keyId(), name, added, staged);
    }
  }

  static String kindPrefix(Repository repo, String role) {
    return repo.isBin(role) ? "bin-n" : role;
  }

  static String nameOf(Workbench bench, Key k) {
    for (KeyEntry e : bench.keys().list()) {
      if (e.key().keyId().equals(k.keyId())) {
        return e.name();
      }
    }
    return k.shortId();
  }

  /** The first unused {@code prefix-N} name in the store. */
  static String freeName(Workbench bench, String prefix) {
    java.util.Set<String> used = new java.util.HashSet<>();
    bench.keys().list().forEach(e -> used.add(e.name()));
    for (int i = 1; ; i++) {
      if (!used.contains(prefix + "-" + i)) {
        return prefix + "-" + i;
      }
    }
  }
}
