package dev.tufsh.ops;

import dev.tufsh.crypto.Key;
import dev.tufsh.model.PathPattern;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.AtomicFiles;
import dev.tufsh.repo.Repository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    CheckpointFile cp = read(bench, req.against(), "diff --against", req.trustedKey());
    return compare(bench.repository(), cp, req.only());
  }

  /** The checkpoint in {@code file} (which option {@code what} named), signed by {@code trusted}. */
  static CheckpointFile read(Workbench bench, Path file, String what, Key trusted) {
    Path real = bench.files().input(file, what);
    return CheckpointFile.read(AtomicFiles.readBounded(real, AtomicFiles.MAX_READ), file.toString(), trusted);
  }

  static Result compare(Repository repo, CheckpointFile cp, List<String> only) {
    TreeSet<String> roles = new TreeSet<>(cp.roles().keySet());
    repo.roleNames().stream().filter(r -> !RoleType.isTopLevel(r) || r.equals("targets")).forEach(roles::add);
    List<Change> changes = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> gone = java.util.Collections.synchronizedList(new ArrayList<>());
    roles.parallelStream().forEach(role -> {
      CheckpointFile.RoleState was = cp.roles().get(role);
      Optional<Targets> now = repo.targets(role);
      if (now.isEmpty()) {
        if (was != null) {
          gone.add(role);
        }
        return;
      }
      Map<String, TargetFile> before = was == null ? Map.of() : was.targets();
      Map<String, TargetFile> after = now.get().targets();
      if (before.equals(after)) {
        return; // the common case for 16384 bins: nothing to walk
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
    });
    List<Change> sorted = new ArrayList<>(changes);
    sorted.sort(Comparator.comparing(Change::role).thenComparing(Change::path));
    List<String> goneSorted = new ArrayList<>(gone);
    goneSorted.sort(Comparator.naturalOrder());
    return new Result(cp, sorted, goneSorted);
  }

  static boolean selected(String path, List<String> only) {
    return only.isEmpty() || only.stream().anyMatch(p -> p.equals(path) || PathPattern.matches(p, path));
  }
}
