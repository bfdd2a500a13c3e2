package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.Durations;
import dev.tufsh.cli.render.Style;
import dev.tufsh.cli.render.Table;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "status",
    description = "Show roles, versions, expiries (soonest first), keys, thresholds and staged changes.")
public final class StatusCommand extends BaseCommand {
  @Option(names = "--all", description = "List every bin instead of one summary line for all bins.")
  boolean all;

  @Override
  public Access access() {
    return Access.read();
  }

  @Override
  protected int execute() {
    Status.Result r = Status.run(bench());
    session().noteResult(r);
    print(json(r), () -> human(r));
    return r.needsAttention() ? dev.tufsh.cli.ExitCodes.ATTENTION : 0;
  }

  private ObjectNode json(Status.Result r) {
    ObjectNode o = Json.object();
    o.put("repository", r.repository());
    r.staged().forEach(o.putArray("staged")::add);
    o.put("staged_files", r.stagedFiles());
    o.put("locked_by", r.lockedBy());
    ArrayNode roles = o.putArray("roles");
    for (Status.RoleStatus s : r.roles()) {
      ObjectNode x = roles.addObject();
      x.put("role", s.role());
      x.put("kind", s.kind());
      x.put("version", s.version());
      x.put("staged_version", s.stagedVersion());
      x.put("expires", s.expires().text());
      x.put("health", s.health().name().toLowerCase(java.util.Locale.ROOT));
      x.put("keys", s.keys());
      x.put("threshold", s.threshold());
      x.put("signatures", s.signatures());
      x.put("threshold_met", s.thresholdMet());
      x.put("targets", s.targets());
    }
    return o;
  }

  private void human(Status.Result r) {
    Style st = style();
    // KEYS counts the role's keys, NEED its threshold, SIGNED the signatures present: three numbers.
    Table t = new Table("ROLE", "VERSION", "EXPIRES", "IN", "KEYS", "NEED", "SIGNED", "TARGETS");
    List<Status.RoleStatus> bins = new ArrayList<>();
    for (Status.RoleStatus s : r.roles()) {
      if (!all && s.kind().equals("bin")) {
        bins.add(s);
        continue;
      }
      t.row(s.role(), version(s), expiry(st, s), Durations.human(Duration.between(r.now(), s.expires().instant())),
          s.keys(), s.threshold(), signed(st, s), s.kind().equals("targets") || s.kind().equals("bin")
              || s.kind().equals("delegated") ? s.targets() : "");
    }
    if (!bins.isEmpty()) {
      Status.RoleStatus first = bins.get(0);
      long staged = bins.stream().filter(b -> b.stagedVersion() > 0).count();
      long short_ = bins.stream().filter(b -> !b.thresholdMet()).count();
      int minV = bins.stream().mapToInt(Status.RoleStatus::version).min().orElse(0);
      int maxV = bins.stream().mapToInt(Status.RoleStatus::version).max().orElse(0);
      int targets = bins.stream().mapToInt(Status.RoleStatus::targets).sum();
      t.row(bins.size() + " bins", (minV == maxV ? "" + minV : minV + ".." + maxV) + (staged > 0 ? " (" + staged
          + " staged)" : ""), expiry(st, first), Durations.human(Duration.between(r.now(), first.expires().instant())),
          first.keys(), first.threshold(), short_ == 0 ? st.good("ok") : st.bad(short_ + " short"), targets);
    }
    out().println(st.bold(r.repository()) + ": " + (r.staged().isEmpty() && r.stagedFiles() == 0 ? "nothing staged"
        : r.staged().size() + " role(s) staged" + (r.stagedFiles() > 0 ? ", " + r.stagedFiles() + " target file(s)" : "")
            + "; 'plan' shows what 'publish' would write")
        + (r.lockedBy() != null ? "; locked by " + r.lockedBy() : ""));
    t.print(out());
  }

  private static String version(Status.RoleStatus s) {
    return s.stagedVersion() > 0 ? s.version() + " -> " + s.stagedVersion() : String.valueOf(s.version());
  }

  private static String expiry(Style st, Status.RoleStatus s) {
    return switch (s.health()) {
      case EXPIRED -> st.bad(s.expires().text() + " EXPIRED");
      case SOON -> st.warn(s.expires().text() + " soon");
      default -> s.expires().text();
    };
  }

  private static String signed(Style st, Status.RoleStatus s) {
    String txt = String.valueOf(s.signatures());
    return s.thresholdMet() ? txt : st.bad(txt + " SHORT");
  }
}
