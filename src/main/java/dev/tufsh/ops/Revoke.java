package dev.tufsh.ops;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.errors.UsageError;
import dev.tufsh.model.Role;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Repository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A key is compromised: it leaves every role that trusts it (or one named role). The blast radius
 * comes first: which roles trusted it and which thresholds fall short without it. Roles left
 * short get the replacement key; what must be re-signed is staged, and publish refuses until every
 * threshold is met.
 */
public final class Revoke {
  /** One affected role: its delegator, keys and threshold before, and keys left without the key. */
  public record Impact(String role, String delegator, int keysBefore, int threshold, int keysAfter) {
    public boolean falls() {
      return keysAfter < threshold;
    }
  }

  /**
   * {@code role} null means every role; {@code replacement} names a store key, {@code generate}
   * makes a new one with {@code scheme}.
   */
  public record Request(String key, String role, String replacement, boolean generate, Scheme scheme, boolean force) {
    public Request(String key, String role, String replacement, boolean generate, Scheme scheme) {
      this(key, role, replacement, generate, scheme, false);
    }
  }

  public record Result(String keyId, List<Impact> impacts, String replacementId, Set<String> staged) {}

  private Revoke() {}

  /** Who trusts {@code keyRef}, and what removing it does; changes nothing. */
  public static List<Impact> blastRadius(Workbench bench, String keyRef, String onlyRole) {
    Repository repo = bench.repository();
    return impacts(repo, KeyRefs.resolveId(bench, repo, keyRef), onlyRole);
  }

  static List<Impact> impacts(Repository repo, String keyId, String onlyRole) {
    List<Impact> out = new ArrayList<>();
    java.util.Set<String> seenBinParents = new java.util.HashSet<>();
    for (String r : repo.roleNames()) {
      if (onlyRole != null && !onlyRole.equals(r)) {
        continue;
      }
      if (repo.isBin(r)) {
        // All bins of a succinct delegation share one key list: report the delegation once.
        String parent = repo.delegatorOf(r).orElseThrow();
        if (onlyRole == null && !seenBinParents.add(parent)) {
          continue;
        }
      }
      Role role = repo.keysFor(r).role();
      if (role.keyids().contains(keyId)) {
        String name = repo.isBin(r) && onlyRole == null ? binGlob(repo, r) : r;
        out.add(new Impact(name, repo.delegatorOf(r).orElse("root"), role.keyids().size(), role.threshold(),
            role.keyids().size() - 1));
      }
    }
    if (out.isEmpty()) {
      throw new UsageError("key " + keyId.substring(0, 16) + " is not trusted by "
          + (onlyRole == null ? "any role" : "role '" + onlyRole + "'"));
    }
    return out;
  }

  private static String binGlob(Repository repo, String bin) {
    int dash = bin.lastIndexOf('-');
    return bin.substring(0, dash + 1) + "*";
  }

  public static Result run(Workbench bench, Request req) {
    try (PublishLock lock = bench.lock(); NewKeys made = new NewKeys(bench)) {
      Repository repo = bench.repository();
      String keyId = KeyRefs.resolveId(bench, repo, req.key());
      List<Impact> impacts = impacts(repo, keyId, req.role());
      Key replacement = null;
      if (req.replacement() != null) {
        replacement = KeyRefs.fromStore(bench, req.replacement());
      } else if (req.generate()) {
        String first = impacts.get(0).role().replace("*", "n").replaceAll("-$", "");
        String name = Rotate.freeName(bench, first.startsWith("bin-") ? "bin-n" : first);
        replacement = made.generate(req.scheme(), name);
      }
      Map<String, KeyChange.RoleChange> changes = new LinkedHashMap<>();
      for (Impact i : impacts) {
        String role = i.role().endsWith("*") ? firstBin(repo, i.role()) : i.role();
        Role cur = repo.keysFor(role).role();
        List<String> ids = new ArrayList<>(cur.keyids());
        ids.remove(keyId);
        if (replacement != null && !ids.contains(replacement.keyId())) {
          ids.add(replacement.keyId());
        }
        if (ids.size() < cur.threshold()) {
          throw new UsageError("revoking key " + keyId.substring(0, 16) + " leaves role '" + i.role() + "' with "
              + ids.size() + " keys for threshold " + cur.threshold() + "; give --replace-with KEY or --generate");
        }
        changes.put(role, new KeyChange.RoleChange(ids, cur.threshold()));
      }
      Map<String, Key> added = replacement == null ? Map.of() : Map.of(replacement.keyId(), replacement);
      Set<String> staged = KeyChange.apply(repo, changes, added, req.force());
      made.keep(); // what is staged names it now (all or nothing: a refused re-sign takes it back)
      repo.save();
      // Remembered so the key is not trusted again by mistake (rotate --new it is refused).
      dev.tufsh.repo.RevocationList.load(repo.workspace()).add(keyId, repo.now().toString());
      return new Result(keyId, impacts, replacement == null ? null : replacement.keyId(), staged);
    }
  }

  private static String firstBin(Repository repo, String glob) {
    String prefix = glob.substring(0, glob.length() - 1);
    for (String r : repo.roleNames()) {
      if (r.startsWith(prefix) && repo.isBin(r)) {
        return r;
      }
    }
    throw new UsageError("no role matches '" + glob + "'");
  }
}
