package dev.tufsh.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A splice gives byte for byte what decoding, changing version and expiry, and encoding give, over
 * real roles (python-tuf's and tough's, see fixtures/interop/README.md) and awkward ones; it takes
 * only canonical targets roles that delegate nothing, and refuses everything else.
 */
class SignedSpliceTest {
  private static final Expiry LATER = Expiry.at(Instant.parse("2031-05-06T07:08:09Z"));

  /** A real role as a file tufsh would have written it: canonical layout of the same document. */
  record Role(String name, JsonNode tree) {
    byte[] canonicalFile() {
      return CanonicalJson.encodeFile(tree);
    }

    Targets decoded() {
      return (Targets) MetadataCodec.decode(tree, name).signed();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Role> realTargetsRoles() throws IOException {
    List<Role> out = new ArrayList<>();
    Fixtures.interopMetadata(Targets.class).forEach((name, tree) -> {
      out.add(new Role(name, tree));
      if (tree.get("signed").has("delegations")) {
        // The same role as a leaf: real targets, custom data included, and nothing delegated.
        ObjectNode leaf = tree.deepCopy();
        ((ObjectNode) leaf.get("signed")).remove("delegations");
        out.add(new Role(name + " without delegations", leaf));
      }
    });
    return out;
  }

  @Test
  void the_fixtures_hold_leaves_with_targets_and_custom_data() throws IOException {
    List<Role> leaves = realTargetsRoles().stream().filter(r -> r.decoded().delegations() == null).toList();
    assertTrue(leaves.stream().anyMatch(r -> r.decoded().targets().values().stream().anyMatch(t -> t.custom() != null)),
        "a leaf with custom data");
    assertTrue(leaves.size() >= 8, "leaves: " + leaves);
  }

  @ParameterizedTest
  @MethodSource("realTargetsRoles")
  void splices_real_roles_exactly_as_decode_and_encode_would(Role role) {
    Targets t = role.decoded();
    Optional<SignedSplice> sp = SignedSplice.of(role.canonicalFile());
    if (t.delegations() != null) {
      assertFalse(sp.isPresent(), "a delegating role is decoded: its keys are checked there");
      return;
    }
    assertTrue(sp.isPresent(), role.name());
    assertEquals(t.version(), sp.get().version());
    assertEquals(t.expires(), sp.get().expires());
    for (Expiry e : new Expiry[] {null, LATER}) {
      for (int v : new int[] {t.version(), t.version() + 1, 1_000_000}) {
        Targets expected = (e == null ? t : t.withExpires(e)).withVersion(v);
        byte[] spliced = sp.get().signedBytes(v, e);
        assertArrayEquals(MetadataCodec.canonicalSigned(expected), spliced, role + " v" + v + " " + e);
        // And back: the spliced bytes decode to the changed role, and splice again to themselves.
        List<Signature> sigs = List.of(new Signature("ab".repeat(32), "cd".repeat(64), Map.of()));
        byte[] file = SignedSplice.fileBytes(spliced, sigs);
        assertArrayEquals(MetadataCodec.fileBytes(new Metadata<>(expected, sigs)), file);
        assertEquals(expected, MetadataCodec.decode(file, "spliced").signed());
        assertArrayEquals(spliced, SignedSplice.of(file).orElseThrow().signedBytes(v, e));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("realTargetsRoles")
  void refuses_the_files_as_their_tools_wrote_them_when_not_canonical(Role role) throws IOException {
    byte[] asWritten = Files.readAllBytes(Fixtures.dir("interop").resolve(role.name().replace(" without delegations", "")));
    if (!java.util.Arrays.equals(asWritten, role.canonicalFile())) {
      assertFalse(SignedSplice.of(asWritten).isPresent(), "pretty-printed: decoded instead");
    }
  }

  /** A bin with what PyPI's hold and what could fool a scanner that does not skip strings and nesting. */
  private static Metadata<Targets> awkward() {
    JsonNode custom = Json.parse("{\"expires\":\"1999-01-01T00:00:00Z\",\"version\":99,\"signed\":{\"version\":1},"
        + "\"list\":[{\"expires\":1},\"\\\"version\\\":5\"]}", "custom");
    Map<String, TargetFile> targets = new java.util.HashMap<>();
    targets.put("packages/ab/cd/\"expires\":\"2000-01-01T00:00:00Z\",\"version\":1.tar.gz",
        new TargetFile(7, Map.of("sha256", "ef".repeat(32)), custom, Map.of()));
    targets.put("packages/é/ö/🍺-1.0.whl", new TargetFile(0, Map.of("sha256", "01".repeat(32), "sha512", "23".repeat(64))));
    targets.put("version", new TargetFile(1, Map.of("sha256", "45".repeat(32))));
    Map<String, JsonNode> extras = Map.of("_a", Json.parse("{\"expires\":2}", "x"), "x-tufsh", Json.parse("[\"version\"]", "x"));
    Targets t = new Targets(Signed.SPEC_VERSION, 41, Expiry.parse("2030-02-03T04:05:06Z"), targets, null, extras);
    return new Metadata<>(t, List.of(new Signature("ab".repeat(32), "cd".repeat(64), Map.of())));
  }

  @Test
  void splices_only_the_top_level_members_of_signed() {
    Metadata<Targets> md = awkward();
    byte[] file = MetadataCodec.fileBytes(md);
    SignedSplice sp = SignedSplice.of(file).orElseThrow();
    assertEquals(41, sp.version());
    assertEquals("2030-02-03T04:05:06Z", sp.expires().text());
    Targets expected = md.signed().withExpires(LATER).withVersion(42);
    assertArrayEquals(MetadataCodec.canonicalSigned(expected), sp.signedBytes(42, LATER));
    String text = new String(sp.signedBytes(42, LATER), StandardCharsets.UTF_8);
    assertTrue(text.contains("{\"expires\":\"1999-01-01T00:00:00Z\",\"list\":") && text.contains(",\"version\":99}"),
        "custom data untouched");
  }

  static List<String> refused() {
    Metadata<Targets> md = awkward();
    String file = new String(MetadataCodec.fileBytes(md), StandardCharsets.UTF_8);
    return List.of(
        file.replace(",\"signed\":{", ", \"signed\":{"), // not canonical
        file.replace("\"_type\":\"targets\"", "\"_type\":\"snapshot\""), // not a targets role
        file.replace("\"version\":41", "\"version\":\"41\""),
        file.replace("\"version\":41", "\"version\":0"),
        file.replace("\"version\":41", "\"version\":2147483648"),
        file.replace("\"expires\":\"2030-02-03T04:05:06Z\"", "\"expires\":\"tomorrow\""),
        file.replace("\"expires\":\"2030-02-03T04:05:06Z\",", ""), // no expiry
        file.replace(",\"version\":41", ""), // no version
        file.replace("\"targets\":{", "\"targets\":{\"a\\n\":{\"hashes\":{\"sha256\":\"00\"},\"length\":1},"),
        file.replace(",\"x-tufsh\"", ",\"delegations\":{},\"x-tufsh\"")); // delegates
  }

  @ParameterizedTest
  @MethodSource("refused")
  void refuses_what_it_cannot_splice_soundly(String file) {
    assertFalse(SignedSplice.of(file.getBytes(StandardCharsets.UTF_8)).isPresent(), file.substring(0, 80));
  }
}
