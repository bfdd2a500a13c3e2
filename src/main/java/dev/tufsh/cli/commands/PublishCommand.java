package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Workbench;
import dev.tufsh.repo.Plan;
import dev.tufsh.repo.PublishResult;
import picocli.CommandLine.Command;

@Command(
    name = "publish",
    description = "Verify the staged repository as a client would, then publish it: new files first, timestamp last.")
public final class PublishCommand extends BaseCommand {
  @Override
  public Access access() {
    return Access.writes("publish", java.util.List.of("snapshot", "timestamp"));
  }

  @Override
  protected int execute() {
    Workbench b = bench();
    Plan p = Publishing.plan(b);
    boolean rootChange = p.entries().stream().anyMatch(e -> e.role().equals("root"));
    if (rootChange && !root().json()) {
      PlanView.print(p, style(), out());
    }
    if (rootChange) {
      confirm("Publish a new root version?");
    }
    PublishResult r = Publishing.publish(b);
    session().notePublished(r.versions());
    ObjectNode o = Json.object();
    ObjectNode v = o.putObject("versions");
    r.versions().forEach(v::put);
    o.put("metadata_files", r.metadataFiles());
    o.put("target_files", r.targetFiles());
    print(o, () -> out().println("published " + r.versions().size() + " role(s): timestamp "
        + r.versions().get("timestamp") + (r.versions().containsKey("snapshot") ? ", snapshot "
        + r.versions().get("snapshot") : "") + (r.versions().containsKey("root") ? ", root "
        + r.versions().get("root") : "") + "; " + r.metadataFiles() + " metadata file(s), " + r.targetFiles()
        + " target file(s)"));
    return 0;
  }
}
