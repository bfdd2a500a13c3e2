package dev.tufsh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A plan's peek at a targets file says what a full decode says, and nothing for what it cannot read. */
class MetadataPeekTest {
  private static final Path FIXTURES = Path.of("src/test/resources/fixtures/interop");

  @ParameterizedTest
  @ValueSource(strings = {
      "python-tuf/repository/metadata/targets.json",
      "python-tuf/repository/metadata/role1.json",
      "tough/tuf-reference-impl/metadata/targets.json",
      "python-tuf/repository/metadata/role2.json",
      "tough/tuf-reference-impl/metadata/role1.json"})
  void agrees_with_a_full_decode_on_files_other_tools_wrote(String file) throws Exception {
    byte[] asWritten = Files.readAllBytes(FIXTURES.resolve(file));
    // As the tool wrote it (parsed), and in the canonical layout tufsh writes (scanned, not parsed).
    byte[] canonical = CanonicalJson.encodeFile(Json.parse(asWritten, file));
    for (byte[] bytes : new byte[][] {asWritten, canonical}) {
      Metadata<Targets> md = MetadataCodec.decode(bytes, file, Targets.class);
      MetadataPeek p = MetadataPeek.of(bytes).orElseThrow();
      assertEquals(md.signed().version(), p.version());
      assertEquals(md.signed().expires().instant(), p.expires().instant());
      assertEquals(md.signatures().stream().map(Signature::keyid).toList(), p.keyids());
      assertEquals(md.signed().targets().size(), p.targets());
    }
    assertEquals(MetadataPeek.of(asWritten), MetadataPeek.of(canonical));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"signed\": [",
      "[]",
      "{\"signatures\": [], \"signed\": {\"_type\": \"snapshot\", \"version\": 2, \"expires\": \"2030-01-01T00:00:00Z\","
          + " \"meta\": {}}}",
      "{\"signatures\": [], \"signed\": {\"_type\": \"targets\", \"version\": 2, \"expires\": \"2030-01-01T00:00:00Z\","
          + " \"targets\": []}}",
      "{\"signatures\": [], \"signed\": {\"_type\": \"targets\", \"expires\": \"2030-01-01T00:00:00Z\", \"targets\": {}}}",
      "{\"signatures\": [], \"signed\": {\"_type\": \"targets\", \"version\": 0, \"expires\": \"2030-01-01T00:00:00Z\","
          + " \"targets\": {}}}",
      "{\"signatures\": [], \"signed\": {\"_type\": \"targets\", \"version\": 2, \"expires\": \"soon\", \"targets\": {}}}",
      "{\"signatures\": [], \"signed\": {\"_type\": \"targets\", \"version\": \"2\", \"expires\": \"2030-01-01T00:00:00Z\","
          + " \"targets\": {}}}"})
  void yields_nothing_where_the_caller_must_decode_and_report(String json) {
    assertTrue(MetadataPeek.of(json.getBytes(StandardCharsets.UTF_8)).isEmpty(), json);
    byte[] canonical;
    try {
      canonical = CanonicalJson.encodeFile(Json.parse(json.getBytes(StandardCharsets.UTF_8), "json"));
    } catch (RuntimeException notJson) {
      return;
    }
    assertTrue(MetadataPeek.of(canonical).isEmpty(), "canonical: " + json);
  }
}
