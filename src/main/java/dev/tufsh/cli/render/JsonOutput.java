package dev.tufsh.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.json.Json;

/**
 * The one shape of {@code --json} output (docs/json.md): every command, on success or failure,
 * prints exactly one envelope
 * <pre>{"tufsh_json": 1, "command": "key list", "ok": true, "exit": 0, "result": ..., "error": null}</pre>
 * Member names are snake_case, values are data (numbers, names, lists), never prose.
 * {@link #VERSION} changes when a member is renamed or removed; new members may appear any time.
 */
public final class JsonOutput {
  public static final int VERSION = 1;

  // Results given as records or maps are named in snake_case like the hand-built ones.
  private static final ObjectMapper RECORDS =
      Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private JsonOutput() {}

  /** A command's result as a JSON tree: trees as they are, records and maps in snake_case. */
  public static JsonNode tree(Object result) {
    return result instanceof JsonNode n ? n : RECORDS.valueToTree(result);
  }

  /**
   * The envelope for one command. {@code kind} and {@code message} describe the failure (null on
   * success); {@code result} is what the command reported, or null.
   */
  public static ObjectNode envelope(String command, int exit, String kind, String message, JsonNode result) {
    ObjectNode o = Json.object();
    o.put("tufsh_json", VERSION);
    o.put("command", command);
    o.put("ok", exit == 0);
    o.put("exit", exit);
    o.set("result", result == null ? Json.nodes().nullNode() : result);
    if (message == null) {
      o.set("error", Json.nodes().nullNode());
    } else {
      ObjectNode e = o.putObject("error");
      e.put("kind", kind);
      e.put("message", message);
    }
    return o;
  }
}
