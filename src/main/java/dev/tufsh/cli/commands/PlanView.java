package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.render.Style;
import dev.tufsh.cli.render.Table;
import dev.tufsh.json.Json;
import dev.tufsh.repo.Plan;
import dev.tufsh.repo.PlanEntry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A plan as a table (bins folded into one line unless few) and as JSON. Keys are shown by name
 * where the key store has one, by id prefix otherwise.
 */
final class PlanView {
  private PlanView() {}

  /** Snapshot and timestamp in a preview are signed at publish, by the keys counted. */
  private static final List<String> ONLINE = List.of("snapshot", "timestamp");

  /** {@code invalid}: per role, trusted keys whose staged signature does not verify. */
  static ObjectNode json(Plan p, Map<String, String> names, Map<String, List<String>> invalid) {
    ObjectNode o = Json.object();
    o.put("complete", p.complete());
    ArrayNode roles = o.putArray("roles");
    for (PlanEntry e : p.entries()) {
      ObjectNode x = roles.addObject();
      x.put("role", e.role());
      x.put("old_version", e.oldVersion());
      x.put("new_version", e.newVersion());
      x.put("expires", e.expires().text());
      x.put("signatures", e.signatures());
      x.put("threshold", e.threshold());
      x.put("threshold_met", e.thresholdMet());
      ArrayNode m = x.putArray("missing_keys");
      e.missingKeyIds().forEach(m::add);
      ArrayNode mn = x.putArray("missing_key_names");
      e.missingKeyIds().forEach(id -> mn.add(names.get(id)));
      if (invalid.containsKey(e.role())) {
        ArrayNode bad = x.putArray("invalid_signatures");
        invalid.get(e.role()).forEach(bad::add);
      }
      if (e.previousRoot() != null) {
        ObjectNode pr = x.putObject("previous_root");
        pr.put("signatures", e.previousRoot().signatures());
        pr.put("threshold", e.previousRoot().threshold());
        pr.put("threshold_met", e.previousRoot().met());
      }
    }
    ArrayNode files = o.putArray("target_files");
    p.files().forEach(f -> files.add(f.path()));
    return o;
  }

  /** {@code preview}: snapshot and timestamp are not signed yet; say so rather than count signatures. */
  /**
   * {@code bench} tells hashed bins (folded into one line when many are staged) from other
   * delegated roles, whatever their names: a project role "lib-cafe" keeps its own line.
   */
  static void print(Plan p, Map<String, List<String>> invalid, Style st, PrintWriter out, Map<String, String> names,
      boolean preview, dev.tufsh.ops.Workbench bench) {
    if (p.isEmpty()) {
      out.println("nothing staged");
      out.flush();
      return;
    }
    Table t = new Table("ROLE", "VERSION", "EXPIRES", "SIGNED", "MISSING");
    List<PlanEntry> bins = new ArrayList<>();
    var repo = p.entries().size() > 24 ? bench.repository() : null;
    for (PlanEntry e : p.entries()) {
      if (repo != null && isBin(repo, e.role())) {
        bins.add(e);
        continue;
      }
      row(t, st, e, names, preview && ONLINE.contains(e.role()), invalid.getOrDefault(e.role(), List.of()));
    }
    if (!bins.isEmpty()) {
      long shortCount = bins.stream().filter(e -> !e.thresholdMet()).count();
      long invalidCount = bins.stream().filter(e -> invalid.containsKey(e.role())).count();
      PlanEntry first = bins.get(0);
      t.row(bins.size() + " bins", "+1 each", first.expires().text(),
          shortCount == 0 ? st.good("ok") : st.bad(shortCount + " short"),
          (shortCount == 0 ? "" : keys(first.missingKeyIds(), names))
              + (invalidCount == 0 ? "" : " " + st.bad(invalidCount + " with an invalid signature")));
    }
    t.print(out);
    if (!p.files().isEmpty()) {
      out.println(p.files().size() + " target file(s) to copy into targets/");
    }
    out.println(p.complete() ? st.good("every threshold is met; 'publish' will write this")
        : st.bad("thresholds not met: 'publish' will refuse; sign elsewhere ('sign export'/'sign import')"));
    out.flush();
  }

  private static void row(Table t, Style st, PlanEntry e, Map<String, String> names, boolean atPublish,
      List<String> invalid) {
    String signed = e.signatures() + "/" + e.threshold() + (atPublish ? " at publish" : "")
        + (e.previousRoot() != null ? " (previous root " + e.previousRoot().signatures() + "/"
            + e.previousRoot().threshold() + ")" : "");
    List<String> missing = new ArrayList<>(e.missingKeyIds());
    missing.removeAll(invalid);
    String why = keys(missing, names) + (invalid.isEmpty() ? "" : (missing.isEmpty() ? "" : ",")
        + st.bad("invalid " + keys(invalid, names)));
    t.row(e.role(), e.oldVersion() + " -> " + e.newVersion(), e.expires().text(),
        e.thresholdMet() ? signed : st.bad(signed + " SHORT"), why);
  }

  /** Key names where known, else the first 16 hex digits of the id. */
  /**
   * A hashed bin: of a succinct delegation, or a role its delegator gives path hash prefixes and
   * that delegates no further (the hash-prefix layout). A role given paths never is, whatever its name.
   */
  private static boolean isBin(dev.tufsh.repo.Repository repo, String role) {
    if (repo.isBin(role)) {
      return true;
    }
    var parent = repo.delegatorOf(role).filter(x -> !x.equals("root")).flatMap(repo::targets).orElse(null);
    if (parent == null || parent.delegations() == null || parent.delegations().roles() == null) {
      return false;
    }
    boolean leaf = repo.targets(role).map(t -> t.delegations() == null).orElse(true);
    return leaf && parent.delegations().roles().stream()
        .anyMatch(r -> r.name().equals(role) && r.pathHashPrefixes() != null);
  }

  static String keys(List<String> ids, Map<String, String> names) {
    List<String> s = new ArrayList<>();
    ids.forEach(i -> s.add(names.getOrDefault(i, i.substring(0, Math.min(16, i.length())))));
    return String.join(",", s);
  }

  /** Key id to name, from the key store. */
  static Map<String, String> names(dev.tufsh.ops.Workbench bench) {
    Map<String, String> out = new java.util.HashMap<>();
    try {
      bench.keys().list().forEach(k -> out.putIfAbsent(k.key().keyId(), k.name()));
    } catch (RuntimeException e) {
      // a broken key file must not hide the plan; ids are shown instead
    }
    return out;
  }
}
