package dev.tufsh.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.JsonError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Vectors from tuf-reference.md section 10, checked there against securesystemslib and tuf-js. */
class CanonicalJsonVectorsTest {
  @Test
  void worked_example_matches_securesystemslib_bytes() {
    String input =
        "{\"b\": [3, true, null], \"a\": \"caf\u00e9 \\\"q\\\" back\\\\slash\\nnl\", \"A\": {\"z\": -1, \"_y\": 0}, \"\u00e9\": 1, \"Z\": false}";
    byte[] out = CanonicalJson.encode(Json.parse(input, "vector"));
    assertEquals(
        "7b2241223a7b225f79223a302c227a223a2d317d2c225a223a66616c73652c2261223a22636166c3a9205c22715c22206261636b5c5c736c6173680a6e6c222c2262223a5b332c747275652c6e756c6c5d2c22c3a9223a317d",
        Hex.encode(out));
    assertEquals(
        "4961a26fe5bdd697cdc0cea4e0d9ca181e00839865c7bcd2d4d2f1959fde81d2",
        Hex.encode(Crypto.sha256(out)));
  }

  @Test
  void floats_are_refused() {
    assertThrows(JsonError.class, () -> CanonicalJson.encode(Json.parse("{\"a\":1.5}", "t")));
    assertThrows(JsonError.class, () -> CanonicalJson.encode(Json.parse("[1e3]", "t")));
  }

  @Test
  void file_form_escapes_controls_but_canonical_does_not() {
    var node = Json.parse("{\"a\":\"x\\ty\\u0001\"}", "t");
    assertArrayEquals("{\"a\":\"x\ty\u0001\"}".getBytes(StandardCharsets.UTF_8), CanonicalJson.encode(node));
    assertEquals("{\"a\":\"x\\ty\\u0001\"}", new String(CanonicalJson.encodeFile(node), StandardCharsets.UTF_8));
  }

  @Test
  void keys_sort_by_code_point_not_utf16() {
    // U+1F600 (surrogates D83D DE00) sorts after U+FFFF by code point, before it by UTF-16.
    var node = Json.parse("{\"\\ud83d\\ude00\":1,\"\\uffff\":2}", "t");
    String s = new String(CanonicalJson.encode(node), StandardCharsets.UTF_8);
    assertEquals("{\"\uffff\":2,\"\ud83d\ude00\":1}", s);
  }

  @Test
  void duplicate_members_are_refused() {
    JsonError e = assertThrows(JsonError.class, () -> Json.parse("{\"a\":1,\"a\":2}", "dup.json"));
    assertEquals(true, e.getMessage().startsWith("dup.json: malformed JSON: Duplicate field 'a'"), e.getMessage());
  }

  @Test
  void deep_nesting_is_refused() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    assertThrows(JsonError.class, () -> Json.parse(deep, "deep.json"));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {1}")
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', nullValues = "none", value = {
    "{\"a\":{\"b\":[1,2]},\"c\":\"x\"}            | none",
    "{\"a\":{\"b\":[1,2.5]},\"c\":\"x\"}          | signed.a.b[1]",
    "{\"a\":[{\"b\":1},{\"c\":{\"d\":1e3}}]}      | signed.a[1].c.d",
    "{\"z\":0.0}                                        | signed.z",
  })
  void the_first_value_canonical_json_cannot_hold_is_named_by_its_path(String json, String path) {
    assertEquals(path, CanonicalJson.firstUnencodable(Json.parse(json, "test"), "signed"));
  }
}
