package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.render.Table;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Delegation;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code delegation add|set|remove|move|show}: delegated targets roles under any targets role. */
@Command(
    name = "delegation",
    description = "Add, change, move, remove and show delegated targets roles under any targets role (project"
        + " roles, PEP 480's claimed / recently-claimed); hashed bins are changed with rotate and revoke.",
    subcommands = {DelegationCommand.Add.class, DelegationCommand.Change.class, DelegationCommand.Move.class,
      DelegationCommand.Remove.class, DelegationCommand.Show.class})
public final class DelegationCommand {
  private DelegationCommand() {}

  /** The roles a change touches, for the permission check: those named, {@code more}, and their delegators. */
  static List<String> touched(dev.tufsh.ops.Workbench bench, List<String> roles, String... more) {
    List<String> all = new ArrayList<>(roles);
    for (String m : more) {
      if (m != null) {
        all.add(m);
      }
    }
    return Delegation.touched(bench, all);
  }

  static void show(BaseCommand c, String verb, Delegation.Result r) {
    ObjectNode o = Json.object();
    r.roles().forEach(o.putArray("roles")::add);
    if (r.parent() == null) {
      o.putNull("parent");
    } else {
      o.put("parent", r.parent());
    }
    r.staged().forEach(o.putArray("staged")::add);
    r.removed().forEach(o.putArray("removed")::add);
    c.printResult(o, () -> c.output().println(verb + " " + String.join(", ", r.roles())
        + (r.parent() == null ? "" : " (delegated by " + r.parent() + ")")
        + (r.removed().size() > r.roles().size() ? "; no longer delegated: " + String.join(", ", r.removed()) : "")
        + "; staged " + String.join(", ", r.staged())));
  }

  @Command(name = "add", description = "Delegate a new targets role: its paths (or path hash prefixes), keys,"
      + " threshold and place in the delegator's ordered list. An empty role is staged, signed with the keys at"
      + " hand (others sign through 'sign export' / 'sign import').")
  public static final class Add extends BaseCommand {
    @Parameters(paramLabel = "ROLE", description = "The new role's name (letters, digits, '.', '_', '-').")
    String role;

    @Option(names = "--parent", paramLabel = "ROLE", description = "The targets role that delegates it (default"
        + " ${DEFAULT-VALUE}); it may grant only paths it was granted.")
    String parent = "targets";

    @Option(names = "--path", paramLabel = "PATTERN", description = "A path pattern the role is trusted for ('*'"
        + " and '?' within one '/' segment: project-x/*); repeat for more.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--hash-prefix", paramLabel = "HEX", description = "A path hash prefix instead of paths; repeat"
        + " for more.")
    List<String> hashPrefixes = new ArrayList<>();

    @Option(names = "--key", paramLabel = "KEY", required = true, description = "A key it trusts, from the key store"
        + " (name or id; a developer's public key registered with 'key add-offline'); repeat for more.")
    List<String> keys = new ArrayList<>();

    @Option(names = "--threshold", paramLabel = "N", description = "Signatures needed (default ${DEFAULT-VALUE}).")
    int threshold = 1;

    @Option(names = "--terminating", description = "A client that reaches this role for a path it covers searches"
        + " no later delegation (a claimed project cannot be shadowed by a bin).")
    boolean terminating;

    @Option(names = "--before", paramLabel = "ROLE", description = "Put it before this sibling (searched earlier);"
        + " default last.")
    String before;

    @Override
    public Access access() {
      return Access.writes("delegate " + role, List.of(parent, role));
    }

    @Override
    protected int execute() {
      show(this, "delegated", Delegation.add(bench(), new Delegation.Add(role, parent, paths, hashPrefixes, keys,
          threshold, terminating, before)));
      return 0;
    }
  }

  @Command(name = "set", description = "Change a delegated role's keys, threshold, terminating flag, path"
      + " patterns or path hash prefixes; its delegator (and, for new keys, the role) is re-signed.")
  public static final class Change extends BaseCommand {
    @Parameters(paramLabel = "ROLE", description = "The delegated role.")
    String role;

    @Option(names = "--key", paramLabel = "KEY", description = "The keys it trusts from now on (all of them; repeat).")
    List<String> keys;

    @Option(names = "--threshold", paramLabel = "N", description = "Signatures needed from now on.")
    Integer threshold;

    @Option(names = "--terminating", arity = "1", paramLabel = "BOOL", description = "true or false.")
    Boolean terminating;

    @Option(names = "--path", paramLabel = "PATTERN", description = "The path patterns it is delegated from now on"
        + " (all of them; repeat); they must lie within its delegator's and cover every target it lists.")
    List<String> paths;

