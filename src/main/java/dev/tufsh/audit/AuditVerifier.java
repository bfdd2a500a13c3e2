package dev.tufsh.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Checks an audit log's hash chain and names the first line where it breaks. */
public final class AuditVerifier {
  private AuditVerifier() {}

  /** The outcome: the number of lines checked, and the first broken line (1-based) with why. */
  public record Result(int lines, int brokenLine, String problem) {
    public boolean ok() {
      return brokenLine == 0;
    }
  }

  public static Result verify(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new Result(0, 0, null);
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String prev = AuditLog.GENESIS;
    long seq = 0;
    for (int i = 0; i < lines.size(); i++) {
      int n = i + 1;
      JsonNode line;
      try {
        line = Json.parse(lines.get(i), file + ":" + n);
      } catch (RuntimeException e) {
        return new Result(lines.size(), n, "line is not valid JSON");
      }
      if (!prev.equals(line.path("prev").asText())) {
        return new Result(lines.size(), n,
            "chain broken: line does not follow line " + (n - 1) + " (a line was edited, removed or inserted)");
      }
      if (!AuditLog.hashOf(line).equals(line.path("hash").asText())) {
        return new Result(lines.size(), n, "line was edited: its content does not match its hash");
      }
      if (line.path("seq").asLong() != seq + 1) {
        return new Result(lines.size(), n, "sequence jumps from " + seq + " to " + line.path("seq").asLong());
      }
      seq = line.path("seq").asLong();
      prev = line.path("hash").asText();
    }
    return new Result(lines.size(), 0, null);
  }
}
