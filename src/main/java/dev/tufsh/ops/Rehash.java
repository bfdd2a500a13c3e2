package dev.tufsh.ops;

import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.errors.UsageError;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.model.Names;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.FileNames;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Publisher;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.StagedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A target-hash transition in two steps, each one staged change: {@code add} lists a second hash
 * for every target (computed from the repository's own copy in {@code targets/}, checked against
 * the hashes it lists, and staged so publish writes its {@code dir/HASH.name} copy), then, once
 * clients have it, {@code drop} removes the first. The workspace's {@code target_hashes} setting
 * follows, so targets added meanwhile get the same hashes.
 */
public final class Rehash {
  /** Exactly one of {@code add} and {@code drop}: a TUF hash name. */
  public record Request(String add, String drop) {}

  /** What changed: targets and roles, the setting now, and warnings (one line each). */
  public record Result(String added, String dropped, int targets, int roles, List<String> targetHashes,
      List<String> warnings) {
    public Result {
      targetHashes = List.copyOf(targetHashes);
      warnings = List.copyOf(warnings);
    }
  }

  private Rehash() {}

  public static Result run(Workbench bench, Request req) {
    if ((req.add() == null) == (req.drop() == null)) {
      throw new UsageError("give one of --add ALGORITHM and --drop ALGORITHM");
    }
    String alg = req.add() != null ? req.add() : req.drop();
    if (HashAlgorithm.byName(alg).isEmpty()) {
      throw new UsageError("unsupported hash algorithm '" + alg + "' (known: " + HashAlgorithm.names() + ")");
    }
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      NothingStaged.require(repo, "a hash transition restages every target");
      Map<String, Targets> roles = new LinkedHashMap<>();
      for (String r : repo.roleNames()) {
        if (!r.equals("root") && !r.equals("snapshot") && !r.equals("timestamp")) {
          repo.targets(r).ifPresent(t -> roles.put(r, t));
        }
      }
      List<String> warnings = new ArrayList<>();
      List<String> setting = new ArrayList<>(repo.settings().targetHashes());
      Map<String, Map<String, TargetFile>> changed;
      List<StagedFile> copies = new ArrayList<>();
      if (req.add() != null) {
        changed = add(repo, roles, alg, copies);
        if (!setting.contains(alg)) {
          setting.add(alg);
        }
        if (alg.equals(HashAlgorithm.BLAKE2B_256.tufName())) {
          warnings.add("listing blake2b-256: python-tuf checks it, but tuf-js and go-tuf refuse to download a target"
              + " whose hashes include it");
        }
      } else {
        changed = drop(roles, alg);
        setting.remove(alg);
        if (setting.isEmpty()) {
          throw new UsageError("target_hashes would list no algorithm; add another first (target rehash --add ...)");
        }
        if (alg.equals(HashAlgorithm.SHA256.tufName())) {
          warnings.add("dropping sha256: tough checks only sha256 and refuses a target that does not list it");
        }
      }
      Map<String, Targets> staged = new LinkedHashMap<>();
      int targets = 0;
      for (var e : changed.entrySet()) {
        Map<String, TargetFile> all = new HashMap<>(roles.get(e.getKey()).targets());
        all.putAll(e.getValue());
        targets += e.getValue().size();
        staged.put(e.getKey(), roles.get(e.getKey()).withTargets(all).withExpires(repo.freshExpiry(e.getKey())));
      }
      repo.stageAll(staged);
      copies.forEach(repo.staging()::putFile);
      repo.save();
      bench.workspace().saveSettings(repo.settings().withTargetHashes(setting));
      return new Result(req.add(), req.drop(), targets, staged.size(), setting, warnings);
    }
  }

  /** Every target lacking {@code alg}, with it added; refuses at the first target with no good copy. */
  private static Map<String, Map<String, TargetFile>> add(Repository repo, Map<String, Targets> roles, String alg,
      List<StagedFile> copies) {
    Map<String, String> roleOf = new TreeMap<>();
    roles.forEach((r, t) -> t.targets().forEach((path, f) -> {
      if (!f.hashes().containsKey(alg)) {
        roleOf.put(path, r);
      }
    }));
    Path dir = repo.workspace().targetsDir();
    Map<String, StagedFile> found = new ConcurrentHashMap<>();
    roleOf.entrySet().parallelStream().forEach(e -> {
      TargetFile f = roles.get(e.getValue()).targets().get(e.getKey());
      copy(dir, e.getKey(), f, alg).ifPresent(s -> found.put(e.getKey(), s));
    });
    Map<String, Map<String, TargetFile>> out = new TreeMap<>();
    for (var e : roleOf.entrySet()) {
      StagedFile s = found.get(e.getKey());
      if (s == null) {
        throw new WorkspaceError("target " + Names.printable(e.getKey()) + " (in " + e.getValue() + "): no copy in "
            + dir + " matches its listed hashes, so its " + alg + " cannot be computed; nothing was staged");
      }
      TargetFile f = roles.get(e.getValue()).targets().get(e.getKey());
      out.computeIfAbsent(e.getValue(), r -> new HashMap<>())
          .put(e.getKey(), new TargetFile(f.length(), s.hashes(), f.custom(), f.extras()));
      copies.add(s);
    }
    return out;
  }

  /**
   * The first of the target's copies (hash-named, then plain) whose length and listed hashes match,
   * as a staged file listing {@code alg} too; never through a link (targets/ is served to anyone).
   */
  private static Optional<StagedFile> copy(Path dir, String path, TargetFile f, String alg) {
    List<Path> candidates = new ArrayList<>();
    f.hashes().values().forEach(h -> candidates.add(dir.resolve(FileNames.target(path, h))));
    candidates.add(dir.resolve(path));
    List<String> algorithms = new ArrayList<>(f.hashes().keySet());
    algorithms.add(alg);
    for (Path p : candidates) {
      if (!p.normalize().startsWith(dir) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        if (Files.size(p) != f.length()) {
          continue;
        }
      } catch (IOException e) {
        continue;
      }
      Map<String, String> h = Publisher.digest(p, algorithms);
      if (f.hashes().entrySet().stream().allMatch(x -> x.getValue().equalsIgnoreCase(h.get(x.getKey())))) {
        return Optional.of(new StagedFile(path, p.toString(), f.length(), h));
      }
    }
    return Optional.empty();
  }

  /** Every target listing {@code alg}, without it; refuses a target that lists nothing else. */
  private static Map<String, Map<String, TargetFile>> drop(Map<String, Targets> roles, String alg) {
    Map<String, Map<String, TargetFile>> out = new TreeMap<>();
    Map<String, String> only = new TreeMap<>();
    roles.forEach((r, t) -> t.targets().forEach((path, f) -> {
      if (!f.hashes().containsKey(alg)) {
        return;
      }
      if (f.hashes().size() == 1) {
        only.put(path, r);
        return;
      }
      Map<String, String> h = new LinkedHashMap<>(f.hashes());
      h.remove(alg);
      out.computeIfAbsent(r, x -> new HashMap<>()).put(path, new TargetFile(f.length(), h, f.custom(), f.extras()));
    }));
    if (!only.isEmpty()) {
      var first = only.entrySet().iterator().next();
      throw new UsageError("target " + Names.printable(first.getKey()) + " (in " + first.getValue() + ") lists only "
          + alg + "; add another hash first (target rehash --add ALGORITHM)");
    }
    return out;
  }
}
