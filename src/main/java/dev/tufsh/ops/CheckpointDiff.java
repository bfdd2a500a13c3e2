package dev.tufsh.ops;

import dev.tufsh.crypto.Key;
import dev.tufsh.model.PathPattern;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.repo.AtomicFiles;
import dev.tufsh.repo.FileNames;
import dev.tufsh.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every target added, removed or changed since a checkpoint, per targets role, in the repository
 * as it would be published (staged over published: after a restore is staged, the diff is empty).
 * Read only. {@link Restore} stages the reverse of the same changes.
 */
public final class CheckpointDiff {
  public enum Kind { ADDED, REMOVED, CHANGED }

  /** {@code only}: target path patterns to look at (empty: every target). */
  public record Request(Path against, Key trustedKey, List<String> only) {
    public Request {
      only = List.copyOf(only);
    }
  }

  /** {@code before}/{@code after}: the entry in the checkpoint and now (null where there is none). */
  public record Change(String role, String path, Kind kind, TargetFile before, TargetFile after) {}

  public record Result(CheckpointFile checkpoint, List<Change> changes, List<String> rolesGone) {
    public Result {
      changes = List.copyOf(changes);
      rolesGone = List.copyOf(rolesGone);
    }
  }

  private CheckpointDiff() {}

  public static Result run(Workbench bench, Request req) {
    return compare(bench, req.against(), "diff --against", req.trustedKey(), req.only());
  }

  /**
   * Reads the checkpoint in {@code file} (which option {@code what} named), signed by {@code
   * trusted}, and compares it with the repository role by role as it streams by. A role whose
   * published file is the one checkpointed (same version, same SHA-256) and that has nothing staged
   * is unchanged without being decoded: after an incident most of 16,384 bins are.
   */
  static Result compare(Workbench bench, Path file, String what, Key trusted, List<String> only) {
    return compare(bench, bench.repository(), file, what, trusted, only);
  }

  /** {@link #compare} against {@code repo} as it was opened (restore checks later that it still stands). */
  static Result compare(Workbench bench, Repository repo, Path file, String what, Key trusted, List<String> only) {
    Path real = bench.files().input(file, what);
    List<String> now = repo.roleNames().stream().filter(r -> !RoleType.isTopLevel(r) || r.equals("targets")).toList();
    Map<String, String> publishedSha256 = publishedHashes(repo, now);
    List<Change> changes = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> gone = java.util.Collections.synchronizedList(new ArrayList<>());
    Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    CheckpointFile cp = CheckpointFile.read(real, file.toString(), trusted, (role, was, before) -> {
      seen.add(role);
      if (!repo.isStaged(role) && was.version() == repo.published().version(role)
          && was.sha256().equals(publishedSha256.get(role))) {
        return; // the common case for 16384 bins: the very file checkpointed
      }
      if (!compareRole(repo, role, before.get(), only, changes)) {
        gone.add(role);
      }
    });
    List<Change> added = java.util.Collections.synchronizedList(new ArrayList<>());
    now.stream().filter(r -> !seen.contains(r)).toList().parallelStream()
        .forEach(r -> compareRole(repo, r, Map.of(), only, added));
    List<Change> all = new ArrayList<>(changes);
    all.addAll(added);
    all.sort(Comparator.comparing(Change::role).thenComparing(Change::path));
    List<String> goneSorted = new ArrayList<>(gone);
    goneSorted.sort(Comparator.naturalOrder());
    return new Result(cp, all, goneSorted);
  }

  /** The SHA-256 of each role's published file, read on all cores (a few hundred MB at PyPI's size). */
  private static Map<String, String> publishedHashes(Repository repo, List<String> roles) {
    Map<String, String> out = new java.util.concurrent.ConcurrentHashMap<>();
    Path dir = repo.workspace().metadataDir();
    roles.parallelStream().filter(r -> !repo.isStaged(r)).forEach(r -> {
      int v = repo.published().version(r);
      Path f = dir.resolve(FileNames.metadata(r, v));
      if (v > 0 && Files.isRegularFile(f)) {
        out.put(r, HashAlgorithm.SHA256.hex(AtomicFiles.read(f)));
      }
    });
    return out;
  }

  /** Adds {@code role}'s changes since {@code before}; false when the role is gone now. */
  private static boolean compareRole(Repository repo, String role, Map<String, TargetFile> before, List<String> only,
      List<Change> changes) {
    Optional<Targets> now = repo.targets(role);
    if (now.isEmpty()) {
      return false;
    }
    Map<String, TargetFile> after = now.get().targets();
    if (before.equals(after)) {
      return true;
    }
    TreeSet<String> paths = new TreeSet<>(before.keySet());
    paths.addAll(after.keySet());
    for (String p : paths) {
      if (!selected(p, only)) {
        continue;
      }
      TargetFile b = before.get(p);
      TargetFile a = after.get(p);
      if (b == null) {
        changes.add(new Change(role, p, Kind.ADDED, null, a));
      } else if (a == null) {
        changes.add(new Change(role, p, Kind.REMOVED, b, null));
      } else if (!b.equals(a)) {
        changes.add(new Change(role, p, Kind.CHANGED, b, a));
      }
    }
    return true;
  }

  static boolean selected(String path, List<String> only) {
    return only.isEmpty() || only.stream().anyMatch(p -> p.equals(path) || PathPattern.matches(p, path));
  }
}
