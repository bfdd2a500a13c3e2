package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.json.Json;
import dev.tufsh.ops.OfflineSigning;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sign export} and {@code sign import}: signatures made with keys that are not here. */
@Command(
    name = "sign",
    description = "Collect signatures made elsewhere (offline keys, other admins, python-tuf).",
    subcommands = {SignCommand.Export.class, SignCommand.Import.class})
public final class SignCommand {
  @Command(name = "export", description = "Write staged roles as metadata files (ROLE.json) to be signed elsewhere.")
  public static final class Export extends BaseCommand {
    @Parameters(paramLabel = "ROLE", arity = "0..*", description = "Roles (default: every staged role).")
    List<String> roles = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write into.")
    Path out;

    @Override
    public Access access() {
      return Access.read();
    }

    @Override
    protected int execute() {
      List<Path> files = OfflineSigning.export(bench(), roles, out);
      ObjectNode o = Json.object();
      var a = o.putArray("files");
      files.forEach(f -> a.add(f.toString()));
      print(o, () -> out().println("wrote " + files.size() + " file(s) to " + out
          + "; sign them (tufsh, python-tuf) and bring them back with 'sign import'"));
      return 0;
    }
  }

  @Command(name = "import", description = "Add the signatures in signed ROLE.json files to the staged roles.")
  public static final class Import extends BaseCommand {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Signed metadata files.")
    List<Path> files;

    @Override
    public Access access() {
      return Access.writes("import signatures", List.of("*"));
    }

    @Override
    protected int execute() {
      for (var f : files) {
        if (!java.nio.file.Files.isRegularFile(f)) {
          throw new dev.tufsh.errors.UsageError((java.nio.file.Files.exists(f) ? "not a file: " : "no such file: ") + f);
        }
      }
      OfflineSigning.ImportResult r = OfflineSigning.importSignatures(bench(), files);
      ObjectNode o = Json.object();
      ObjectNode a = o.putObject("added");
      r.added().forEach((role, ids) -> {
        var arr = a.putArray(role);
        ids.forEach(arr::add);
      });
      int n = r.added().values().stream().mapToInt(List::size).sum();
      print(o, () -> out().println("added " + n + " signature(s) to " + r.added().size() + " role(s)"));
      return 0;
    }
  }
}
