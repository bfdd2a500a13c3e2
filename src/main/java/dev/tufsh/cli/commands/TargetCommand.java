package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.errors.UsageError;
import dev.tufsh.json.Json;
import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.TargetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code target add} and {@code target remove}. */
@Command(
    name = "target",
    description = "Add, remove, list and show target files; each goes where clients look for it: the bin its path"
        + " hashes to, or the delegated role (a project's) whose paths take it.",
    subcommands = {TargetCommand.Add.class, TargetCommand.Remove.class, TargetViews.ListTargets.class,
      TargetViews.Show.class, TargetRehashCommand.class})
public final class TargetCommand {
  /** What adding or removing {@code paths} changes: the roles they route to (a bin, a project's role). */
  static Access access(String what, dev.tufsh.cli.Permissions permissions,
      java.util.function.Supplier<dev.tufsh.ops.Workbench> bench, List<String> paths) {
    if (paths.isEmpty()) {
      return Access.writes(what, List.of("targets"));
    }
    if (permissions == dev.tufsh.cli.Permissions.ALL) {
      // Allowed whatever it touches: routing here read and walked the delegations once more than the
      // command itself does (56 ms of a one-shot upload's 250 ms of command work). Paths are still checked.
      paths.forEach(p -> dev.tufsh.model.Names.checkTargetPath(p, "target path"));
      return Access.writes(what, List.of("*"));
    }
    return Access.writes(what, TargetOps.rolesFor(bench.get(), paths));
  }

  static void show(BaseCommand c, TargetOps.Result r, String verb) {
    ObjectNode o = Json.object();
    ObjectNode placed = o.putObject("targets");
    r.roleByPath().forEach(placed::put);
    o.put(verb, r.count()); // "added" or "removed": all of them; "targets" names the first TargetOps.LISTED
    // "staged" is a list of role names in every command's JSON; the versions they publish as apart.
    r.versions().keySet().forEach(o.putArray("staged")::add);
    ObjectNode v = o.putObject("versions");
    r.versions().forEach(v::put);
    var w = o.putArray("warnings");
    r.warnings().forEach(w::add);
    r.warnings().forEach(line -> c.warn(line));
    c.printResult(o, () -> c.output().println(verb + " " + r.count() + " target(s) in "
        + r.versions().size() + " role(s), staged" + (r.count() == 1 ? " (" + r.roleByPath().values()
        .iterator().next() + ")" : "")));
  }

  @Command(name = "add", description = "Stage target files (or a path with length and hashes of a file kept"
      + " elsewhere); many at once with --list.")
  public static final class Add extends BaseCommand {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Files to add; the target path is --prefix plus"
        + " the file name. A folder adds every file under it, with paths relative to the folder.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--prefix", paramLabel = "DIR", description = "Target folder for FILEs, e.g. packages/.")
    String prefix = "";

    @Option(names = "--path", paramLabel = "PATH", description = "Target path: of the one FILE, or of a file kept"
        + " elsewhere (with --length and --sha256/--sha512/--blake2b-256).")
    String path;

    @Option(names = "--length", paramLabel = "BYTES", description = "Length of a file kept elsewhere.")
    long length = -1;

    @Option(names = "--sha256", paramLabel = "HEX", description = "SHA-256 of a file kept elsewhere.")
    String sha256;

    @Option(names = "--sha512", paramLabel = "HEX", description = "SHA-512 of a file kept elsewhere.")
    String sha512;

    @Option(names = "--if-exists", paramLabel = "WHAT", description = "A path already listed with other content:"
        + " fail (default), replace, or skip.")
    dev.tufsh.ops.TargetOps.IfExists ifExists = dev.tufsh.ops.TargetOps.IfExists.FAIL;

    @Option(names = "--blake2b-256", paramLabel = "HEX", description = "BLAKE2b-256 of a file kept elsewhere (what"
        + " PyPI names files by).")
    String blake2b256;

    @Option(names = "--hash", paramLabel = "ALG", split = ",", description = "Hash algorithms to list for FILEs:"
        + " sha256, sha512, blake2b-256 (default: the workspace's target_hashes setting, sha256,sha512).")
    List<String> hashes;

    @Option(names = "--strict", description = "Refuse target paths with %%, ? or # (clients that put paths into URLs"
        + " unescaped cannot fetch them) instead of warning.")
    boolean strict;

