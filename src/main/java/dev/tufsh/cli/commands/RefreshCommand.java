package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Refresh;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "refresh", description = "Re-sign and publish the online roles (timestamp, snapshot, bins) inside"
    + " their refresh window; report offline roles that need their key holders. Nothing due: nothing written.")
public final class RefreshCommand extends BaseCommand {
  @Option(names = "--dry-run", description = "List what is due; change nothing.")
  boolean dryRun;

  @Override
  public Access access() {
    return dryRun ? Access.read() : Access.writes("refresh", List.of("timestamp", "snapshot", "bin-*"));
  }

  @Override
  protected int execute() {
    Refresh.Result r = Refresh.run(bench(), new Refresh.Request(dryRun));
    session().noteResult(r);
    if (!r.versions().isEmpty()) {
      session().notePublished(PublishCommand.folded(r.versions()));
    }
    ObjectNode o = Json.object();
    o.put("dry_run", r.dryRun());
    roles(o.putArray("due"), r.refreshed());
    ObjectNode v = o.putObject("versions");
    r.versions().forEach(v::put);
    roles(o.putArray("offline_due"), r.offlineDue());
    print(o, () -> {
      if (r.refreshed().isEmpty()) {
        out().println("nothing due");
      } else {
        out().println((r.dryRun() ? "due: " : "refreshed: ") + summary(r.refreshed())
            + (r.versions().containsKey("timestamp") ? "; published timestamp " + r.versions().get("timestamp") : ""));
      }
    });
    for (Refresh.Due d : r.offlineDue()) {
      warn("offline role '" + d.role() + "' expires " + d.expires().text() + "; its key holders must re-sign it"
          + " (bump " + d.role() + ", then sign export/import and publish)");
    }
    return 0;
  }

  private static void roles(ArrayNode a, List<Refresh.Due> due) {
    for (Refresh.Due d : due) {
      ObjectNode x = a.addObject();
      x.put("role", d.role());
      x.put("kind", d.kind());
      x.put("expires", d.expires().text());
    }
  }

  /** Bins folded into a count: 16384 names help no one. */
  private static String summary(List<Refresh.Due> due) {
    long bins = due.stream().filter(d -> d.kind().equals("bin")).count();
    List<String> named = due.stream().filter(d -> !d.kind().equals("bin")).map(Refresh.Due::role).toList();
    String s = String.join(", ", named);
    return bins == 0 ? s : (s.isEmpty() ? "" : s + ", ") + bins + " bin(s)";
  }
}
