package dev.tufsh.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tufsh.errors.TufshException;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import java.util.Arrays;

/**
 * Fuzz targets for the metadata parser and canonical JSON. Only tufsh's own one-line errors may
 * escape; anything else (a NullPointerException, a StackOverflowError, a ClassCastException) is a
 * crash. Decoded metadata must re-encode to the same canonical bytes, so a parse can never change
 * what a signature covers. Runs the corpus in every test run; with JAZZER_FUZZ=1 it fuzzes (CI
 * does, for a bounded time). Corpus: src/test/resources/dev/tufsh/fuzz/MetadataFuzzTestInputs/.
 */
class MetadataFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void decode_never_crashes_and_round_trips(byte[] input) {
    Metadata<?> md;
    try {
      md = MetadataCodec.decode(input, "fuzz.json");
    } catch (TufshException expected) {
      if (expected.getMessage().contains("\n")) {
        throw new AssertionError("error message is not one line: " + expected.getMessage());
      }
      return;
    }
    byte[] canonical = md.signedBytes();
    byte[] raw = CanonicalJson.encode(Json.parse(input, "fuzz.json").get("signed"));
    if (!Arrays.equals(canonical, raw)) {
      throw new AssertionError("decoded metadata does not re-encode to the bytes it was parsed from");
    }
    Metadata<?> again = MetadataCodec.decode(MetadataCodec.fileBytes(md), "again.json");
    if (!Arrays.equals(canonical, again.signedBytes())) {
      throw new AssertionError("file bytes do not round-trip");
    }
  }

  @FuzzTest(maxDuration = "30s")
  void canonical_json_is_stable(byte[] input) {
    com.fasterxml.jackson.databind.JsonNode node;
    try {
      node = Json.parse(input, "fuzz.json");
    } catch (TufshException expected) {
      return;
    }
    byte[] a;
    try {
      a = CanonicalJson.encodeFile(node);
    } catch (TufshException floatsOrSurrogates) {
      return;
    }
    com.fasterxml.jackson.databind.JsonNode back = Json.parse(a, "re-read");
    if (!back.equals(node) || !Arrays.equals(a, CanonicalJson.encodeFile(back))) {
      throw new AssertionError("canonical file form does not round-trip");
    }
  }
}
