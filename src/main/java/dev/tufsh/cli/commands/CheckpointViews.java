package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.ops.CheckpointDiff;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** How diff and restore show the changes since a checkpoint: one row a target, per role. */
final class CheckpointViews {
  private CheckpointViews() {}

  static ArrayNode rows(ObjectNode o, String member, List<CheckpointDiff.Change> changes) {
    ArrayNode a = o.putArray(member);
    for (CheckpointDiff.Change c : changes) {
      ObjectNode n = a.addObject();
      n.put("role", c.role());
      n.put("path", c.path());
      n.put("change", c.kind().name().toLowerCase(Locale.ROOT));
      n.set("checkpoint", c.before() == null ? null : MetadataCodec.encodeTarget(c.before()));
      n.set("now", c.after() == null ? null : MetadataCodec.encodeTarget(c.after()));
    }
    return a;
  }

  /** {@code + path}, {@code - path}, {@code ~ path (sha256 a -> b)}, grouped under their role. */
  static void print(PrintWriter out, List<CheckpointDiff.Change> changes) {
    String role = null;
    for (CheckpointDiff.Change c : changes) {
      if (!c.role().equals(role)) {
        role = c.role();
        out.println(role + ":");
      }
      switch (c.kind()) {
        case ADDED -> out.println("  + " + c.path() + " (added since)");
        case REMOVED -> out.println("  - " + c.path() + " (removed since)");
        case CHANGED -> out.println("  ~ " + c.path() + " (sha256 " + shortHash(c.before()) + " -> "
            + shortHash(c.after()) + ", length " + c.before().length() + " -> " + c.after().length() + ")");
        default -> throw new IllegalStateException();
      }
    }
  }

  private static String shortHash(dev.tufsh.model.TargetFile f) {
    String h = f.hashes().getOrDefault("sha256", f.hashes().values().iterator().next());
    return h.substring(0, Math.min(12, h.length()));
  }
}
