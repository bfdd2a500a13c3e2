package dev.tufsh.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.json.Json;

/** Reads tufsh's {@code --json} envelope (docs/json.md) and hands back its result. */
public final class JsonResults {
  private JsonResults() {}

  /** The envelope printed on stdout, checked for its schema version. */
  public static JsonNode envelope(String stdout) {
    JsonNode env = Json.parse(stdout, "stdout");
    if (env.path("tufsh_json").asInt() != 1) {
      throw new AssertionError("not a tufsh_json 1 envelope: " + stdout);
    }
    return env;
  }

  /** The envelope's result member. */
  public static JsonNode result(String stdout) {
    return envelope(stdout).get("result");
  }
}
