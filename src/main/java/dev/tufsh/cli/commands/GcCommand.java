package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.Durations;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Gc;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "gc", description = "Remove consistent-snapshot metadata and hash-named target copies that no live"
    + " snapshot lists and that are older than the retention window; never a root version.")
public final class GcCommand extends BaseCommand {
  @Option(names = "--retention", paramLabel = "DURATION", converter = Durations.Converter.class,
      defaultValue = "1h", description = "Keep what a snapshot superseded less than DURATION ago still lists"
      + " (default: ${DEFAULT-VALUE}, PEP 458's suggestion).")
  Duration retention;

  @Option(names = "--dry-run", description = "List what would be removed, with byte counts; remove nothing.")
  boolean dryRun;

  @Override
  public Access access() {
    return dryRun ? Access.read() : Access.admin("gc");
  }

  @Override
  protected int execute() {
    Gc.Result r = Gc.run(bench(), new Gc.Request(retention, dryRun));
    session().noteResult(r);
    ObjectNode o = Json.object();
    o.put("dry_run", r.dryRun());
    o.put("bytes", r.bytes());
    o.put("live_snapshots", r.liveSnapshots());
    ArrayNode files = o.putArray("files");
    r.files().forEach(f -> files.addObject().put("path", f.path()).put("bytes", f.bytes()));
    print(o, () -> {
      if (r.dryRun()) {
        r.files().forEach(f -> out().println(f.bytes() + "\t" + f.path()));
      }
      out().println((r.dryRun() ? "would remove " : "removed ") + r.files().size() + " file(s), " + r.bytes()
          + " bytes; " + r.liveSnapshots() + " live snapshot(s) kept with what they list");
    });
    return 0;
  }
}
