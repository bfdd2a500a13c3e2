package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Restore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "restore", description = "Stage the targets roles back to a checkpoint's target lists (or only the"
    + " paths given). Restored roles get new versions, never old ones; review with 'plan', then 'publish'.")
public final class RestoreCommand extends KeyHolderCommand {
  @Option(names = "--from", paramLabel = "CHECKPOINT", required = true, description = "A file 'checkpoint' wrote.")
  Path from;

  @Option(names = "--key", paramLabel = "KEY", required = true, description = "The key the checkpoint must be"
      + " signed by.")
  String key;

  @Option(names = "--only", paramLabel = "PATH", split = ",", description = "Only these target paths or patterns.")
  List<String> only = new ArrayList<>();

  @Override
  public Access access() {
    return Access.admin("restore");
  }

  @Override
  protected int execute() {
    Restore.Result r = Restore.run(bench(), new Restore.Request(from, find(key).key(), only));
    session().noteResult(r);
    ObjectNode o = Json.object();
    CheckpointViews.rows(o, "reverted", r.reverted());
    var staged = o.putArray("staged");
    r.staged().forEach(staged::add);
    ObjectNode versions = o.putObject("versions");
    r.versions().forEach(versions::put);
    var missing = o.putArray("missing_files");
    r.missingFiles().forEach(missing::add);
    var gone = o.putArray("roles_gone");
    r.rolesGone().forEach(gone::add);
    print(o, () -> {
      CheckpointViews.print(out(), r.reverted());
      r.versions().forEach((role, v) -> out().println("staged " + role + " as version " + v));
      r.missingFiles().forEach(p -> warn(p + ": its checkpointed content is not in targets/; put the file back"
          + " before publishing, or clients refuse the download"));
      r.rolesGone().forEach(g -> warn(g + " is in the checkpoint but no longer delegated; not restored"));
      out().println(r.reverted().isEmpty() ? "nothing to restore: the repository matches the checkpoint"
          : "reverted " + r.reverted().size() + " change(s) in " + r.staged().size() + " role(s); review with"
          + " 'plan', then 'publish'");
    });
    return 0;
  }
}
