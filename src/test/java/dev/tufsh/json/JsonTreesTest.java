package dev.tufsh.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.errors.JsonError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Json#parse} builds its trees over the streaming parser instead of the ObjectMapper: the
 * same nodes (types included, which codecs test) as the mapper's readTree, and the same refusals.
 */
class JsonTreesTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "{}", "[]", "0", "\"x\"", "true", "null", "-0.5e3",
      "{\"a\":1,\"b\":[true,false,null,\"s\",{\"c\":{}}],\"d\":{\"e\":[[],[1,[2]]]},\"f\":\"\\u00e9\\n\"}",
      "{\"int\":2147483647,\"long\":2147483648,\"neg\":-9223372036854775808,\"big\":123456789012345678901234567890}",
      "{\"float\":1.5,\"exp\":1e400,\"tiny\":4.9e-325,\"negzero\":-0.0}",
      "[{\"a\":[{\"b\":1},{\"b\":2}]},{\"a\":[]}]",
      "  {\"spaces\" :\t[ 1 , 2 ]}\n"})
  void same_tree_as_the_mappers(String json) throws Exception {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    JsonNode expected = Json.mapper().readTree(bytes);
    JsonNode got = Json.parse(bytes, "t.json");
    assertEquals(expected, got);
    assertEquals(types(expected), types(got), "node types");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "   ", "{\"a\":1,\"a\":2}", "{} {}", "{}x", "[1] 2", "{\"a\":NaN}", "[1,]", "{\"a\":1", "'x'"})
  void refused_as_the_mapper_refuses(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertThrows(Exception.class, () -> Json.mapper().readerFor(JsonNode.class)
        .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(bytes)
        .require());
    JsonError e = assertThrows(JsonError.class, () -> Json.parse(bytes, "t.json"));
    assertTrue(e.getMessage().startsWith("t.json: "), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {Json.MAX_DEPTH, Json.MAX_DEPTH + 1})
  void depth_is_capped(int depth) {
    String json = "[".repeat(depth) + "]".repeat(depth);
    if (depth <= Json.MAX_DEPTH) {
      assertEquals(depth, depthOf(Json.parse(json, "d.json")));
    } else {
      JsonError e = assertThrows(JsonError.class, () -> Json.parse(json, "d.json"));
      assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
    }
  }

  private static int depthOf(JsonNode n) {
    return n.isArray() ? 1 + (n.isEmpty() ? 0 : depthOf(n.get(0))) : 0;
  }

  private static String types(JsonNode n) {
    StringBuilder b = new StringBuilder(n.getNodeType() + "/" + n.numberType());
    n.fields().forEachRemaining(e -> b.append('{').append(e.getKey()).append(':').append(types(e.getValue())).append('}'));
    if (n.isArray()) {
      n.forEach(c -> b.append('[').append(types(c)).append(']'));
    }
    return b.toString();
  }
}
