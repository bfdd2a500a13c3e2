package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.errors.UsageError;
import dev.tufsh.json.Json;
import dev.tufsh.keys.KeyEntry;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code key remove} and {@code key rename}: tidy the key store (a repository's, or with
 * {@code --keystore} a key holder's own) without touching any role.
 */
final class KeyEditCommands {
  private KeyEditCommands() {}

  @Command(name = "remove", description = "Delete a key from the key store (a file key's file; a registered key's"
      + " entry). Refused while a role trusts it, unless --force.")
  public static final class Remove extends KeyHolderCommand {
    @Parameters(paramLabel = "KEY", description = "Key name.")
    String name;

    @Option(names = "--force", description = "Remove it even though roles trust it (they can no longer be signed"
        + " here).")
    boolean force;

    @Override
    protected int execute() {
      KeyEntry e = find(name);
      List<String> roles = KeyTrust.of(trust(), e.key());
      if (!roles.isEmpty() && !force) {
        throw new UsageError("key " + name + " is trusted by " + String.join(", ", roles)
            + "; rotate or revoke it first, or give --force");
      }
      confirm("Remove key " + name + " (" + e.key().shortId() + ", " + KeyCommand.backendOf(e) + ")"
          + (KeyCommand.backendOf(e).equals("file") ? "? Its private half is deleted" : "") + "?");
      registry().remove(name);
      ObjectNode o = Json.object();
      o.put("name", name);
      o.put("keyid", e.key().keyId());
      o.put("removed", true);
      print(o, () -> out().println("removed key " + name));
      return 0;
    }
  }

  @Command(name = "rename", description = "Give a key a new name; roles trust key ids, so none changes.")
  public static final class Rename extends KeyHolderCommand {
    @Parameters(index = "0", paramLabel = "KEY", description = "The key's name now.")
    String from;

    @Parameters(index = "1", paramLabel = "NEW-NAME", description = "Its new name.")
    String to;

    @Override
    protected int execute() {
      KeyEntry e = find(from);
      registry().rename(from, to);
      ObjectNode o = Json.object();
      o.put("name", to);
      o.put("previous_name", from);
      o.put("keyid", e.key().keyId());
      print(o, () -> out().println("renamed key " + from + " to " + to));
      return 0;
    }
  }
}
