package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.json.Json;
import dev.tufsh.ops.BinShape;
import dev.tufsh.ops.Reshape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reshape", description = "Stage a new shape for the hashed bins: another number of bins (a power of"
    + " two) and/or another layout. Every target moves to its new bin, the new bins are signed with the bins'"
    + " keys, the delegating role is re-signed; old bins stay listed in the snapshot (clients require it)."
    + " 'plan' shows the cost to clients before and after; 'publish' writes it all at once.")
public final class ReshapeCommand extends BaseCommand {
  @Option(names = "--bins", paramLabel = "M", required = true, description = "The new number of bins: a power of"
      + " two from 1 to 65536.")
  int bins;

  @Option(names = "--layout", paramLabel = "LAYOUT", description = "hash-prefix, succinct (under a 'bins' role) or"
      + " rstuf (succinct under targets); default: the layout as it is.")
  String layout;

  @Option(names = "--bins-key", paramLabel = "KEY", description = "Key (name in the key store) of the new 'bins'"
      + " role, when bins move from under targets (rstuf) to under a 'bins' role.")
  String binsKey;

  @Override
  public Access access() {
    // The delegating role may be targets itself: an admin's change, like init.
    return Access.admin("reshape the hashed bins");
  }

  @Override
  protected int execute() {
    Reshape.Result r = Reshape.run(bench(), new Reshape.Request(bins, layout == null ? null
        : BinShape.Layout.of(layout), binsKey));
    session().noteResult(r);
    ObjectNode o = Json.object();
    shape(o.putObject("before"), r.before());
    shape(o.putObject("after"), r.after());
    o.put("targets", r.targets());
    o.put("moved", r.moved());
    o.put("staged_roles", r.staged());
    r.dropped().forEach(o.putArray("dropped")::add);
    o.set("client_cost", CostView.json(r.cost()));
    print(o, () -> {
      out().println("reshape staged: " + r.before().describe() + " -> " + r.after().describe() + "; "
          + r.targets() + " target(s), " + r.moved() + " in another bin now; " + r.staged() + " role(s) staged");
      if (!r.dropped().isEmpty()) {
        out().println(r.dropped().size() + " role(s) no longer delegated (kept in the snapshot, as clients"
            + " require)");
      }
      CostView.print(r.cost(), out());
      out().println("review with 'plan', then 'publish'");
    });
    return 0;
  }

  private static void shape(ObjectNode o, BinShape s) {
    o.put("layout", s.layout().wire());
    o.put("bins", s.bins());
    o.put("parent", s.parent());
  }
}
