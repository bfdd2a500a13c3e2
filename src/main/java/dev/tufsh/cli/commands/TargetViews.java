package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.render.Table;
import dev.tufsh.errors.UsageError;
import dev.tufsh.json.Json;
import dev.tufsh.model.TargetFile;
import dev.tufsh.ops.TargetQuery;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code target list} and {@code target show}: where a target is, and whether clients have it. */
final class TargetViews {
  private TargetViews() {}

  static ObjectNode json(TargetQuery.Entry e) {
    ObjectNode o = Json.object();
    o.put("path", e.path());
    o.put("role", e.role());
    o.put("state", e.state());
    o.set("published", file(e.published()));
    o.set("staged", file(e.staged()));
    return o;
  }

  private static com.fasterxml.jackson.databind.JsonNode file(TargetFile f) {
    if (f == null) {
      return Json.nodes().nullNode();
    }
    ObjectNode o = Json.object();
    o.put("length", f.length());
    ObjectNode h = o.putObject("hashes");
    new java.util.TreeMap<>(f.hashes()).forEach(h::put);
    return o;
  }

  @Command(name = "list", description = "List targets (published and staged): path, length, role, state.")
  public static final class ListTargets extends BaseCommand {
    @Option(names = "--prefix", paramLabel = "DIR", description = "Only paths that start with DIR.")
    String prefix = "";

    @Override
    public Access access() {
      return Access.read();
    }

    @Override
    protected int execute() {
      List<TargetQuery.Entry> all = TargetQuery.list(bench(), prefix);
      ObjectNode o = Json.object();
      ArrayNode arr = o.putArray("targets");
      all.forEach(e -> arr.add(json(e)));
      print(o, () -> {
        if (all.isEmpty()) {
          out().println("no targets" + (prefix.isEmpty() ? "" : " under " + prefix));
          return;
        }
        Table t = new Table("PATH", "LENGTH", "ROLE", "STATE");
        for (TargetQuery.Entry e : all) {
          TargetFile f = e.staged() != null ? e.staged() : e.published();
          t.row(e.path(), f.length(), e.role(), e.state());
        }
        t.print(out());
      });
      return 0;
    }
  }

  @Command(name = "show", description = "Show one target: its bin, whether it is published or staged, its hashes.")
  public static final class Show extends BaseCommand {
    @Parameters(paramLabel = "PATH", description = "The target path.")
    String path;

    @Override
    public Access access() {
      return Access.read();
    }

    @Override
    protected int execute() {
      TargetQuery.Entry e = TargetQuery.show(bench(), path);
      if (e.state().equals("absent")) {
        throw new UsageError("no target '" + path + "' (it would be in role '" + e.role() + "')");
      }
      print(json(e), () -> {
        out().println(e.path() + ": " + e.state() + ", in role " + e.role());
        TargetFile f = e.staged() != null ? e.staged() : e.published();
        out().println("  length  " + f.length());
        new java.util.TreeMap<>(f.hashes()).forEach((alg, hex) -> out().println("  " + alg + "  " + hex));
        if (e.state().equals("changed")) {
          out().println("  published length " + e.published().length() + ", " + e.published().hashes());
        }
      });
      return 0;
    }
  }
}
