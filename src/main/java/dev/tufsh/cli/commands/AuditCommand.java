package dev.tufsh.cli.commands;

import dev.tufsh.audit.AuditVerifier;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.errors.TufshException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit verify} and {@code audit show}: the hash-chained record of every command. */
@Command(
    name = "audit",
    description = "Show or verify the audit log of every command run on this repository.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Show.class})
public final class AuditCommand {
  static Path logFile(BaseCommand c, Path repo) {
    return repo.resolve(".tufsh").resolve("audit.log");
  }

  /** The JSON form of a verification. */
  record VerifyResult(boolean ok, int lines, int brokenLine, String problem) {}

  @Command(name = "verify", description = "Check the audit log's hash chain; name the first edited or missing line.")
  public static final class Verify extends BaseCommand {
    @Override
    public dev.tufsh.cli.Access access() {
      return dev.tufsh.cli.Access.read();
    }

    @Override
    protected int execute() throws Exception {
      Path log = logFile(this, root().repo());
      AuditVerifier.Result r = AuditVerifier.verify(log);
      print(new VerifyResult(r.ok(), r.lines(), r.brokenLine(), r.problem()), () -> out().println(r.ok()
          ? "audit log intact: " + r.lines() + " line(s) verified"
          : "audit log broken at line " + r.brokenLine() + ": " + r.problem()));
      if (!r.ok()) {
        throw new TufshException(log + ": line " + r.brokenLine() + ": " + r.problem());
      }
      return 0;
    }
  }

  @Command(name = "show", description = "Print the last entries of the audit log.")
  public static final class Show extends BaseCommand {
    @Option(names = "--last", paramLabel = "N", description = "How many entries (default 20).")
    int last = 20;

    @Override
    public dev.tufsh.cli.Access access() {
      return dev.tufsh.cli.Access.read();
    }

    @Override
    protected int execute() throws Exception {
      if (last < 0) {
        throw new dev.tufsh.errors.UsageError("--last must be 0 or more, got " + last);
      }
      Path log = logFile(this, root().repo());
      List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
      List<String> tail = lines.subList(Math.max(0, lines.size() - last), lines.size());
      var o = dev.tufsh.json.Json.object();
      var entries = o.putArray("entries");
      if (root().json()) {
        for (int i = 0; i < tail.size(); i++) {
          entries.add(dev.tufsh.json.Json.parse(tail.get(i), log + ":" + (lines.size() - tail.size() + i + 1)));
        }
      }
      print(o, () -> tail.forEach(out()::println));
      return 0;
    }
  }
}
