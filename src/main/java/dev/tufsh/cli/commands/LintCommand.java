package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.Durations;
import dev.tufsh.cli.ExitCodes;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Lint;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** PEP 458's policy and common mistakes, as findings with rule ids; errors need attention (exit 3). */
@Command(name = "lint", description = "Check the repository as it would be published against PEP 458's policy and"
    + " common mistakes (online keys on offline roles, shared keys, thresholds, expiry against the refresh"
    + " cadence, bin count, hashes, RSA sizes). Exit 3 when a finding is an error.")
public final class LintCommand extends BaseCommand {
  @Option(names = "--cadence", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "15m", description = "How often refresh runs (default: ${DEFAULT-VALUE}, the shipped timer).")
  Duration cadence;

  @Option(names = "--outage", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "6h", description = "How long refresh may be down (a freeze, an outage) with no online role"
      + " expiring (default: ${DEFAULT-VALUE}).")
  Duration outage;

  @Override
  public Access access() {
    return Access.read();
  }

  @Override
  protected int execute() {
    Lint.Result r = Lint.run(bench(), new Lint.Request(cadence, outage));
    session().noteResult(r);
    ObjectNode o = Json.object();
    ArrayNode f = o.putArray("findings");
    for (Lint.Finding x : r.findings()) {
      ObjectNode n = f.addObject();
      n.put("rule", x.rule().id());
      n.put("severity", x.severity().name().toLowerCase(Locale.ROOT));
      n.put("role", x.role());
      n.put("key", x.key());
      n.put("problem", x.problem());
      n.put("fix", x.fix());
    }
    o.put("errors", r.count(Lint.Severity.ERROR));
    o.put("warnings", r.count(Lint.Severity.WARNING));
    o.put("roles", r.roles());
    o.put("targets", r.targets());
    print(o, () -> {
      for (Lint.Finding x : r.findings()) {
        out().println(x.rule().id() + " " + x.severity().name().toLowerCase(Locale.ROOT) + " " + x.role()
            + (x.key() != null ? " key " + x.key() : "") + ": " + x.problem());
        out().println("  fix: " + x.fix());
      }
      out().println(r.count(Lint.Severity.ERROR) + " error(s), " + r.count(Lint.Severity.WARNING) + " warning(s) in "
          + r.roles() + " roles and " + r.targets() + " targets");
    });
    return r.count(Lint.Severity.ERROR) > 0 ? ExitCodes.ATTENTION : ExitCodes.OK;
  }
}