    @Option(names = "--list", paramLabel = "FILE", description = "Many targets, one a line: 'PATH FILE', or"
        + " 'PATH LENGTH SHA256' for files kept elsewhere.")
    Path list;

    private List<TargetSpec> specs;

    /**
     * The targets to add, read once (a --list is streamed: read again by the add, never held):
     * their paths decide which roles the command may change.
     */
    @Override
    public Access access() {
      try {
        specs = specs();
      } catch (IOException e) {
        throw new UsageError("cannot read " + files + ": " + e.getMessage());
      }
      if (list == null) {
        return TargetCommand.access("add targets", session().permissions(), this::bench,
            specs.stream().map(TargetSpec::path).toList());
      }
      try (TargetListFile l = new TargetListFile(list)) {
        if (specs.isEmpty() && l.isEmpty()) {
          throw new UsageError("nothing to add: " + list + " lists no target");
        }
        if (session().permissions() == dev.tufsh.cli.Permissions.ALL) {
          // Allowed whatever it touches: not worth a pass over millions of lines to name them.
          return Access.writes("add targets", List.of("*"));
        }
        return Access.writes("add targets", TargetOps.rolesFor(bench(), () -> paths(l)));
      }
    }

    private java.util.Iterator<String> paths(TargetListFile l) {
      java.util.Iterator<TargetSpec> direct = specs.iterator();
      java.util.Iterator<TargetSpec> listed = l.iterator();
      return new java.util.Iterator<>() {
        @Override
        public boolean hasNext() {
          return direct.hasNext() || listed.hasNext();
        }

        @Override
        public String next() {
          return (direct.hasNext() ? direct.next() : listed.next()).path();
        }
      };
    }

    @Override
    protected int execute() throws IOException {
      List<TargetSpec> specs = this.specs != null ? this.specs : specs();
      if (hashes != null) {
        for (String a : hashes) {
          if (HashAlgorithm.byName(a).isEmpty()) {
            throw new UsageError("--hash: unknown algorithm '" + a + "' (use " + HashAlgorithm.names() + ")");
          }
        }
      }
      var options = new TargetOps.AddOptions(hashes, strict, ifExists);
      if (list == null) {
        show(this, TargetOps.add(bench(), specs, options), "added");
        return 0;
      }
      try (TargetListFile l = new TargetListFile(list)) {
        show(this, TargetOps.add(bench(), specs, l, options), "added");
      }
      return 0;
    }

    /** The targets named on the command line (those of --list are read as they are added). */
    private List<TargetSpec> specs() throws IOException {
      List<TargetSpec> specs = new ArrayList<>();
      if (path != null && files.isEmpty()) {
        Map<String, String> h = new LinkedHashMap<>();
        if (sha256 != null) {
          h.put("sha256", sha256);
        }
        if (sha512 != null) {
          h.put("sha512", sha512);
        }
        if (blake2b256 != null) {
          h.put("blake2b-256", blake2b256);
        }
        specs.add(TargetSpec.external(path, length, h));
      } else if (path != null) {
        if (files.size() != 1) {
          throw new UsageError("--path names the target path of exactly one FILE");
        }
        specs.add(TargetSpec.ofFile(path, files.get(0)));
      } else {
        String p = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        for (Path f : files) {
          if (Files.isDirectory(f)) {
            specs.addAll(underFolder(p, f));
          } else {
            specs.add(TargetSpec.ofFile(p + f.getFileName(), f));
          }
        }
      }
      if (specs.isEmpty() && list == null) {
        throw new UsageError("nothing to add: give FILEs, --path with --length and a hash, or --list");
      }
      return specs;
    }

    /** Every regular file under {@code dir}, as {@code prefix} + its path relative to {@code dir}. */
    private static List<TargetSpec> underFolder(String prefix, Path dir) throws IOException {
      try (var walk = Files.walk(dir)) {
        return walk.filter(Files::isRegularFile).sorted()
            .map(f -> TargetSpec.ofFile(prefix + dir.relativize(f).toString().replace('\\', '/'), f)).toList();
      }
    }
  }

  @Command(name = "remove", description = "Stage the removal of targets by path.")
  public static final class Remove extends BaseCommand {
    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Target paths to remove.")
    List<String> paths;

    @Override
    public Access access() {
      return TargetCommand.access("remove targets", session().permissions(), this::bench,
          paths == null ? List.of() : paths);
    }

    @Override
    protected int execute() {
      show(this, TargetOps.remove(bench(), paths), "removed");
      return 0;
    }
  }
}
