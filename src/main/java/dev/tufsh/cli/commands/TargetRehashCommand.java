package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Rehash;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rehash", description = "A target-hash transition, one step at a time: --add lists another hash"
    + " for every target (computed from its copy in targets/), --drop removes one once clients have the other."
    + " The target_hashes setting follows.")
public final class TargetRehashCommand extends BaseCommand {
  static final class Step {
    @Option(names = "--add", paramLabel = "ALG", required = true, description = "Hash to add: sha256, sha512 or"
        + " blake2b-256.")
    String add;

    @Option(names = "--drop", paramLabel = "ALG", required = true, description = "Hash to drop from every target.")
    String drop;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Step step;

  @Override
  public Access access() {
    // It changes every role that lists targets and the workspace's settings.
    return Access.admin("change target hashes");
  }

  @Override
  protected int execute() {
    Rehash.Result r = Rehash.run(bench(), new Rehash.Request(step.add, step.drop));
    session().noteResult(r);
    r.warnings().forEach(this::warn);
    ObjectNode o = Json.object();
    o.put("added", r.added());
    o.put("dropped", r.dropped());
    o.put("targets", r.targets());
    o.put("roles", r.roles());
    r.targetHashes().forEach(o.putArray("target_hashes")::add);
    r.warnings().forEach(o.putArray("warnings")::add);
    print(o, () -> out().println((r.added() != null ? "added " + r.added() + " to " : "dropped " + r.dropped()
        + " from ") + r.targets() + " target(s) in " + r.roles() + " role(s), staged; target_hashes now "
        + String.join(",", r.targetHashes())));
    return 0;
  }
}
