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

/** A plan as a table (bins folded into one line unless few) and as JSON. */
final class PlanView {
  private PlanView() {}

  static ObjectNode json(Plan p) {
    return json(p, java.util.Map.of());
  }

  /** {@code invalid}: per role, trusted keys whose staged signature does not verify. */
  static ObjectNode json(Plan p, java.util.Map<String, List<String>> invalid) {
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
      if (invalid.containsKey(e.role())) {
        ArrayNode bad = x.putArray("invalid_signatures");
        invalid.get(e.role()).forEach(bad::add);
      }
      if (e.previousRoot() != null) {
        x.put("previous_root", e.previousRoot());
      }
    }
    ArrayNode files = o.putArray("target_files");
    p.files().forEach(f -> files.add(f.path()));
    return o;
  }

  static void print(Plan p, Style st, PrintWriter out) {
    print(p, java.util.Map.of(), st, out);
  }

  static void print(Plan p, java.util.Map<String, List<String>> invalid, Style st, PrintWriter out) {
    if (p.isEmpty()) {
      out.println("nothing staged");
      out.flush();
      return;
    }
    Table t = new Table("ROLE", "VERSION", "EXPIRES", "SIGNED", "MISSING");
    List<PlanEntry> bins = new ArrayList<>();
    for (PlanEntry e : p.entries()) {
      if (p.entries().size() > 24 && e.role().matches(".*-[0-9a-f]+") && !e.role().equals("bins")) {
        bins.add(e);
        continue;
      }
      row(t, st, e.role(), e, invalid.getOrDefault(e.role(), List.of()));
    }
    if (!bins.isEmpty()) {
      long shortCount = bins.stream().filter(e -> !e.thresholdMet()).count();
      long invalidCount = bins.stream().filter(e -> invalid.containsKey(e.role())).count();
      PlanEntry first = bins.get(0);
      t.row(bins.size() + " bins", "+1 each", first.expires().text(),
          shortCount == 0 ? st.good("ok") : st.bad(shortCount + " short"),
          (shortCount == 0 ? "" : shortIds(first.missingKeyIds()))
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

  private static void row(Table t, Style st, String name, PlanEntry e, List<String> invalid) {
    String signed = e.signatures() + "/" + e.threshold()
        + (e.previousRoot() != null ? " (" + e.previousRoot() + ")" : "");
    List<String> missing = new ArrayList<>(e.missingKeyIds());
    missing.removeAll(invalid);
    String why = shortIds(missing) + (invalid.isEmpty() ? "" : (missing.isEmpty() ? "" : ",")
        + st.bad("invalid " + shortIds(invalid)));
    t.row(name, e.oldVersion() + " -> " + e.newVersion(), e.expires().text(),
        e.thresholdMet() ? signed : st.bad(signed + " SHORT"), why);
  }

  static String shortIds(List<String> ids) {
    List<String> s = new ArrayList<>();
    ids.forEach(i -> s.add(i.substring(0, Math.min(16, i.length()))));
    return String.join(",", s);
  }
}
