package dev.tufsh.ops;

import dev.tufsh.crypto.Key;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.FileNames;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.StagedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stages the targets roles back to a checkpoint's target lists (all of them, or the paths
 * {@code only} names). Nothing is rolled back: each changed role gets its next version and a
 * fresh expiry, signed by the keys trusted now (a rotated bin key signs the restored bins), and
 * publish, after {@code plan}, makes it what clients see. The checkpoint is read, verified and
 * compared without the workspace lock (about a minute at PyPI's size, while uploads go on); the
 * lock is taken only to check that nothing was published or staged meanwhile ({@link
 * WorkspaceMark}: else restore refuses and stages nothing) and to stage.
 */
public final class Restore {
  public record Request(Path from, Key trustedKey, List<String> only) {
    public Request {
      only = List.copyOf(only);
    }
  }

  /**
   * {@code versions}: role to the version it publishes as. {@code missingFiles}: restored targets
   * whose hash-named copy is not in {@code targets/} (clients would refuse the download until the
   * file is put back there).
   */
  public record Result(List<CheckpointDiff.Change> reverted, Map<String, Integer> versions, List<String> staged,
      List<String> missingFiles, List<String> rolesGone) {
    public Result {
      reverted = List.copyOf(reverted);
      versions = Map.copyOf(versions);
      staged = List.copyOf(staged);
      missingFiles = List.copyOf(missingFiles);
      rolesGone = List.copyOf(rolesGone);
    }
  }

  private Restore() {}

  public static Result run(Workbench bench, Request req) {
    // Read, verify and prepare without the lock (streaming a checkpoint at PyPI's size takes about a
    // minute); under it, only check that what it was prepared from is still what is there, and stage.
    WorkspaceMark first = WorkspaceMark.of(bench.workspace());
    Repository opened = bench.repository();
    WorkspaceMark start = WorkspaceMark.of(bench.workspace());
    // Opening tidies the staging area after a killed publish (or another writer was at work): open it again.
    Repository repo = start.equals(first) ? opened : bench.repository();
    CheckpointDiff.Result diff = CheckpointDiff.compare(bench, repo, req.from(), "restore --from", req.trustedKey(),
        req.only());
    Map<String, Map<String, TargetFile>> byRole = new TreeMap<>();
    Map<String, Targets> current = new HashMap<>();
    for (CheckpointDiff.Change c : diff.changes()) {
      Map<String, TargetFile> t = byRole.computeIfAbsent(c.role(),
          r -> new HashMap<>(current.computeIfAbsent(r, repo::requireTargets).targets()));
      if (c.before() == null) {
        t.remove(c.path());
      } else {
        t.put(c.path(), c.before());
      }
    }
    // The plain-named file may hold what the attacker published; the hash-named copy of the
    // checkpointed content is staged back under both names (publish copies it).
    List<String> missing = new ArrayList<>();
    List<StagedFile> files = new ArrayList<>();
    Path targetsDir = bench.workspace().targetsDir();
    for (CheckpointDiff.Change c : diff.changes()) {
      if (c.before() != null) {
        String sha = c.before().hashes().get("sha256");
        Path copy = sha == null ? null : targetsDir.resolve(FileNames.target(c.path(), sha));
        if (copy == null || !Files.isRegularFile(copy, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          missing.add(c.path());
        } else {
          files.add(new StagedFile(c.path(), copy.toString(), c.before().length(), c.before().hashes()));
        }
      }
    }
    Map<String, Integer> versions = new TreeMap<>();
    if (!byRole.isEmpty()) {
      try (PublishLock lock = bench.lock()) {
        start.requireUnchanged(bench.workspace(), "restore");
        Map<String, Targets> changed = new LinkedHashMap<>();
        byRole.forEach((role, targets) -> changed.put(role,
            current.get(role).withTargets(targets).withExpires(repo.freshExpiry(role))));
        repo.stageAll(changed);
        files.forEach(repo.staging()::putFile);
        repo.save();
        changed.keySet().forEach(r -> versions.put(r, repo.nextVersion(r)));
      }
    }
    return new Result(diff.changes(), versions, new ArrayList<>(byRole.keySet()), missing, diff.rolesGone());
  }
}
