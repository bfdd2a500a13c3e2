package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.render.Table;
import dev.tufsh.json.Json;
import dev.tufsh.ops.ClientCost;
import java.io.PrintWriter;
import java.util.Locale;

/** A reshape's cost to clients, before and after, as a table ({@code reshape}, {@code plan}) and as JSON. */
final class CostView {
  private CostView() {}

  static ObjectNode json(ClientCost.Comparison c) {
    ObjectNode o = Json.object();
    sizes(o.putObject("before"), c.before());
    sizes(o.putObject("after"), c.after());
    o.put("crossing", c.crossing());
    return o;
  }

  private static void sizes(ObjectNode o, ClientCost.Sizes s) {
    o.put("new_client", s.newClient());
    o.put("returning_client", s.returningClient());
    o.put("timestamp", s.timestamp());
    o.put("snapshot", s.snapshot());
    ObjectNode p = o.putObject("path");
    s.path().forEach(p::put);
    o.put("mean_bin", s.meanBin());
  }

  static void print(ClientCost.Comparison c, PrintWriter out) {
    out.println("bytes a client fetches to resolve one target (timestamp, snapshot, delegating roles, one bin):");
    Table t = new Table("CLIENT", "BEFORE", "AFTER", "RATIO");
    t.row("new", Long.toString(c.before().newClient()), Long.toString(c.after().newClient()),
        ratio(c.newClientRatio()));
    t.row("returning (one bin changed)", Long.toString(c.before().returningClient()),
        Long.toString(c.after().returningClient()), ratio(c.returningClientRatio()));
    t.row("returning, first update after", "", Long.toString(c.crossing()), "");
    t.row("  of which snapshot", Long.toString(c.before().snapshot()), Long.toString(c.after().snapshot()),
        ratio((double) c.after().snapshot() / c.before().snapshot()));
    t.row("  of which one bin (mean)", Long.toString(c.before().meanBin()), Long.toString(c.after().meanBin()),
        c.before().meanBin() == 0 ? "" : ratio((double) c.after().meanBin() / c.before().meanBin()));
    t.print(out);
  }

  private static String ratio(double r) {
    return String.format(Locale.ROOT, "x%.2f", r);
  }
}
