package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.Durations;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Resign;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code resign} and its sibling {@code bump} share role selection. */
@Command(name = "resign", description = "Re-sign roles (by name, glob such as 'bin-*', or signing key) as new"
    + " versions, keeping their expiry.")
public final class ResignCommand extends BaseCommand {
  @Parameters(paramLabel = "ROLE", arity = "0..*", description = "Role names or globs.")
  List<String> roles = new ArrayList<>();

  @Option(names = "--signed-by", paramLabel = "KEY", description = "Every role that trusts this key.")
  String signedBy;

  @Override
  public Access access() {
    return Access.writes("resign", roles.isEmpty() ? List.of("*") : roles);
  }

  @Override
  protected int execute() {
    Resign.Result r = Resign.resign(bench(), new Resign.Selection(roles, signedBy, null));
    session().noteResult(r);
    show(this, r, "re-signed");
    return 0;
  }

  static void show(BaseCommand c, Resign.Result r, String verb) {
    ObjectNode o = Json.object();
    ObjectNode roles = o.putObject("roles");
    r.versions().forEach((role, v) -> {
      ObjectNode x = roles.putObject(role);
      x.put("version", v);
      x.put("expires", r.expires().get(role).text());
    });
    c.printResult(o, () -> c.output().println(verb + " " + r.versions().size() + " role(s)"
        + (r.versions().size() <= 4 ? " (" + String.join(", ", r.versions().keySet()) + ")" : "")
        + "; staged, snapshot and timestamp follow at publish"));
  }

  /** {@code bump}: new expiries (a date, a duration, or each role's period) and new versions. */
  @Command(name = "bump", description = "Extend expiries of roles by name or glob, or of every role expiring"
      + " within a duration; re-signs them as new versions.")
  public static final class Bump extends BaseCommand {
    @Parameters(paramLabel = "ROLE", arity = "0..*", description = "Role names or globs.")
    List<String> roles = new ArrayList<>();

    @Option(names = "--expiring-within", paramLabel = "DURATION", converter = Durations.Converter.class,
        description = "Every role that expires within DURATION (e.g. 7d).")
    Duration within;

    @Option(names = "--signed-by", paramLabel = "KEY", description = "Every role that trusts this key.")
    String signedBy;

    @Option(names = "--to", paramLabel = "DATE", converter = Durations.InstantConverter.class,
        description = "New expiry: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ.")
    Instant to;

    @Option(names = "--by", paramLabel = "DURATION", converter = Durations.Converter.class,
        description = "New expiry: now plus DURATION (default: each role's period from settings).")
    Duration by;

    @Option(names = "--allow-shorter", description = "Allow a new expiry earlier than the current one.")
    boolean allowShorter;

    @Override
    public Access access() {
      return Access.writes("bump", roles.isEmpty() ? List.of("*") : roles);
    }

    @Override
    protected int execute() {
      if (to != null && by != null) {
        throw new dev.tufsh.errors.UsageError("give --to or --by, not both");
      }
      Resign.Result r = Resign.bump(bench(), new Resign.Selection(roles, signedBy, within),
          new Resign.NewExpiry(to, by, allowShorter));
      session().noteResult(r);
      show(this, r, "bumped");
      return 0;
    }
  }
}
