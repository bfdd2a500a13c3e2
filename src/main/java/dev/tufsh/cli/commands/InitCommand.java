package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.SchemeConverter;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Init;
import dev.tufsh.repo.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "init",
    description = "Create a repository in the PEP 458 layout (root, targets, snapshot, timestamp, bins and N bin-n"
        + " roles) with new keys, and stage its first version.")
public final class InitCommand extends BaseCommand {
  @Option(names = "--bins", paramLabel = "N", description = "Number of hashed bins, a power of two from 1 to 65536"
      + " (default ${DEFAULT-VALUE}, as PEP 458 recommends).")
  int bins = 16384;

  @Option(names = "--layout", paramLabel = "LAYOUT", description = "succinct (targets -> bins -> TAP 15"
      + " succinct_roles bin-N, default), hash-prefix (targets -> bins -> one path_hash_prefixes delegation per"
      + " bin), rstuf (succinct bins-N directly under targets, as RSTUF writes them; the layout go-tuf reads) or"
      + " pep480 (targets -> claimed, recently-claimed, unclaimed -> succinct bin-N: PEP 480's maximum security"
      + " model; project roles go under claimed or recently-claimed with 'delegation add').")
  String layout = "succinct";

  @Option(names = "--scheme", paramLabel = "SCHEME", converter = SchemeConverter.class,
      completionCandidates = SchemeConverter.Names.class,
      description = "Key scheme for offline keys: ed25519 (default), ecdsa, rsa.")
  Scheme scheme = Scheme.ED25519;

  @Option(names = "--online-scheme", paramLabel = "SCHEME", converter = SchemeConverter.class,
      completionCandidates = SchemeConverter.Names.class,
      description = "Key scheme for online keys (snapshot, timestamp, bin-n); default ed25519.")
  Scheme onlineScheme = Scheme.ED25519;

  @Option(names = "--root-keys", paramLabel = "N", description = "Number of root keys (default 1).")
  int rootKeys = 1;

  @Option(names = "--root-threshold", paramLabel = "N", description = "Root threshold (default 1).")
  int rootThreshold = 1;

  @Option(names = "--targets-keys", paramLabel = "N", description = "Number of targets keys (default 1).")
  int targetsKeys = 1;

  @Option(names = "--targets-threshold", paramLabel = "N", description = "Targets threshold (default 1).")
  int targetsThreshold = 1;

  @picocli.CommandLine.Mixin SettingsOptions settingsOptions = new SettingsOptions();

  @Override
  public Access access() {
    return Access.admin("init");
  }

  @Override
  protected boolean createsWorkspace() {
    return true;
  }

  @Override
  protected int execute() {
    Settings settings = settingsOptions.settings();
    boolean succinct = switch (layout) {
      case "succinct", "rstuf", "pep480" -> true;
      case "hash-prefix" -> false;
      default -> throw new dev.tufsh.errors.UsageError("--layout must be succinct, hash-prefix, rstuf or pep480,"
          + " got " + layout);
    };
    Init.Result r = Init.run(bench(), new Init.Request(bins, succinct, scheme, onlineScheme, rootKeys,
        rootThreshold, targetsKeys, targetsThreshold, settings, layout.equals("rstuf"), layout.equals("pep480")));
    ObjectNode json = Json.object();
    json.put("repository", root().repo().toString());
    json.put("bins", r.bins());
    json.put("layout", r.layout());
    ObjectNode keys = json.putObject("keys");
    r.keysByRole().forEach((role, names) -> keys.putArray(role).addAll(
        names.stream().map(n -> (com.fasterxml.jackson.databind.JsonNode) Json.nodes().textNode(n)).toList()));
    // Which keys share which passphrase source: one typed passphrase for six keys must be said.
    java.util.Map<String, java.util.List<String>> shared = new java.util.TreeMap<>();
    secrets().sources().forEach((key, source) -> shared.computeIfAbsent(source, s -> new java.util.ArrayList<>()).add(key));
    shared.values().forEach(java.util.Collections::sort);
    ObjectNode sources = json.putObject("passphrase_sources");
    shared.forEach((source, names) -> names.forEach(sources.putArray(source)::add));
    print(json, () -> {
      out().println("created " + root().repo() + ": " + r.bins() + " bins (" + r.layout() + "), keys "
          + String.join(", ", r.keysByRole().values().stream().flatMap(java.util.List::stream).toList()));
      shared.forEach((source, names) -> out().println("passphrase from " + source + " for " + names.size()
          + " key(s): " + String.join(", ", names)));
      if (shared.values().stream().anyMatch(n -> n.size() > 1)) {
        out().println("keys that share a passphrase: give one its own with 'key change-passphrase NAME' and"
            + " TUFSH_PASSPHRASE_<NAME> (e.g. " + dev.tufsh.cli.Secrets.variableFor("snapshot-1") + ")");
      }
      out().println("staged the first version; review it with 'plan', then 'publish'");
    });
    return 0;
  }
}
