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

  /**
   * A scan kept under a file's SHA-256 is applied to the bytes given, which the caller hashed: the
   * same facts and the same new bytes as a fresh scan; a file of another length under that digest
   * (a caller's mistake) is scanned afresh, never spliced at the kept offsets.
   */
  @ParameterizedTest
  @MethodSource("realTargetsRoles")
  void a_scan_kept_by_digest_splices_a_second_copy_as_a_fresh_scan_would(Role role) {
    byte[] file = role.canonicalFile();
    Optional<SignedSplice> fresh = SignedSplice.of(file);
    String digest = dev.tufsh.crypto.Hex.encode(dev.tufsh.crypto.Crypto.sha256(file)) + "-" + role.name();
    assertEquals(fresh.isPresent(), SignedSplice.of(file, digest).isPresent());
    if (fresh.isEmpty()) {
      return;
    }
    byte[] copy = file.clone();
    SignedSplice kept = SignedSplice.of(copy, digest).orElseThrow();
    assertEquals(fresh.get().version(), kept.version());
    assertEquals(fresh.get().expires(), kept.expires());
    assertEquals(fresh.get().targetCount(), kept.targetCount());
    assertArrayEquals(fresh.get().signedBytes(9, LATER), kept.signedBytes(9, LATER));
    assertArrayEquals(fresh.get().signaturesJson(), kept.signaturesJson());
    byte[] renewed = SignedSplice.fileBytes(fresh.get().signedBytes(9, LATER), List.of());
    assertEquals(9, kept.renewedTo(renewed).orElseThrow().version());

    Targets t = role.decoded();
    byte[] other = MetadataCodec.fileBytes(new Metadata<>(t.withVersion(t.version() + 1000), List.of()));
    Optional<SignedSplice> wrong = SignedSplice.of(CanonicalJson.encodeFile(Json.parse(other, "other")), digest);
    assertEquals(t.version() + 1000, wrong.orElseThrow().version(), "another length: scanned, not the kept spans");
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

  private static final Map<String, TargetFile> MORE = Map.of(
      "0/first-1.0.tar.gz", new TargetFile(3, Map.of("sha256", "aa".repeat(32))),
      "packages/é/z-2.0.whl", new TargetFile(12, Map.of("sha256", "bb".repeat(32), "sha512", "cc".repeat(64))),
      "zzz/last-1.0.zip", new TargetFile(0, Map.of("blake2b-256", "dd".repeat(32))));

  /** A bin as an add stages it: plain entries only (no custom data, no unknown members). */
  private static Targets plainBin() {
    Map<String, TargetFile> targets = new java.util.HashMap<>();
    for (int i = 0; i < 40; i++) {
      targets.put("p/" + (i * 7919 % 100) + "/pkg" + i + "-1.0.tar.gz",
          new TargetFile(1000L * i, Map.of("sha256", String.format("%064x", i))));
    }
    targets.put("packages/é/ö/🍺-1.0.whl", new TargetFile(0, Map.of("sha256", "01".repeat(32), "sha512", "23".repeat(64))));
    targets.put("a \"quoted\" path/x.tar.gz", new TargetFile(5, Map.of("sha256", "45".repeat(32))));
    return new Targets(Signed.SPEC_VERSION, 3, Expiry.parse("2030-02-03T04:05:06Z"), targets, null, Map.of());
  }

  @Test
  void adds_targets_exactly_as_decode_merge_and_encode_would() {
    Targets t = plainBin();
    byte[] file = MetadataCodec.fileBytes(new Metadata<>(t, List.of()));
    for (Map<String, TargetFile> more : List.of(MORE, Map.<String, TargetFile>of(), Map.of("p/50/new.tar.gz",
        new TargetFile(9, Map.of("sha256", "ee".repeat(32)))))) {
      byte[] spliced = SignedSplice.of(file).orElseThrow().withTargetsAdded(more, 4, LATER).orElseThrow();
      byte[] expected = MetadataCodec.canonicalSigned(t.withTargetsAdded(more).withExpires(LATER).withVersion(4));
      assertArrayEquals(expected, spliced, new String(spliced, StandardCharsets.UTF_8));
    }
    Targets empty = Targets.empty(LATER);
    byte[] emptyFile = MetadataCodec.fileBytes(new Metadata<>(empty.withVersion(2), List.of()));
    assertArrayEquals(MetadataCodec.canonicalSigned(empty.withTargetsAdded(MORE).withVersion(2)),
        SignedSplice.of(emptyFile).orElseThrow().withTargetsAdded(MORE, 2, LATER).orElseThrow());
  }

  static List<String> notSpliced() {
    String file = new String(MetadataCodec.fileBytes(new Metadata<>(plainBin(), List.of())), StandardCharsets.UTF_8);
    String entry = "\"p/0/pkg0-1.0.tar.gz\":{\"hashes\":{\"sha256\":\"" + String.format("%064x", 0) + "\"},\"length\":0}";
    if (!file.contains(entry)) {
      throw new AssertionError(file);
    }
    return List.of(
        // What decode refuses (the old path's refusal stands: it is decoded, and refused there) ...
        file.replace(entry, entry.replace("p/0/pkg0", "p/../pkg0")),
        file.replace(entry, entry.replace("\"sha256\":\"0000", "\"sha256\":\"ABCD")),
        file.replace(entry, entry.replace("\"length\":0", "\"length\":-1")),
        file.replace(entry, entry.replace("{\"sha256\":\"" + String.format("%064x", 0) + "\"}", "{}")),
        file.replace("\"spec_version\":\"1.0.31\"", "\"spec_version\":\"one\""),
        // ... and what it takes but the splice does not copy blind: custom data, unknown members, odd types.
        file.replace(entry, entry.replace("{\"hashes\"", "{\"custom\":{\"a\":1},\"hashes\"")),
        file.replace(entry, entry.replace("\"length\":0}", "\"length\":0,\"x\":1}")),
        file.replace(entry, entry.replace("\"length\":0", "\"length\":\"0\"")),
        file.replace(entry, entry.replace("\"length\":0", "\"length\":0.5")));
  }

  @ParameterizedTest
  @MethodSource("notSpliced")
  void an_entry_decode_would_refuse_or_change_is_left_to_decode(String file) {
    byte[] b = file.getBytes(StandardCharsets.UTF_8);
    assertTrue(file.contains("0.5") || SignedSplice.of(b).isPresent(), "canonical: the splice itself must say no");
    SignedSplice.of(b).ifPresent(sp -> assertFalse(sp.withTargetsAdded(MORE, 4, LATER).isPresent(), file));
  }

  @Test
  void a_path_listed_already_is_left_to_decode() {
    Targets t = plainBin();
    byte[] file = MetadataCodec.fileBytes(new Metadata<>(t, List.of()));
    String listed = t.targets().keySet().iterator().next();
    assertFalse(SignedSplice.of(file).orElseThrow()
        .withTargetsAdded(Map.of(listed, t.targets().get(listed)), 4, LATER).isPresent());
  }

  @ParameterizedTest
  @MethodSource("realTargetsRoles")
  void a_renewed_file_checked_against_the_old_gives_what_a_scan_of_it_gives(Role role) {
    Targets t = role.decoded();
    if (t.delegations() != null) {
      return;
    }
    SignedSplice was = SignedSplice.of(role.canonicalFile()).orElseThrow();
    assertEquals(t.targets().size(), was.targetCount());
    List<List<Signature>> sigLists = List.of(List.of(),
        List.of(new Signature("ab".repeat(32), "cd".repeat(64), Map.of())),
        List.of(new Signature("01".repeat(32), "23".repeat(64), Map.of()), new Signature("45".repeat(32), "67", Map.of())));
    for (Expiry e : new Expiry[] {null, LATER}) {
      for (int v : new int[] {t.version(), t.version() + 1, 9, 10, 1_000_000_000}) {
        for (List<Signature> sigs : sigLists) {
          byte[] file = SignedSplice.fileBytes(was.signedBytes(v, e), sigs);
          SignedSplice renewed = was.renewedTo(file).orElseThrow(() -> new AssertionError(role + " v" + v));
          SignedSplice scanned = SignedSplice.of(file).orElseThrow();
          assertEquals(scanned.version(), renewed.version());
          assertEquals(v, renewed.version());
          assertEquals(scanned.expires(), renewed.expires());
          assertArrayEquals(scanned.signedBytes(), renewed.signedBytes());
          assertArrayEquals(scanned.signaturesJson(), renewed.signaturesJson());
          assertEquals(t.targets().size(), renewed.targetCount());
          assertArrayEquals(scanned.signedBytes(v + 1, LATER), renewed.signedBytes(v + 1, LATER), "splices again");
        }
      }
    }
  }

  /** Files that are not the awkward role renewed to version 42 and {@link #LATER} as a canonical file. */
  static List<String> notRenewals() {
    Metadata<Targets> md = awkward();
    SignedSplice was = SignedSplice.of(MetadataCodec.fileBytes(md)).orElseThrow();
    String file = new String(SignedSplice.fileBytes(was.signedBytes(42, LATER), md.signatures()), StandardCharsets.UTF_8);
    String expiry = "\"expires\":\"" + LATER.text() + "\"";
    return List.of(
        file.replace("\"length\":7", "\"length\":8"), // a target changed
        file.replace("ef".repeat(32), "ee" + "ef".repeat(31)),
        file.replace("\"custom\":{\"expires\"", "\"custom\":{\"expireS\""), // custom data changed
        file.replace("\"version\":42", "\"version\":042"), // not canonical numbers
        file.replace("\"version\":42", "\"version\":42.0"),
        file.replace("\"version\":42", "\"version\":-42"),
        file.replace("\"version\":42", "\"version\":0"),
        file.replace("\"version\":42", "\"version\":\"42\""),
        file.replace("\"version\":42", "\"version\":2147483648"),
        file.replace("\"version\":42", "\"version\":42,\"z\":1"), // a member added
        file.replace(expiry, "\"expires\":\"2031-05-06T07:08:09\\u005a\""), // an escape
        file.replace(expiry, "\"expires\":\"2031-05-06T07:08:09Z \""), // not an expiry
        file.replace(expiry, "\"expires\":20310506"),
        file.replace("{\"signatures\":[{", "{\"signatures\":[ {"), // signatures not canonical
        file.replace("{\"signatures\":[{\"keyid\"", "{\"signatures\":[{\"sig\":\"00\",\"keyid\""),
        file.replace("{\"signatures\":[", "{\"signatures\":{\"a\":[").replace("],\"signed\"", "]},\"signed\""),
        file.replace(",\"signed\":{", ",\"signed\" :{"),
        file.replace(",\"signed\":{", ",\"signedx\":{"),
        file + " ", // trailing bytes
        file.substring(0, file.length() - 1) + ",\"x\":1}", // a member after signed
        file.substring(0, file.length() - 2) + "}"); // cut short
  }

  @ParameterizedTest
  @MethodSource("notRenewals")
  void refuses_as_a_renewal_anything_but_the_same_role_with_a_new_version_and_expiry(String file) {
    Metadata<Targets> md = awkward();
    SignedSplice was = SignedSplice.of(MetadataCodec.fileBytes(md)).orElseThrow();
    assertFalse(was.renewedTo(file.getBytes(StandardCharsets.UTF_8)).isPresent(), file.substring(0, 80));
  }

  @Test
  void the_unchanged_renewal_is_accepted_and_the_table_above_is_not_vacuous() {
    Metadata<Targets> md = awkward();
    SignedSplice was = SignedSplice.of(MetadataCodec.fileBytes(md)).orElseThrow();
    byte[] file = SignedSplice.fileBytes(was.signedBytes(42, LATER), md.signatures());
    assertTrue(was.renewedTo(file).isPresent());
    for (String bad : notRenewals()) {
      assertFalse(java.util.Arrays.equals(file, bad.getBytes(StandardCharsets.UTF_8)), "each row changes the file");
    }
  }

  /** The eight-bytes-a-step control check finds a control byte wherever it is, and nothing in bytes of 0x20 and up. */
  @Test
  void the_control_check_finds_each_control_byte_wherever_it_lies() {
    byte[] fill = {' ', '~', (byte) 0x80, (byte) 0xff, 'a', (byte) 0xc3, (byte) 0xa9, '"'};
    for (int n = 0; n <= 40; n++) {
      byte[] b = new byte[n];
      for (int i = 0; i < n; i++) {
        b[i] = fill[(i * 5 + n) % fill.length];
      }
      assertFalse(SignedSplice.hasControl(b), "none in " + n + " bytes");
      for (int at = 0; at < n; at++) {
        for (int c : new int[] {0, 1, 0x0a, 0x1f}) {
          byte[] x = b.clone();
          x[at] = (byte) c;
          assertTrue(SignedSplice.hasControl(x), "0x" + Integer.toHexString(c) + " at " + at + " of " + n);
        }
      }
    }
  }
}
