package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.crypto.Signer;
import dev.tufsh.errors.SignatureError;
import dev.tufsh.errors.UsageError;
import dev.tufsh.json.Json;
import dev.tufsh.keys.KeyEntry;
import dev.tufsh.ops.HolderSigning;
import dev.tufsh.ops.OfflineSigning;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sign FILE --key NAME}: the key holder signs an exported file (no repository needed);
 * {@code sign export} and {@code sign import}: the repository side of signatures made elsewhere.
 */
@Command(
    name = "sign",
    description = "Sign an exported metadata file with a key of yours (sign FILE --key NAME), or collect"
        + " signatures made elsewhere (sign export, sign import).",
    subcommands = {SignCommand.Export.class, SignCommand.Import.class})
public final class SignCommand extends KeyHolderCommand {
  @Parameters(paramLabel = "FILE", arity = "0..1", description = "A metadata file written by 'sign export'.")
  Path file;

  @Option(names = "--key", paramLabel = "NAME", description = "The key to sign with (see 'key list').")
  String key;

  @Option(names = "--previous", paramLabel = "ROOT", description = "The root this one replaces: show the keys and"
      + " thresholds added or removed against it.")
  Path previous;

  @Override
  protected int execute() {
    if (file == null || key == null) {
      throw new UsageError("sign needs FILE and --key NAME (or use 'sign export' / 'sign import')");
    }
    HolderSigning.Review r = HolderSigning.review(file, previous);
    KeyEntry e = find(key);
    String role = r.metadata().signed().type().wire();
    Signer signer = reviewed(r, e);
    String keyid = HolderSigning.sign(r, signer, previous);
    ObjectNode o = Json.object();
    o.put("file", file.toString());
    o.put("type", role);
    o.put("version", r.metadata().signed().version());
    o.put("keyid", keyid);
    o.putArray("shown").addAll(r.lines().stream().map(Json.nodes()::textNode).toList());
    print(o, () -> out().println("signed " + file + " with key " + e.name() + " (" + keyid.substring(0, 16)
        + "); bring it back with 'sign import'"));
    return 0;
  }

  @Command(name = "export", description = "Write staged roles as metadata files (ROLE.json) to be signed elsewhere.")
  public static final class Export extends BaseCommand {
    @Parameters(paramLabel = "ROLE", arity = "0..*", description = "Roles (default: every staged role).")
    List<String> roles = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write into.")
    Path out;

    @Option(names = "--payload", description = "Write ROLE.payload instead: the exact canonical bytes to sign, for"
        + " signers that are not TUF tools (bring their signatures back with 'sign import --role ROLE"
        + " --signature FILE').")
    boolean payload;

    @Override
    public Access access() {
      return Access.read();
    }

    @Override
    protected int execute() {
      List<Path> files = OfflineSigning.export(bench(), roles, out, payload);
      ObjectNode o = Json.object();
      var a = o.putArray("files");
      files.forEach(f -> a.add(f.toString()));
      print(o, () -> out().println("wrote " + files.size() + " file(s) to " + out
          + "; sign them (tufsh sign, python-tuf) and bring them back with 'sign import'"));
      return 0;
    }
  }

  @Command(name = "import", description = "Add the signatures in signed metadata files (or, with --role, detached"
      + " signatures over a payload) to the staged roles; says which were used and which ignored.")
  public static final class Import extends BaseCommand {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Signed metadata files (any name).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--role", paramLabel = "ROLE", description = "The role the --signature files sign.")
    String role;

    @Option(names = "--signature", paramLabel = "FILE", description = "A detached signature, {\"keyid\": ...,"
        + " \"sig\": ...} or a list of them, made over the payload 'sign export --payload' wrote (with --role).")
    List<Path> signatures = new ArrayList<>();

    @Override
    public Access access() {
      return Access.writes("import signatures", List.of("*"));
    }

    @Override
    protected int execute() {
      if (files.isEmpty() == signatures.isEmpty() || signatures.isEmpty() != (role == null)) {
        throw new UsageError("sign import takes signed FILEs, or --role ROLE with --signature FILEs");
      }
      for (var f : signatures.isEmpty() ? files : signatures) {
        if (!java.nio.file.Files.isRegularFile(f)) {
          throw new UsageError((java.nio.file.Files.exists(f) ? "not a file: " : "no such file: ") + f);
        }
      }
      OfflineSigning.ImportResult r = signatures.isEmpty()
          ? OfflineSigning.importSignatures(bench(), files)
          : OfflineSigning.importDetached(bench(), role, signatures);
      ObjectNode o = Json.object();
      var arr = o.putArray("files");
      for (OfflineSigning.Outcome f : r.files()) {
        ObjectNode x = arr.addObject();
        x.put("file", f.file());
        x.put("role", f.role());
        x.putArray("used").addAll(f.used().stream().map(Json.nodes()::textNode).toList());
        var ign = x.putArray("ignored");
        f.ignored().forEach(i -> ign.addObject().put("keyid", i.keyid()).put("why", i.why()));
      }
      o.put("used", r.used());
      print(o, () -> {
        for (OfflineSigning.Outcome f : r.files()) {
          out().println(f.file() + ": " + f.role() + ": used " + f.used().size() + " signature(s)"
              + (f.used().isEmpty() ? "" : " (" + String.join(", ", f.used().stream()
                  .map(id -> id.substring(0, Math.min(16, id.length()))).toList()) + ")"));
          f.ignored().forEach(i -> out().println("  ignored: " + i.why()));
        }
        out().println("added " + r.used() + " signature(s)");
      });
      if (r.used() == 0) {
        throw new SignatureError("no signature was used; nothing was added");
      }
      return 0;
    }
  }
}
