package dev.tufsh.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Canonical JSON over random nested values: objects with BMP keys, arrays, strings with quotes,
 * backslashes, non-ASCII and control characters, integers within ±2^53, booleans and null. Each
 * case is one seed of a plain {@link Random}, so a failure names the seed that reproduces it.
 */
class CanonicalJsonProperties {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final long MAX = 1L << 53;

  static LongStream seeds() {
    return LongStream.range(0, 400);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void file_bytes_parse_back_to_the_same_value(long seed) {
    JsonNode x = new Gen(seed, true).value(0);
    assertEquals(x, Json.parse(CanonicalJson.encodeFile(x), "property"));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void encoding_is_stable_and_ignores_member_order(long seed) {
    JsonNode x = new Gen(seed, true).value(0);
    Random random = new Random(seed ^ 0x5DEECE66DL);
    byte[] once = CanonicalJson.encode(x);
    assertArrayEquals(once, CanonicalJson.encode(x), "encoding twice");
    assertArrayEquals(once, CanonicalJson.encode(x.deepCopy()), "encoding a copy");
    assertArrayEquals(once, CanonicalJson.encode(shuffled(x, random)), "members in another order");
    assertArrayEquals(CanonicalJson.encodeFile(x), CanonicalJson.encodeFile(shuffled(x, random)));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void canonical_bytes_match_an_independent_encoder(long seed) {
    JsonNode x = new Gen(seed, true).value(0);
    assertEquals(reference(x), new String(CanonicalJson.encode(x), StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void canonical_and_file_bytes_agree_without_control_characters(long seed) {
    JsonNode x = new Gen(seed, false).value(0);
    assertArrayEquals(CanonicalJson.encode(x), CanonicalJson.encodeFile(x));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void a_control_character_is_raw_in_canonical_bytes_and_escaped_in_files(long seed) {
    Gen g = new Gen(seed, false);
    char c = (char) g.random.nextInt(0x20);
    ArrayNode wrapped = F.arrayNode().add(g.value(0)).add("a" + c + "b");
    String canonical = new String(CanonicalJson.encode(wrapped), StandardCharsets.UTF_8);
    String file = new String(CanonicalJson.encodeFile(wrapped), StandardCharsets.UTF_8);
    assertEquals(reference(wrapped), canonical);
    assertFalse(file.chars().anyMatch(ch -> ch < 0x20), "file bytes hold no raw control character: " + file);
    assertEquals(wrapped, Json.parse(file, "property"));
  }

  @Test
  void the_generator_really_nests() {
    int objects = 0;
    int arrays = 0;
    for (long seed = 0; seed < 400; seed++) {
      JsonNode x = new Gen(seed, true).value(0);
      objects += x.isObject() ? 1 : 0;
      arrays += x.isArray() ? 1 : 0;
    }
    assertTrue(objects > 100 && arrays > 100, "objects " + objects + ", arrays " + arrays + " of 400");
  }

  // ------------------------------------------------------------------ generator

  /** Random JSON values, weighted towards the characters escaping cares about. */
  static final class Gen {
    private static final char[] SPECIAL_CONTROLS =
        {'"', '\\', '\n', '\t', '\r', '\u0000', '\u0001', '\u001f', '/', 'é', '€', '\u7fff', '\uffff'};
    private static final char[] SPECIAL = {'"', '\\', '/', 'é', '€', '\u7fff', '\uffff', '\u007f'};

    final Random random;
    private final boolean controls;

    Gen(long seed, boolean controls) {
      this.random = new Random(seed);
      this.controls = controls;
    }

    JsonNode value(int depth) {
      // Mostly containers at the top, so most cases nest; leaves only below depth 4.
      int pick = depth == 0 && random.nextInt(3) > 0 ? 5 + random.nextInt(2) : random.nextInt(depth >= 4 ? 5 : 7);
      return switch (pick) {
        case 0 -> F.textNode(string());
        case 1 -> integer(random.nextLong() % MAX);
        case 2 -> F.numberNode(random.nextInt(2001) - 1000);
        case 3 -> F.booleanNode(random.nextBoolean());
        case 4 -> F.nullNode();
        case 5 -> {
          ArrayNode a = F.arrayNode();
          for (int i = random.nextInt(6); i > 0; i--) {
            a.add(value(depth + 1));
          }
          yield a;
        }
        default -> {
          ObjectNode o = F.objectNode();
          for (int i = random.nextInt(7); i > 0; i--) {
            o.set(string(), value(depth + 1));
          }
          yield o;
        }
      };
    }

    /** BMP text without surrogates. */
    String string() {
      StringBuilder sb = new StringBuilder();
      for (int i = random.nextInt(13); i > 0; i--) {
        int w = random.nextInt(8);
        char[] special = controls ? SPECIAL_CONTROLS : SPECIAL;
        char c = w < 4 ? (char) (' ' + random.nextInt('~' - ' ' + 1))
            : w < 6 ? special[random.nextInt(special.length)]
            : w < 7 ? (char) (0x00a0 + random.nextInt(0xd7ff - 0x00a0 + 1))
            : (char) (0xe000 + random.nextInt(0xfffd - 0xe000 + 1));
        sb.append(c);
      }
      return sb.toString();
    }
  }

  // ------------------------------------------------------------------ helpers

  /** The node the parser makes for {@code v}: IntNode when it fits, else LongNode (they never compare equal). */
  private static JsonNode integer(long v) {
    return v == (int) v ? F.numberNode((int) v) : F.numberNode(v);
  }

  /** The same value with every object's members inserted in a random order. */
  private static JsonNode shuffled(JsonNode x, Random random) {
    if (x.isObject()) {
      List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> it = x.fields();
      it.forEachRemaining(members::add);
      Collections.shuffle(members, random);
      ObjectNode o = F.objectNode();
      members.forEach(e -> o.set(e.getKey(), shuffled(e.getValue(), random)));
      return o;
    }
    if (x.isArray()) {
      ArrayNode a = F.arrayNode();
      x.forEach(item -> a.add(shuffled(item, random)));
      return a;
    }
    return x;
  }

  /**
   * securesystemslib's rules written out plainly: sorted members (keys here are BMP without
   * surrogates, so String order is code point order), no spaces, only quote and backslash escaped.
   */
  private static String reference(JsonNode x) {
    StringBuilder sb = new StringBuilder();
    ref(x, sb);
    return sb.toString();
  }

  private static void ref(JsonNode x, StringBuilder sb) {
    if (x.isObject()) {
      List<String> names = new ArrayList<>();
      x.fieldNames().forEachRemaining(names::add);
      names.sort(Comparator.naturalOrder());
      sb.append('{');
      for (int i = 0; i < names.size(); i++) {
        sb.append(i == 0 ? "" : ",");
        refString(names.get(i), sb);
        sb.append(':');
        ref(x.get(names.get(i)), sb);
      }
      sb.append('}');
    } else if (x.isArray()) {
      sb.append('[');
      for (int i = 0; i < x.size(); i++) {
        sb.append(i == 0 ? "" : ",");
        ref(x.get(i), sb);
      }
      sb.append(']');
    } else if (x.isTextual()) {
      refString(x.textValue(), sb);
    } else if (x.isIntegralNumber()) {
      sb.append(x.bigIntegerValue());
    } else if (x.isBoolean()) {
      sb.append(x.booleanValue());
    } else {
      sb.append("null");
    }
  }

  private static void refString(String s, StringBuilder sb) {
    sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
  }
}
