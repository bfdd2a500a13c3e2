package dev.tufsh.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a run's results as JSON, for comparing runs with other tools. */
final class JsonReport {
  private JsonReport() {}

  static void write(Path file, Mode mode, boolean cpuTime, int cores, double load, List<Result> results) throws IOException {
    ObjectNode root = Json.object();
    root.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
    root.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    root.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    root.put("cores", cores);
    root.put("clock", cpuTime ? "thread-cpu" : "wall");
    if (load >= 0) {
      root.put("loadAverage", load);
    }
    root.put("warmupMillis", mode.warmupMillis());
    root.put("roundMillis", mode.roundMillis());
    ArrayNode list = root.putArray("results");
    for (Result r : results) {
      ObjectNode o = list.addObject();
      o.put("suite", r.suite());
      o.put("name", r.name());
      o.put("threads", r.threads());
      o.put("rounds", r.rounds());
      o.put("operations", r.totalOps());
      ObjectNode ops = o.putObject("opsPerSecond");
      ops.put("median", r.medianOps());
      ops.put("min", r.minOps());
      ops.put("max", r.maxOps());
      if (r.unit() != null) {
        o.put("unit", r.unit());
        o.put("unitsPerSecond", r.medianUnits());
      }
      if (r.baseline() != null) {
        o.put("baseline", r.baseline());
        if (!Double.isNaN(r.ratio())) {
          o.put("ratio", r.ratio());
        }
      }
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, Json.pretty(root) + "\n", StandardCharsets.UTF_8);
  }
}
