package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.SchemeConverter;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Rotate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "rotate",
    description = "Replace a key of a role with a new one; the delegator and the role are re-signed (root by old"
        + " and new keys), snapshot and timestamp follow at publish.")
public final class RotateCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "ROLE", description = "The role whose key changes (root, targets, snapshot,"
      + " timestamp, bins, bin-0a3f...; any bin rotates the shared key of all bins).")
  String role;

  @Option(names = "--old", paramLabel = "KEY", description = "The key to replace (name or id prefix); needed when"
      + " the role has several.")
  String oldKey;

  @Option(names = "--new", paramLabel = "KEY", description = "A key from the key store to use (default: generate).")
  String newKey;

  @Option(names = "--scheme", paramLabel = "SCHEME", converter = SchemeConverter.class,
      description = "Scheme of a generated key: ed25519 (default), ecdsa, rsa.")
  Scheme scheme;

  @Option(names = "--threshold", paramLabel = "N", description = "A new threshold for the role.")
  int threshold;

  @Option(names = "--add-keys", paramLabel = "N", description = "Also generate and trust N more keys (with"
      + " --threshold, grows a role: 1-of-1 to 2-of-3 is --add-keys 2 --threshold 2).")
  int addKeys;

  @Option(names = "--force", description = "Trust the new key even though it was revoked before.")
  boolean force;

  @Override
  public Access access() {
    return Access.writes("rotate a key of " + role, List.of(role));
  }

  @Override
  protected int execute() {
    if (role.equals("root")) {
      confirm("Rotate a root key (clients will walk to a new root version)?");
    }
    Rotate.Result r = Rotate.run(bench(), new Rotate.Request(role, oldKey, newKey, scheme, threshold, addKeys, force));
    session().noteResult(r);
    ObjectNode o = Json.object();
    o.put("role", r.role());
    o.put("old_key", r.oldKeyId());
    o.put("new_key", r.newKeyId());
    o.put("new_key_name", r.newKeyName());
    o.putArray("added_keys").addAll(r.added().stream()
        .map(s -> (com.fasterxml.jackson.databind.JsonNode) Json.nodes().textNode(s)).toList());
    o.putArray("staged").addAll(r.staged().stream()
        .map(s -> (com.fasterxml.jackson.databind.JsonNode) Json.nodes().textNode(s)).toList());
    print(o, () -> out().println("rotated " + r.role() + ": " + r.oldKeyId().substring(0, 16) + " -> "
        + r.newKeyId().substring(0, 16) + " (" + r.newKeyName() + ")" + (r.added().isEmpty() ? "" : ", added "
        + String.join(", ", r.added())) + "; staged " + r.staged().size() + " role(s)"));
    return 0;
  }
}
