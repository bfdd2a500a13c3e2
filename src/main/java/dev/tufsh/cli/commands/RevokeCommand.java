package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.SchemeConverter;
import dev.tufsh.cli.render.Style;
import dev.tufsh.cli.render.Table;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Revoke;
import dev.tufsh.ops.Workbench;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "revoke",
    description = "Remove a compromised key from every role that trusts it (or one role): shows the blast radius,"
        + " adds a replacement, stages what must be re-signed.")
public final class RevokeCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "KEY", description = "The key: a key store name, or 8+ hex digits of its id.")
  String key;

  @Option(names = "--role", paramLabel = "ROLE", description = "Only remove it from this role.")
  String role;

  @Option(names = "--replace-with", paramLabel = "KEY", description = "A key from the key store to trust instead.")
  String replacement;

  @Option(names = "--generate", description = "Generate a replacement key.")
  boolean generate;

  @Option(names = "--scheme", paramLabel = "SCHEME", converter = SchemeConverter.class,
      completionCandidates = SchemeConverter.Names.class,
      description = "Scheme of a generated replacement (default ed25519).")
  Scheme scheme;

  @Option(names = "--dry-run", description = "Only show the blast radius.")
  boolean dryRun;

  @Option(names = "--force", description = "Trust the replacement even though it was revoked before.")
  boolean force;

  @Override
  public Access access() {
    // a dry run shows the blast radius and changes nothing: any key may plan an incident
    return dryRun ? Access.read() : Access.writes("revoke a key", List.of(role == null ? "*" : role));
  }

  @Override
  protected int execute() {
    Workbench b = bench();
    List<Revoke.Impact> radius = Revoke.blastRadius(b, key, role);
    if (!root().json()) {
      printRadius(radius, style());
    }
    if (dryRun) {
      print(json(radius, null), () -> {});
      return 0;
    }
    confirm("Revoke this key from " + radius.size() + " role(s)?");
    Revoke.Result r = Revoke.run(b, new Revoke.Request(key, role, replacement, generate, scheme, force));
    var names = PlanView.names(b);
    print(json(r.impacts(), r), () -> out().println("revoked " + PlanView.keys(List.of(r.keyId()), names)
        + (r.replacementId() != null ? ", replaced by " + PlanView.keys(List.of(r.replacementId()), names) : "")
        + "; staged " + r.staged().size() + " role(s); 'plan' shows the signatures still needed"));
    return 0;
  }

  private void printRadius(List<Revoke.Impact> radius, Style st) {
    Table t = new Table("ROLE", "DELEGATOR", "KEYS", "THRESHOLD", "WITHOUT IT");
    for (Revoke.Impact i : radius) {
      t.row(i.role(), i.delegator(), i.keysBefore(), i.threshold(),
          i.falls() ? st.bad(i.keysAfter() + " keys: falls short") : st.good(i.keysAfter() + " keys: still met"));
    }
    t.print(out());
  }

  private static ObjectNode json(List<Revoke.Impact> radius, Revoke.Result r) {
    ObjectNode o = Json.object();
    ArrayNode a = o.putArray("blast_radius");
    for (Revoke.Impact i : radius) {
      ObjectNode x = a.addObject();
      x.put("role", i.role());
      x.put("delegator", i.delegator());
      x.put("keys_before", i.keysBefore());
      x.put("threshold", i.threshold());
      x.put("keys_after", i.keysAfter());
      x.put("falls_short", i.falls());
    }
    if (r != null) {
      o.put("revoked", r.keyId());
      o.put("replacement", r.replacementId());
      o.putArray("staged").addAll(r.staged().stream()
          .map(s -> (com.fasterxml.jackson.databind.JsonNode) Json.nodes().textNode(s)).toList());
    }
    return o;
  }
}
