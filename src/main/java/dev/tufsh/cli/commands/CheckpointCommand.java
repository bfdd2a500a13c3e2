package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.errors.UsageError;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Checkpoint;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "checkpoint", description = "Record the published repository as a known-good state: root and"
    + " snapshot versions and hashes, every targets role's version, hash and target list, signed by a key of"
    + " yours. Keep the file off the online host; 'diff --against' and 'restore --from' read it.")
public final class CheckpointCommand extends KeyHolderCommand {
  @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the checkpoint.")
  Path out;

  @Option(names = "--key", paramLabel = "KEY", required = true, description = "The key that signs it (from the"
      + " repository's key store, or with --keystore a personal one).")
  String key;

  @Override
  public Access access() {
    return Access.admin("checkpoint");
  }

  @Override
  protected int execute() {
    var entry = find(key);
    var signer = keys().signerFor(entry.key())
        .orElseThrow(() -> new UsageError("key '" + key + "' has no private half here to sign with"));
    Checkpoint.Result r = Checkpoint.run(bench(), new Checkpoint.Request(out, signer));
    session().noteResult(r);
    ObjectNode o = Json.object();
    o.put("file", r.file().toString());
    o.put("keyid", r.keyId());
    o.put("root_version", r.rootVersion());
    o.put("snapshot_version", r.snapshotVersion());
    o.put("roles", r.roles());
    o.put("targets", r.targets());
    o.put("bytes", r.bytes());
    print(o, () -> out().println("checkpoint " + r.file() + ": snapshot " + r.snapshotVersion() + ", root "
        + r.rootVersion() + ", " + r.roles() + " targets role(s), " + r.targets() + " target(s), " + r.bytes()
        + " bytes, signed by " + key + " (" + r.keyId().substring(0, 16) + ")"));
    return 0;
  }
}
