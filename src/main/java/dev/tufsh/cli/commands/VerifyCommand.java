package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Verify;
import dev.tufsh.trust.TrustReport;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "verify",
    description = "Run the full client workflow over the published repository from a trusted root: root chain,"
        + " timestamp, snapshot, every delegated role, every target file.")
public final class VerifyCommand extends BaseCommand {
  @Option(names = "--root", paramLabel = "FILE", description = "Trusted root to start from (default:"
      + " metadata/1.root.json, what clients ship with).")
  Path trustedRoot;

  @Option(names = "--no-targets", description = "Skip hashing the target files.")
  boolean noTargets;

  @Override
  public Access access() {
    return Access.read();
  }

  @Override
  protected int execute() {
    TrustReport r = Verify.run(bench(), trustedRoot, !noTargets);
    ObjectNode o = Json.object();
    o.put("ok", true);
    o.put("root_version", r.rootVersion());
    o.put("timestamp_version", r.timestampVersion());
    o.put("snapshot_version", r.snapshotVersion());
    o.put("targets_roles", r.targetsRolesVerified());
    o.put("targets_listed", r.targetsListed());
    o.put("target_files", r.targetFilesVerified());
    print(o, () -> out().println("verified: root v" + r.rootVersion() + ", timestamp v" + r.timestampVersion()
        + ", snapshot v" + r.snapshotVersion() + ", " + r.targetsRolesVerified() + " targets role(s), "
        + r.targetsListed() + " target(s), " + r.targetFilesVerified() + " target file(s) hashed"));
    return 0;
  }
}