    @Option(names = "--hash-prefix", paramLabel = "HEX", description = "The path hash prefixes it is delegated from"
        + " now on, instead of paths (all of them; repeat); they must lie within its delegator's and cover every"
        + " target it lists and every role it delegates.")
    List<String> hashPrefixes;

    @Override
    public Access access() {
      return Access.writes("change delegation " + role, touched(bench(), List.of(role)));
    }

    @Override
    protected int execute() {
      show(this, "changed", Delegation.change(bench(), new Delegation.Change(role, keys, threshold, terminating,
          paths, hashPrefixes)));
      return 0;
    }
  }

  @Command(name = "move", description = "Put roles under another delegator with the same keys and paths (PEP"
      + " 480's periodic job: 'delegation move proj-* --parent claimed'); the roles themselves are not re-signed.")
  public static final class Move extends BaseCommand {
    @Parameters(paramLabel = "ROLE", arity = "1..*", description = "Roles to move (names or globs).")
    List<String> roles;

    @Option(names = "--parent", paramLabel = "ROLE", required = true, description = "The new delegator.")
    String parent;

    @Option(names = "--before", paramLabel = "ROLE", description = "Put them before this sibling; default last.")
    String before;

    @Override
    public Access access() {
      return Access.writes("move delegations to " + parent, touched(bench(), roles, parent));
    }

    @Override
    protected int execute() {
      show(this, "moved", Delegation.move(bench(), new Delegation.Move(roles, parent, before)));
      return 0;
    }
  }

  @Command(name = "remove", description = "Stop delegating roles (and every role below them); clients no longer"
      + " look there. Snapshot keeps listing them, as clients require.")
  public static final class Remove extends BaseCommand {
    @Parameters(paramLabel = "ROLE", arity = "1..*", description = "Roles to remove.")
    List<String> roles;

    @Override
    public Access access() {
      return Access.writes("remove delegation " + String.join(", ", roles), touched(bench(), roles));
    }

    @Override
    protected int execute() {
      confirm("Stop delegating " + String.join(", ", roles) + " (clients will no longer find their targets)?");
      show(this, "removed", Delegation.remove(bench(), roles));
      return 0;
    }
  }

  @Command(name = "show", description = "The delegation tree in the order clients search it: each role's"
      + " delegator, keys, threshold, terminating flag and paths.")
  public static final class Show extends BaseCommand {
    @Parameters(paramLabel = "ROLE", arity = "0..1", description = "Show the tree under this role (default targets).")
    String role;

    @Override
    public Access access() {
      return Access.read();
    }

    @Override
    protected int execute() {
      List<Delegation.Entry> all = Delegation.show(bench(), role);
      var names = PlanView.names(bench());
      ObjectNode o = Json.object();
      ArrayNode arr = o.putArray("delegations");
      for (Delegation.Entry e : all) {
        ObjectNode x = arr.addObject();
        x.put("role", e.role());
        x.put("delegator", e.delegator());
        x.put("depth", e.depth());
        e.keyids().forEach(x.putArray("keyids")::add);
        x.put("threshold", e.threshold());
        x.put("terminating", e.terminating());
        list(x, "paths", e.paths());
        list(x, "path_hash_prefixes", e.hashPrefixes());
        x.put("targets", e.targets());
        x.put("bins", e.bins());
      }
      print(o, () -> {
        Table t = new Table("ROLE", "DELEGATOR", "KEYS", "TERMINATING", "PATHS", "TARGETS");
        for (Delegation.Entry e : all) {
          String paths = e.paths() != null ? String.join(" ", e.paths())
              : e.hashPrefixes() != null ? prefixes(e.hashPrefixes()) : e.bins() + " hashed bins";
          t.row("  ".repeat(Math.max(0, e.depth() - 1)) + e.role(), e.delegator(), e.threshold() + " of "
              + PlanView.keys(e.keyids(), names), e.terminating() ? "yes" : "no", paths,
              e.bins() > 0 ? "" : String.valueOf(e.targets()));
        }
        t.print(out());
      });
      return 0;
    }

    private static void list(ObjectNode x, String name, List<String> values) {
      if (values == null) {
        x.putNull(name);
      } else {
        values.forEach(x.putArray(name)::add);
      }
    }

    private static String prefixes(List<String> p) {
      return Delegation.coversEveryHash(p) ? "every path (hash prefixes 0-f)"
          : "hash prefixes " + String.join(",", p.size() > 8 ? p.subList(0, 8) : p) + (p.size() > 8 ? ",..." : "");
    }
  }
}
