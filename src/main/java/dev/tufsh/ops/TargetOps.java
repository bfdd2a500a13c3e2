package dev.tufsh.ops;

import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.UsageError;
import dev.tufsh.model.Names;
import dev.tufsh.model.TargetFile;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Publisher;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.StagedFile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds and removes targets. Each path goes to the role a client would look in; every changed role
 * is staged once however many of its targets changed, and all are signed in one parallel pass.
 */
public final class TargetOps {
  /** Which role each path went to, the new versions of the changed roles, and warnings (one line each). */
  public record Result(Map<String, String> roleByPath, Map<String, Integer> versions, List<String> warnings) {
    public Result(Map<String, String> roleByPath, Map<String, Integer> versions) {
      this(roleByPath, versions, List.of());
    }
  }

  /**
   * How targets are added: the hash algorithms listed for files hashed here (null: the workspace's
   * {@code target_hashes} setting), and whether a URL-unsafe path is refused rather than warned about.
   */
  public record AddOptions(List<String> hashes, boolean strict, IfExists ifExists) {
    public static final AddOptions DEFAULTS = new AddOptions(null, false);

    public AddOptions(List<String> hashes, boolean strict) {
      this(hashes, strict, IfExists.FAIL);
    }
  }

  private TargetOps() {}

  /**
   * What to do when a path is already listed with other content. Published target files are
   * promises (PyPI files are immutable), so the default refuses; same content is never a change.
   */
  public enum IfExists { FAIL, REPLACE, SKIP }

  public static Result add(Workbench bench, List<TargetSpec> specs) {
    return add(bench, specs, AddOptions.DEFAULTS);
  }

