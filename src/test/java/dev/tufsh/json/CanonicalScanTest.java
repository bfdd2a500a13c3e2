package dev.tufsh.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scanner a splice relies on: it finds the members of an object and of one object inside it,
 * never a name inside a string or deeper down, and accepts exactly the bytes {@link CanonicalJson}
 * writes: anything else is refused, so the caller decodes instead.
 */
class CanonicalScanTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> members(byte[] b) {
    Map<String, CanonicalScan.Span> m = CanonicalScan.members(b, 0, b.length, "signed");
    if (m == null) {
      return null;
    }
    Map<String, String> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, new String(b, v.from(), v.to() - v.from(), StandardCharsets.UTF_8)));
    return out;
  }

  @Test
  void finds_top_level_members_and_those_of_the_inner_object_only() {
    String doc = "{\"signatures\":[{\"expires\":\"no\"}],\"signed\":{\"_type\":\"targets\",\"expires\":\"2030-01-01T00:00:00Z\","
        + "\"targets\":{\"a/\\\"expires\\\":1,\\\"version\\\":2\":{\"custom\":{\"expires\":\"x\",\"version\":9},"
        + "\"length\":1}},\"version\":3},\"z\":{\"version\":4}}";
    Map<String, String> m = members(utf8(doc));
    assertNotNull(m, "canonical");
    assertEquals("\"2030-01-01T00:00:00Z\"", m.get("signed.expires"));
    assertEquals("3", m.get("signed.version"));
    assertEquals("\"targets\"", m.get("signed._type"));
    assertEquals(List.of("signatures", "signed", "signed._type", "signed.expires", "signed.targets", "signed.version", "z"),
        List.copyOf(m.keySet()), "nothing from inside strings, the signatures or deeper objects");
  }

  @Test
  void accepts_what_canonical_json_writes_for_awkward_documents() {
    for (String text : List.of(
        "{\"a\":[1,-2,0,true,false,null,\"\\\\\\\"\",{}],\"b\":{\"\":[]},\"\\u00e9\":\"\\u00e9\",\"\\ud83c\\udf7a\":1}",
        "{\"a\\\"\":1,\"a\\\\\":2,\"ab\":3}",
        "{\"a\\\"\":1,\"a#\":2}", // '"' sorts before '#' though its escape '\\' sorts after
        "{\"big\":123456789012345678901234567890}")) {
      byte[] canonical = CanonicalJson.encode(Json.parse(text, "test"));
      assertNotNull(CanonicalScan.members(canonical, 0, canonical.length, null), new String(canonical, StandardCharsets.UTF_8));
    }
  }

  static List<String> refused() {
    return List.of(
        "{\"a\": 1}", // whitespace
        "{ \"a\":1}",
        "{\"b\":1,\"a\":2}", // out of order
        "{\"a\":1,\"a\":1}", // duplicate
        "{\"a\":1.0}", // not an integer
        "{\"a\":1e3}",
        "{\"a\":01}", // leading zero
        "{\"a\":-0}",
        "{\"a\":+1}",
        "{\"a\":\"\\u0041\"}", // an escape canonical JSON does not write
        "{\"a\":\"\\n\"}", // a control character as a file escapes it: not the signed bytes
        "{\"a\":\"\\/\"}",
        "{\"a\":1}x", // trailing bytes
        "{\"a\":1", // cut short
        "{\"a\":\"b}",
        "{\"a\":tru}",
        "[1]", // not an object
        "{\"a#\":1,\"a\\\"\":2}"); // ordered by their escaped bytes, not their characters
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refuses_anything_else(String text) {
    assertNull(members(utf8(text)));
  }

  @Test
  void refuses_bad_utf8_and_raw_control_characters() {
    for (byte[] bad : List.of(
        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}, // overlong '/'
        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}, // a surrogate
        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'}, // cut short
        new byte[] {'{', '"', 'a', '"', ':', '"', 0x01, '"', '}'})) {
      assertNull(CanonicalScan.members(bad, 0, bad.length, null));
    }
  }

  @Test
  void refuses_nesting_deeper_than_any_metadata_instead_of_overflowing() {
    String deep = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    assertNull(members(utf8(deep)));
  }
}
