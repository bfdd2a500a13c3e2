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
   * else one is generated with {@code scheme}; {@code threshold} 0 keeps the threshold.
   */
  public record Request(String role, String oldKey, String newKey, Scheme scheme, int threshold) {}

  public record Result(String role, String oldKeyId, String newKeyId, String newKeyName, Set<String> staged) {}

  private Rotate() {}

  public static Result run(Workbench bench, Request req) {
    try (PublishLock lock = bench.lock()) {
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
        fresh = bench.keys().generate(req.scheme() == null ? Scheme.ED25519 : req.scheme(), name).key();
      }
      if (current.keyids().contains(fresh.keyId())) {
        throw new UsageError("role '" + req.role() + "' already trusts key " + fresh.shortId());
      }
      List<String> ids = new ArrayList<>(current.keyids());
      ids.set(ids.indexOf(oldId), fresh.keyId());
      int t = req.threshold() > 0 ? req.threshold() : current.threshold();
      Set<String> staged = KeyChange.apply(repo, Map.of(req.role(), new KeyChange.RoleChange(ids, t)),
          Map.of(fresh.keyId(), fresh));
      repo.save();
      return new Result(req.role(), oldId, fresh.keyId(), name, staged);
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
