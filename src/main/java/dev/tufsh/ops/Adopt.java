package dev.tufsh.ops;

import dev.tufsh.errors.UsageError;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Root;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.Settings;
import dev.tufsh.repo.Workspace;
import dev.tufsh.trust.TrustReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Takes over a repository another tool published (python-tuf, RSTUF, tuf-on-ci, a tufsh mirror):
 * verifies it as a client would, then gives the folder tufsh's private state ({@code .tufsh/})
 * and changes nothing that is published, so clients go on from the roots they trust. The roles and
 * layout are read from the metadata as they are (any delegation tree, succinct bins anywhere);
 * keys are then imported ({@code key import}) or registered ({@code key add-offline},
 * {@code add-pkcs11}, {@code add-vault}) and matched to roles by key id.
 */
public final class Adopt {
  /**
   * {@code trustedRoot}: where verification starts (null: metadata/1.root.json); {@code settings}:
   * expiry periods, and target hashes ({@code null} target hashes: those the repository's targets
   * already list, else the default).
   */
  public record Request(Path trustedRoot, Settings settings, boolean inferHashes) {}

  /** What was adopted, and which roles still have no key here to sign with. */
  public record Result(TrustReport report, List<String> targetHashes, Map<String, List<String>> keysNeeded) {}

  private Adopt() {}

  public static Result run(Workbench bench, Request req) {
    Workspace before = bench.workspace();
    if (!before.foreign()) {
      throw new UsageError(before.root() + " is already a tufsh repository");
    }
    // Read-only first: nothing is created unless the repository verifies.
    TrustReport report = Verify.run(bench, req.trustedRoot(), true);
    Settings settings = req.settings();
    List<String> hashes = settings.targetHashes();
    if (req.inferHashes()) {
      List<String> listed = listedHashes(bench);
      if (!listed.isEmpty()) {
        hashes = listed;
        settings = settings.withTargetHashes(listed);
      }
    }
    Root root = bench.repository().root();
    if (!Boolean.TRUE.equals(root.consistentSnapshot())) {
      throw new UsageError("root v" + root.version() + " has consistent_snapshot false; tufsh publishes versioned"
          + " metadata and HASH.name targets only, so it cannot take over this repository without changing what"
          + " clients fetch");
    }
    Workspace ws = Workspace.adopt(bench.dir(), settings);
    bench.workspace(ws);
    return new Result(report, hashes, keysNeeded(bench.repository(), bench));
  }

  /** The hash algorithms of the first listed target found, in the order the repository lists roles. */
  private static List<String> listedHashes(Workbench bench) {
    Repository repo = bench.repository();
    for (String role : repo.roleNames()) {
      if (!RoleType.isTopLevel(role) || role.equals("targets")) {
        Targets t = repo.targets(role).orElse(null);
        if (t != null && !t.targets().isEmpty()) {
          TargetFile f = t.targets().values().iterator().next();
          return new ArrayList<>(new TreeSet<>(f.hashes().keySet()));
        }
      }
    }
    return List.of();
  }

  /**
   * Role to the key ids it trusts that no key here can sign with (all of them, right after
   * adoption); the bins of a succinct delegation share keys and are reported once, as a glob.
   */
  public static Map<String, List<String>> keysNeeded(Repository repo, Workbench bench) {
    java.util.Set<String> have = new java.util.HashSet<>();
    bench.keys().list().forEach(e -> have.add(e.key().keyId()));
    Map<String, List<String>> out = new LinkedHashMap<>();
    java.util.Set<String> globs = new java.util.HashSet<>();
    for (String r : repo.roleNames()) {
      String name = r;
      if (repo.isBin(r)) {
        name = r.substring(0, r.lastIndexOf('-') + 1) + "*";
        if (!globs.add(name)) {
          continue;
        }
      }
      List<String> missing = new ArrayList<>();
      for (String id : repo.keysFor(r).role().keyids()) {
        if (!have.contains(id)) {
          missing.add(id);
        }
      }
      if (!missing.isEmpty()) {
        out.put(name, missing);
      }
    }
    return out;
  }
}
