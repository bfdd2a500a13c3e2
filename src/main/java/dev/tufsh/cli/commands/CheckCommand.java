package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.Durations;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Check;
import dev.tufsh.ops.CheckMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A monitoring probe: exits 0 (ok), 1 (warning) or 2 (critical) as Nagios, Icinga and Sensu
 * plugins do, with the plugin's one summary line first.
 */
@Command(name = "check", description = "Probe the published repository like a monitoring plugin: exit 0 ok,"
    + " 1 warning, 2 critical (expiry thresholds, signature thresholds, audit chain, stale staged changes).")
public final class CheckCommand extends BaseCommand {
  @Option(names = "--warn-within", paramLabel = "ROLE|KIND=DURATION",
      description = "Warning when the role (or every role of the kind: root, targets,"
      + " snapshot, timestamp, bin, delegated) expires within DURATION. Default: offline kinds their refresh"
      + " window, online kinds half of it.")
  Map<String, String> warnWithin = new LinkedHashMap<>();

  @Option(names = "--crit-within", paramLabel = "ROLE|KIND=DURATION",
      description = "Critical when the role or kind expires within DURATION. Default: a quarter of its refresh"
      + " window.")
  Map<String, String> critWithin = new LinkedHashMap<>();

  @Option(names = "--staged-older-than", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "24h", description = "Warning when staged changes were untouched this long (default:"
      + " ${DEFAULT-VALUE}).")
  Duration stagedOlderThan;

  @Option(names = "--metrics", paramLabel = "FILE", description = "Also write Prometheus text format to FILE"
      + " (atomically, for node_exporter's textfile collector).")
  Path metrics;

  @Override
  public Access access() {
    return Access.read();
  }

  /** A probe that cannot look (no repository, unreadable files) is UNKNOWN to a monitoring system. */
  static final int UNKNOWN = 3;

  @Override
  protected int execute() {
    Check.Result r;
    try {
      r = Check.run(bench(), new Check.Request(durations("--warn-within", warnWithin),
          durations("--crit-within", critWithin), stagedOlderThan));
    } catch (dev.tufsh.errors.TufshException e) {
      out().println("TUFSH UNKNOWN - " + e.getMessage());
      out().flush();
      return UNKNOWN;
    }
    session().noteResult(r);
    if (metrics != null) {
      CheckMetrics.write(metrics, r);
    }
    ObjectNode o = Json.object();
    o.put("status", r.severity().name().toLowerCase(Locale.ROOT));
    ArrayNode f = o.putArray("findings");
    for (Check.Finding x : r.findings()) {
      ObjectNode n = f.addObject();
      n.put("severity", x.severity().name().toLowerCase(Locale.ROOT));
      n.put("role", x.role());
      n.put("problem", x.problem());
    }
    o.put("roles", r.roles().size());
    o.put("audit_entries", r.auditEntries());
    print(o, () -> {
      out().println("TUFSH " + r.severity() + " - " + summary(r));
      r.findings().forEach(x -> out().println(x.severity() + " " + x.role() + ": " + x.problem()));
    });
    return r.severity().ordinal();
  }

  private static Map<String, Duration> durations(String option, Map<String, String> given) {
    Map<String, Duration> out = new LinkedHashMap<>();
    given.forEach((role, d) -> {
      try {
        out.put(role, Durations.parse(d));
      } catch (RuntimeException e) {
        throw new dev.tufsh.errors.UsageError(option + " " + role + "=" + d + ": " + e.getMessage());
      }
    });
    return out;
  }

  private static String summary(Check.Result r) {
    if (r.findings().isEmpty()) {
      Check.RoleState soonest = r.roles().get(0);
      return r.roles().size() + " roles; soonest " + soonest.role() + " expires in "
          + Durations.human(Duration.ofSeconds(soonest.secondsLeft()));
    }
    Check.Finding worst = r.findings().stream().filter(x -> x.severity() == r.severity()).findFirst().orElseThrow();
    return worst.role() + ": " + worst.problem() + (r.findings().size() > 1 ? " (+" + (r.findings().size() - 1)
        + " more)" : "");
  }
}
