package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Adopt;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "adopt",
    description = "Take over a repository another tool published (python-tuf, RSTUF, tuf-on-ci, a mirror):"
        + " verify it as a client would, then add tufsh's private state (.tufsh/) and change nothing published."
        + " Then import its keys ('key import') or register them ('key add-offline', 'add-pkcs11', 'add-vault').")
public final class AdoptCommand extends BaseCommand {
  @Option(names = "--root", paramLabel = "FILE", description = "Trusted root to verify from (default:"
      + " metadata/1.root.json).")
  Path trustedRoot;

  @Mixin SettingsOptions settingsOptions = new SettingsOptions();

  @Override
  public Access access() {
    return Access.admin("adopt");
  }

  /** Its intent goes into the audit log of the .tufsh/ it makes, created first. */
  @Override
  protected boolean createsWorkspace() {
    return true;
  }

  @Override
  protected int execute() {
    Adopt.Result r = Adopt.run(bench(), new Adopt.Request(trustedRoot, settingsOptions.settings(),
        settingsOptions.targetHashes == null));
    ObjectNode o = Json.object();
    o.put("repository", root().repo().toString());
    o.put("root_version", r.report().rootVersion());
    o.put("targets_roles", r.report().targetsRolesVerified());
    o.put("targets_listed", r.report().targetsListed());
    r.targetHashes().forEach(o.putArray("target_hashes")::add);
    ObjectNode need = o.putObject("keys_needed");
    r.keysNeeded().forEach((role, ids) -> ids.forEach(need.withArray(role)::add));
    print(o, () -> {
      out().println("adopted " + root().repo() + ": root v" + r.report().rootVersion() + ", "
          + r.report().targetsRolesVerified() + " targets role(s), " + r.report().targetsListed()
          + " target(s); target hashes " + String.join(",", r.targetHashes()));
      r.keysNeeded().forEach((role, ids) -> out().println("  " + role + " needs key " + String.join(", ",
          ids.stream().map(id -> id.substring(0, 16)).toList())));
      out().println("import or register those keys, then change the repository as usual");
    });
    return 0;
  }
}
