package dev.tufsh.cli.commands;

import dev.tufsh.audit.AuditLog;
import dev.tufsh.audit.AuditVerifier;
import dev.tufsh.ops.AuditAnchor;
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

  /** {@code SEQ:HASH} at parse time: a malformed head is a usage error. */
  static final class HeadConverter implements picocli.CommandLine.ITypeConverter<AuditLog.Head> {
    @Override
    public AuditLog.Head convert(String value) {
      try {
        return AuditLog.Head.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** The JSON form of a verification. */
  record VerifyResult(boolean ok, int lines, int brokenLine, String problem, String head, List<String> anchors,
      List<String> notes) {}

  @Command(name = "verify", description = "Check the audit log's hash chain, byte by byte, against the head the"
      + " published timestamp carries and any --head kept elsewhere; name the first broken line.")
  public static final class Verify extends BaseCommand {
    @Option(names = "--head", paramLabel = "SEQ:HASH", converter = HeadConverter.class, description = "A head kept"
        + " elsewhere (each verify prints the current one): the log must still hold that line, unchanged.")
    List<AuditLog.Head> kept = List.of();

    @Override
    public dev.tufsh.cli.Access access() {
      return dev.tufsh.cli.Access.read();
    }

    @Override
    protected int execute() throws Exception {
      Path repo = root().repo();
      Path log = logFile(this, repo);
      List<String> anchors = new java.util.ArrayList<>();
      AuditAnchor.published(repo).ifPresent(a -> anchors.add(a.source() + ": line " + a.head().seq()));
      kept.forEach(h -> anchors.add("--head: line " + h.seq()));
      AuditVerifier.Result r = AuditAnchor.verify(repo, kept);
      String head = r.ok() ? new AuditLog(log).head().toString() : null;
      print(new VerifyResult(r.ok(), r.lines(), r.brokenLine(), r.problem(), head, anchors, r.notes()), () -> {
        out().println(r.ok()
            ? "audit log intact: " + r.lines() + " line(s) verified" + (anchors.isEmpty() ? " (no anchor yet: nothing"
                + " published since the log was anchored)" : ", anchored by " + String.join(", ", anchors))
            : "audit log broken at line " + r.brokenLine() + ": " + r.problem());
        r.notes().forEach(n -> out().println("  note: " + n));
        if (head != null) {
          out().println("head " + head + " (keep a copy elsewhere; check it later with --head)");
        }
      });
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
      Path log = logFile(this, root().repo());
      // Streamed, keeping the last N; bytes that are not UTF-8 show as U+FFFD ('audit verify' names them).
      java.util.ArrayDeque<String> kept = new java.util.ArrayDeque<>();
      if (Files.exists(log)) {
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(log),
            StandardCharsets.UTF_8))) {
          for (String l = in.readLine(); l != null; l = in.readLine()) {
            kept.addLast(l);
            if (kept.size() > Math.max(0, last)) {
              kept.removeFirst();
            }
          }
        }
      }
      List<String> tail = List.copyOf(kept);
      if (root().json()) {
        out().println("[" + String.join(",\n", tail) + "]");
      } else {
        tail.forEach(out()::println);
      }
      out().flush();
      return 0;
    }
  }
}
