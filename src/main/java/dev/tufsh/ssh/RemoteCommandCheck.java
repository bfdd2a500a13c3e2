package dev.tufsh.ssh;

import dev.tufsh.cli.CommandPolicy;
import dev.tufsh.errors.TufshException;
import dev.tufsh.ops.FileScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Checks one parsed remote command line against {@link RemotePolicy} for one key: the command,
 * every option and positional argument, and every file (resolved to its real path in the exchange
 * folders, and rewritten to that path, so the command opens exactly what was checked). Runs on the
 * parse that executes, inside that connection's own command line: nothing is shared between
 * connections and no lock is held.
 */
final class RemoteCommandCheck implements CommandPolicy {
  private final KeyGrant grant;
  private final FileScope files;

  RemoteCommandCheck(KeyGrant grant, Path repo) {
    this.grant = grant;
    this.files = FileScope.exchange(repo);
  }

  @Override
  public void check(ParseResult parsed) {
    for (ParseResult r = parsed; r != null; r = r.subcommand()) {
      String command = name(r.commandSpec());
      boolean leaf = r.subcommand() == null;
      RemotePolicy.Rule rule = RemotePolicy.rule(command);
      if (RemotePolicy.LOCAL_ONLY.containsKey(command)) {
        throw new Refused("'" + command + "' runs only on the server's own console, not over SSH: "
            + RemotePolicy.LOCAL_ONLY.get(command));
      }
      if (leaf ? rule == null : !RemotePolicy.GROUPS.contains(command)) {
        throw new Refused("'" + command + "' is not available over SSH");
      }
      for (OptionSpec o : r.matchedOptions()) {
        option(r, rule, command, o);
      }
      for (var p : r.matchedPositionals()) {
        if (rule == null || rule.positionals() == null) {
          throw new Refused("'" + command + "' takes no arguments over SSH");
        }
        apply(rule.positionals(), p, command);
      }
      if (leaf) {
        Set<String> given = new HashSet<>();
        r.matchedOptions().forEach(o -> given.add(o.longestName()));
        for (String need : rule.required()) {
          if (!given.contains(need)) {
            throw new Refused("over SSH, '" + command + "' needs " + need + " NAME (a backend the server's operator"
                + " configured)");
          }
        }
        boolean readsOnly = r.matchedOptions().stream().anyMatch(o -> rule.readOnlyWith().contains(o.longestName())
            && Boolean.TRUE.equals(o.getValue()));
        if (rule.need() == RemotePolicy.Need.CHANGE && grant.readOnly() && !readsOnly) {
          throw new Refused("key " + grant.label() + " may only read; '" + command + "' changes the repository");
        }
      }
    }
  }

  private void option(ParseResult r, RemotePolicy.Rule rule, String command, OptionSpec o) {
    String name = o.longestName();
    if (o.usageHelp() || o.versionHelp()) {
      return;
    }
    // Root options, whether given before the command or after it (inherited copies).
    if (o.inherited() || r.commandSpec().parent() == null) {
      if (name.equals("--wait")) {
        capWait(o);
      }
      if (RemotePolicy.GLOBAL.contains(name)) {
        return;
      }
      String why = RemotePolicy.GLOBAL_REFUSED.get(name);
      throw new Refused(name + " cannot be given over SSH" + (why == null ? "" : ": " + why));
    }
    RemotePolicy.Value v = rule == null ? null : rule.options().get(name);
    if (v == null) {
      String why = rule == null ? null : rule.refusedOptions().get(name);
      throw new Refused("option " + name + " of '" + command + "' is not available over SSH"
          + (why == null ? "" : ": " + why));
    }
    apply(v, o, command);
  }

  /** A remote {@code --wait} holds a channel: at most {@link RemotePolicy#MAX_WAIT}. */
  private static void capWait(OptionSpec o) {
    for (Object v : o.typedValues()) {
      if (v instanceof java.time.Duration d && d.compareTo(RemotePolicy.MAX_WAIT) > 0) {
        throw new Refused("--wait over SSH is at most " + RemotePolicy.MAX_WAIT.toSeconds() + "s (asked for "
            + d.toSeconds() + "s): a remote command may not hold its channel longer; retry later, or wait on the"
            + " server's console");
      }
    }
  }

  /** Checks a file value and replaces it with its real path; other kinds are checked by the command. */
  private void apply(RemotePolicy.Value v, ArgSpec a, String command) {
    if (v != RemotePolicy.Value.INCOMING && v != RemotePolicy.Value.OUTGOING) {
      return;
    }
    String what = command + " " + (a instanceof OptionSpec o ? o.longestName() : a.paramLabel());
    Object value = a.getValue();
    if (value instanceof Path p) {
      a.setValue(resolve(v, p, what));
    } else if (value instanceof List<?> list) {
      List<Path> out = new ArrayList<>();
      for (Object x : list) {
        if (!(x instanceof Path p)) {
          throw new IllegalStateException(what + " holds " + x.getClass().getSimpleName() + ", not a path");
        }
        out.add(resolve(v, p, what));
      }
      a.setValue(out);
    } else if (value != null) {
      throw new IllegalStateException(what + " is a " + value.getClass().getSimpleName() + ", not a path");
    }
  }

  private Path resolve(RemotePolicy.Value v, Path p, String what) {
    return v == RemotePolicy.Value.INCOMING ? files.input(p, what) : files.output(p, what);
  }

  /** The command's path without the root: "key add-vault", or "" for the root itself. */
  static String name(CommandSpec spec) {
    return spec.parent() == null ? "" : spec.qualifiedName(" ").substring(spec.root().name().length() + 1);
  }

  /** A command line the remote policy does not allow. */
  static final class Refused extends TufshException {
    Refused(String message) {
      super(message);
    }
  }
}
