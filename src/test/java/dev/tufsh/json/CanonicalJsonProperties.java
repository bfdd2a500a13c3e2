package dev.tufsh.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import com.fasterxml.jackson.databind.node.JsonNodeType;

/**
 * Canonical JSON over random nested values: objects with BMP keys, arrays, strings with quotes,
 * backslashes, non-ASCII and control characters, integers within ±2^53, booleans and null.
 */
class CanonicalJsonProperties {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final long MAX = 1L << 53;

  @Property(tries = 400)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void file_bytes_parse_back_to_the_same_value(@ForAll("withControls") JsonNode x) {
    Statistics.collect(x.getNodeType());
    assertEquals(x, Json.parse(CanonicalJson.encodeFile(x), "property"));
    // The generator must really nest: objects and arrays make up a good share of the values.
    Statistics.coverage(c -> {
      c.check(JsonNodeType.OBJECT).percentage(p -> p > 15);
      c.check(JsonNodeType.ARRAY).percentage(p -> p > 15);
    });
  }

  @Property(tries = 400)
  void encoding_is_stable_and_ignores_member_order(@ForAll("withControls") JsonNode x, @ForAll Random random) {
    byte[] once = CanonicalJson.encode(x);
    assertArrayEquals(once, CanonicalJson.encode(x), "encoding twice");
    assertArrayEquals(once, CanonicalJson.encode(x.deepCopy()), "encoding a copy");
    assertArrayEquals(once, CanonicalJson.encode(shuffled(x, random)), "members in another order");
    assertArrayEquals(CanonicalJson.encodeFile(x), CanonicalJson.encodeFile(shuffled(x, random)));
  }

  @Property(tries = 400)
  void canonical_bytes_match_an_independent_encoder(@ForAll("withControls") JsonNode x) {
    assertEquals(reference(x), new String(CanonicalJson.encode(x), StandardCharsets.UTF_8));
  }

  @Property(tries = 400)
  void canonical_and_file_bytes_agree_without_control_characters(@ForAll("withoutControls") JsonNode x) {
    assertArrayEquals(CanonicalJson.encode(x), CanonicalJson.encodeFile(x));
  }

  @Property(tries = 200)
  void a_control_character_is_raw_in_canonical_bytes_and_escaped_in_files(
      @ForAll("withoutControls") JsonNode x, @ForAll("controls") char c) {
    ArrayNode wrapped = F.arrayNode().add(x).add("a" + c + "b");
    String canonical = new String(CanonicalJson.encode(wrapped), StandardCharsets.UTF_8);
    String file = new String(CanonicalJson.encodeFile(wrapped), StandardCharsets.UTF_8);
    assertEquals(reference(wrapped), canonical);
    assertFalse(file.chars().anyMatch(ch -> ch < 0x20), "file bytes hold no raw control character: " + file);
    assertEquals(wrapped, Json.parse(file, "property"));
  }

  // ------------------------------------------------------------------ generators

  @Provide
  Arbitrary<JsonNode> withControls() {
    return values(strings(true));
  }

  @Provide
  Arbitrary<JsonNode> withoutControls() {
    return values(strings(false));
  }

  @Provide
  Arbitrary<Character> controls() {
    return Arbitraries.chars().range('\u0000', '\u001f');
  }

  /** BMP text (no surrogates) weighted towards the characters escaping cares about. */
  private static Arbitrary<String> strings(boolean controls) {
    Arbitrary<Character> special = controls
        ? Arbitraries.of('"', '\\', '\n', '\t', '\r', '\u0000', '\u0001', '\u001f', '/', 'é', '€', '\u7fff', '\uffff')
        : Arbitraries.of('"', '\\', '/', 'é', '€', '\u7fff', '\uffff', '\u007f');
    Arbitrary<Character> any = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.chars().range(' ', '~')),
        net.jqwik.api.Tuple.of(2, special),
        net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\u00a0', '\ud7ff')),
        net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\ue000', '\ufffd')));
    return any.list().ofMaxSize(12).map(CanonicalJsonProperties::text);
  }

  private static String text(List<Character> chars) {
    StringBuilder sb = new StringBuilder(chars.size());
    chars.forEach(sb::append);
    return sb.toString();
  }

  private static Arbitrary<JsonNode> values(Arbitrary<String> strings) {
    Arbitrary<JsonNode> leaves = Arbitraries.oneOf(
        strings.map(F::textNode),
        Arbitraries.longs().between(-MAX, MAX).map(CanonicalJsonProperties::integer),
        Arbitraries.integers().between(-1000, 1000).map(F::numberNode),
        Arbitraries.of(true, false).map(F::booleanNode),
        Arbitraries.just(F.nullNode()));
    return Arbitraries.recursive(() -> leaves, inner -> containers(Arbitraries.oneOf(inner, leaves), strings), 0, 4);
  }

  private static Arbitrary<JsonNode> containers(Arbitrary<JsonNode> items, Arbitrary<String> keys) {
    Arbitrary<JsonNode> arrays = items.list().ofMaxSize(5).map(list -> {
      ArrayNode a = F.arrayNode();
      list.forEach(a::add);
      return a;
    });
    Arbitrary<JsonNode> objects = Arbitraries.maps(keys, items).ofMaxSize(6).map(map -> {
      ObjectNode o = F.objectNode();
      map.forEach(o::set);
      return o;
    });
    return Arbitraries.oneOf(arrays, objects);
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
