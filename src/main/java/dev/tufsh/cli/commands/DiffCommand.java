package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.json.Json;
import dev.tufsh.ops.CheckpointDiff;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "diff", description = "List every target added, removed or changed since a checkpoint, per targets"
    + " role, in the repository as it would be published (staged changes included).")
public final class DiffCommand extends KeyHolderCommand {
  @Option(names = "--against", paramLabel = "CHECKPOINT", required = true, description = "A file 'checkpoint'"
      + " wrote.")
  Path against;

  @Option(names = "--key", paramLabel = "KEY", required = true, description = "The key the checkpoint must be"
      + " signed by (a checkpoint signed by any other key is refused).")
  String key;

  @Option(names = "--only", paramLabel = "PATH", split = ",", description = "Only these target paths or patterns"
      + " (TUF patterns: packages/*.tar.gz).")
  List<String> only = new ArrayList<>();

  @Override
  public Access access() {
    return Access.read();
  }

  @Override
  protected int execute() {
    CheckpointDiff.Result r = CheckpointDiff.run(bench(), new CheckpointDiff.Request(against, find(key).key(), only));
    session().noteResult(r);
    ObjectNode o = Json.object();
    o.put("checkpoint_snapshot", r.checkpoint().snapshotVersion());
    o.put("checkpoint_created", r.checkpoint().created());
    CheckpointViews.rows(o, "changes", r.changes());
    var gone = o.putArray("roles_gone");
    r.rolesGone().forEach(gone::add);
    print(o, () -> {
      CheckpointViews.print(out(), r.changes());
      r.rolesGone().forEach(g -> out().println(g + ": in the checkpoint, no longer delegated"));
      out().println(r.changes().size() + " change(s) since the checkpoint of snapshot "
          + r.checkpoint().snapshotVersion() + " (" + r.checkpoint().created() + ")");
    });
    return 0;
  }
}