  public static Result add(Workbench bench, List<TargetSpec> specs, AddOptions options) {
    IfExists ifExists = options.ifExists();
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      List<String> algorithms = options.hashes() != null ? options.hashes() : repo.settings().targetHashes();
      algorithms.forEach(HashAlgorithm::require);
      List<String> warnings = new ArrayList<>();
      if (algorithms.contains(HashAlgorithm.BLAKE2B_256.tufName()) && specs.stream().anyMatch(s -> s.file() != null)) {
        warnings.add("listing blake2b-256: python-tuf checks it, but tuf-js and go-tuf refuse to download a target"
            + " whose hashes include it");
      }
      TargetRouter router = new TargetRouter(repo);
      // Each role touched is read once: published bins are not kept decoded (PublishedState).
      Map<String, dev.tufsh.model.Targets> read = new HashMap<>();
      Map<String, Map<String, TargetFile>> byRole = new TreeMap<>();
      Map<String, String> placed = new LinkedHashMap<>();
      List<StagedFile> files = new ArrayList<>();
      for (TargetSpec s : specs) {
        Names.checkTargetPath(s.path(), "target path");
        String unsafe = Names.urlUnsafeCharacters(s.path());
        if (!unsafe.isEmpty()) {
          String msg = "target path '" + Names.printable(s.path()) + "' contains '" + unsafe + "': python-tuf and"
              + " go-tuf put paths into URLs unescaped, so a static server will not find it";
          if (options.strict()) {
            throw new UsageError(msg + " (refused by --strict)");
          }
          warnings.add(msg);
        }
        TargetFile tf;
        if (s.file() != null) {
          // Its real path, checked: what is hashed now is what publish copies later.
          java.nio.file.Path file = bench.files().input(s.file(), "target " + s.path() + ": file");
          if (!Files.isRegularFile(file)) {
            throw new UsageError("target " + s.path() + ": " + s.file() + " is not a readable file");
          }
          Map<String, String> h = Publisher.digest(file, algorithms);
          long len;
          try {
            len = Files.size(file);
          } catch (java.io.IOException e) {
            throw new UsageError("target " + s.path() + ": cannot read " + s.file());
          }
          tf = new TargetFile(len, h);
          files.add(new StagedFile(s.path(), file.toString(), len, h));
        } else {
          checkHashes(s);
          tf = new TargetFile(s.length(), s.hashes());
        }
        String role = router.roleFor(s.path());
        TargetFile listed = read.computeIfAbsent(role, repo::requireTargets).targets().get(s.path());
        if (listed != null && !sameContent(listed, tf)) {
          if (ifExists == IfExists.SKIP) {
            files.removeIf(f -> f.path().equals(s.path()));
            continue;
          }
          if (ifExists == IfExists.FAIL) {
            throw new UsageError("target " + Names.printable(s.path()) + " is already listed in " + role
                + " with other content (length " + listed.length() + "); a published path keeps its bytes:"
                + " use a new path, or --if-exists replace");
          }
        }
        byRole.computeIfAbsent(role, r -> new HashMap<>()).put(s.path(), tf);
        placed.put(s.path(), role);
      }
      Map<String, dev.tufsh.model.Targets> changed = new LinkedHashMap<>();
      byRole.forEach((role, add) -> {
        dev.tufsh.model.Targets t = read.computeIfAbsent(role, repo::requireTargets);
        Map<String, TargetFile> all = new HashMap<>(t.targets());
        all.putAll(add);
        changed.put(role, t.withTargets(all).withExpires(repo.freshExpiry(role)));
      });
      repo.stageAll(changed);
      files.forEach(repo.staging()::putFile);
      repo.save();
      return new Result(placed, versions(repo, changed.keySet()), List.copyOf(warnings));
    }
  }

  public static Result remove(Workbench bench, List<String> paths) {
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      TargetRouter router = new TargetRouter(repo);
      Map<String, dev.tufsh.model.Targets> read = new HashMap<>();
      Map<String, List<String>> byRole = new TreeMap<>();
      Map<String, String> placed = new LinkedHashMap<>();
      for (String p : paths) {
        Names.checkTargetPath(p, "target path");
        String role = router.roleFor(p);
        if (!read.computeIfAbsent(role, repo::requireTargets).targets().containsKey(p)) {
          throw new UsageError("no target '" + Names.printable(p) + "' (it would be in role '" + role + "')");
        }
        byRole.computeIfAbsent(role, r -> new ArrayList<>()).add(p);
        placed.put(p, role);
      }
      Map<String, dev.tufsh.model.Targets> changed = new LinkedHashMap<>();
      byRole.forEach((role, rm) -> {
        dev.tufsh.model.Targets t = read.get(role);
        Map<String, TargetFile> all = new HashMap<>(t.targets());
        rm.forEach(all::remove);
        changed.put(role, t.withTargets(all).withExpires(repo.freshExpiry(role)));
      });
      repo.stageAll(changed);
      paths.forEach(repo.staging()::removeFile);
      repo.save();
      return new Result(placed, versions(repo, changed.keySet()));
    }
  }

  /** Same length and every hash both list agrees (they may list different algorithms). */
  private static boolean sameContent(TargetFile a, TargetFile b) {
    if (a.length() != b.length()) {
      return false;
    }
    boolean compared = false;
    for (var e : a.hashes().entrySet()) {
      String other = b.hashes().get(e.getKey());
      if (other != null) {
        if (!other.equalsIgnoreCase(e.getValue())) {
          return false;
        }
        compared = true;
      }
    }
    return compared;
  }

  private static void checkHashes(TargetSpec s) {
    if (s.length() < 0) {
      throw new UsageError("target " + s.path() + ": --length must not be negative");
    }
    if (s.hashes().isEmpty()) {
      throw new UsageError("target " + s.path() + ": give at least one of --sha256, --sha512, --blake2b-256");
    }
    s.hashes().forEach((alg, hex) -> {
      int want = HashAlgorithm.byName(alg).map(HashAlgorithm::hexLength).orElse(-1);
      if (want < 0) {
        throw new UsageError("target " + s.path() + ": unsupported hash algorithm '" + alg + "' (known: "
            + HashAlgorithm.names() + ")");
      }
      if (hex.length() != want || !Hex.isLowerHex(hex)) {
        throw new UsageError("target " + s.path() + ": " + alg + " must be " + want + " lowercase hex digits");
      }
    });
  }

  /**
   * The roles {@code paths} would be placed in (or removed from), for a permission check before
   * anything is read or staged: a key granted one project's role may add that project's targets.
   */
  public static List<String> rolesFor(Workbench bench, List<String> paths) {
    TargetRouter router = new TargetRouter(bench.repository());
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (String p : paths) {
      Names.checkTargetPath(p, "target path");
      out.add(router.roleFor(p));
    }
    return new ArrayList<>(out);
  }

  static Map<String, Integer> versions(Repository repo, Iterable<String> roles) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String r : roles) {
      out.put(r, repo.nextVersion(r));
    }
    return out;
  }
}
