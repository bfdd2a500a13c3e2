package dev.tufsh.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Builds the tree of one JSON value from a streaming parser: the nodes Jackson's {@code readTree}
 * makes with tufsh's mapper settings (int, long or big-integer nodes by size; doubles for other
 * numbers), without building an ObjectMapper. Limits and the duplicate-member check are the
 * parser's. Iterative, so depth costs no stack.
 */
final class JsonTrees {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  /** The value starting at the parser's current token; on return the parser is at its last token. */
  static JsonNode read(JsonParser p) throws IOException {
    ArrayDeque<JsonNode> open = new ArrayDeque<>();
    ArrayDeque<String> names = new ArrayDeque<>(); // for each open container: the member name it is the value of
    String name = null; // the member whose value comes next, inside an object
    for (JsonToken t = p.currentToken(); ; t = p.nextToken()) {
      JsonNode value;
      switch (t) {
        case START_OBJECT, START_ARRAY -> {
          open.push(t == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode());
          names.push(name == null ? "" : name);
          name = null;
          continue;
        }
        case FIELD_NAME -> {
          name = p.currentName();
          continue;
        }
        case END_OBJECT, END_ARRAY -> {
          value = open.pop();
          name = names.pop();
        }
        case VALUE_STRING -> value = NODES.textNode(p.getText());
        case VALUE_NUMBER_INT -> value = switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
        case VALUE_NUMBER_FLOAT -> value = NODES.numberNode(p.getDoubleValue());
        case VALUE_TRUE -> value = NODES.booleanNode(true);
        case VALUE_FALSE -> value = NODES.booleanNode(false);
        case VALUE_NULL -> value = NODES.nullNode();
        default -> throw new IllegalStateException("unexpected token " + t);
      }
      JsonNode parent = open.peek();
      if (parent == null) {
        return value;
      }
      if (parent instanceof ObjectNode o) {
        o.set(name, value);
      } else {
        ((ArrayNode) parent).add(value);
      }
      name = null;
    }
  }
}
