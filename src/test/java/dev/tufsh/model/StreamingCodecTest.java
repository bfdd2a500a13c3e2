package dev.tufsh.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.errors.MetadataError;
import dev.tufsh.errors.TufshException;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming decoder, the direct encoder and the kept {@code signed} bytes against the tree
 * path they replace: for every metadata file in the test tree (python-tuf, tough, sigstore) and for
 * generated roles full of unicode, escapes, surrogate pairs, custom data and unknown members, both
 * decode to equal records and encode to identical bytes; the fast path never accepts what the tree
 * path refuses; and kept bytes are used only when they are exactly the canonical form.
 */
class StreamingCodecTest {
  private static final LocalSigner KEY = KeyPairs.ed25519FromSeed(new byte[32]);
  private static final Expiry EXPIRES = Expiry.parse("2030-01-01T00:00:00Z");

  static Stream<Path> metadataFiles() throws IOException {
    Path root = Fixtures.dir("interop").getParent();
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(p -> {
        JsonNode n;
        try {
          n = Json.parse(read(p), p.toString());
        } catch (TufshException notJson) {
          return;
        }
        if (n.has("signed") && n.has("signatures")) {
          out.add(p);
        }
      });
    }
    assertTrue(out.size() >= 60, "metadata fixtures found: " + out.size());
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("metadataFiles")
  void every_fixture_decodes_and_encodes_alike_both_ways(Path file) {
    byte[] bytes = read(file);
    Metadata<? extends Signed> tree;
    try {
      tree = MetadataCodec.decodeTree(bytes, file.toString());
    } catch (TufshException refused) {
      assertThrows(RuntimeException.class, () -> MetadataReader.read(bytes, true), "the fast path accepts what the tree refuses");
      return;
    }
    Metadata<? extends Signed> fast = MetadataReader.read(bytes, true); // the fast path takes every file the tree takes
    assertEquals(tree, fast);
    assertSameEncodings(fast);
    byte[] fromTree;
    try {
      fromTree = CanonicalJson.encode(Json.parse(bytes, "x").get("signed"));
    } catch (TufshException unencodable) {
      assertThrows(TufshException.class, fast::signedBytes);
      return;
    }
    assertArrayEquals(fromTree, fast.signedBytes(), "what signatures cover");
    // Kept exactly when the file's own bytes of signed are canonical.
    assertEquals(contains(bytes, fromTree), fast.hasReadSignedBytes());
  }

  @Test
  void python_tuf_files_are_not_canonical_and_tufsh_files_are() {
    Path py = Fixtures.dir("interop").resolve("python-tuf/repository/metadata/targets.json");
    Metadata<?> pretty = MetadataCodec.decodeForVerification(read(py), "targets.json");
    assertFalse(pretty.hasReadSignedBytes());
    Metadata<?> ours = MetadataCodec.decodeForVerification(MetadataCodec.fileBytes(pretty), "targets.json");
    assertTrue(ours.hasReadSignedBytes());
    assertArrayEquals(pretty.signedBytes(), ours.signedBytes());
  }

  static Stream<Signed> generated() {
    ObjectNode custom = Json.object();
    custom.put("z", "last").put("A", "upper first").put("é", "\u00e9 two bytes").put("😀", "surrogate pair 😀")
        .put("ctl", "tab\there\nnewline \u0001 \u001f").put("q", "\"quoted\" back\\slash /slash")
        .put("int", 7).put("long", 1L << 40).put("neg", -3).put("t", true).put("f", false).putNull("nil");
    custom.set("big", Json.nodes().numberNode(new BigInteger("123456789012345678901234567890")));
    custom.putArray("list").add(1).add("two").addObject().put("b", 2).put("a", 1);
    custom.putObject("empty");
    custom.putArray("none");
    Map<String, JsonNode> extras = new LinkedHashMap<>();
    extras.put("Zed", Json.nodes().textNode("upper sorts before _type"));
    extras.put("x-extra", custom);
    extras.put("\uffff", Json.nodes().textNode("BMP last"));
    extras.put("\ud83d\ude00", Json.nodes().textNode("astral after BMP"));
    Map<String, TargetFile> targets = new LinkedHashMap<>();
    targets.put("plain/a-1.0.tar.gz", new TargetFile(12, Map.of("sha256", "ab".repeat(32))));
    targets.put("ünïcode/日本語/file", new TargetFile(0, Map.of("sha256", "00".repeat(32), "sha512", "ff".repeat(64))));
    targets.put("astral/😀/\ud800\udc00", new TargetFile((1L << 53) - 1, Map.of("sha256", "01".repeat(32)), custom,
        Map.of()));
    targets.put("quote\"d", new TargetFile(5, Map.of("sha256", "02".repeat(32)), Json.nodes().nullNode(),
        Map.of("unknown", Json.nodes().textNode("kept"), "length2", Json.nodes().numberNode(3))));
    targets.put("extras/custom-as-extra", new TargetFile(1, Map.of("sha256", "03".repeat(32)), null,
        Map.of("custom", Json.nodes().textNode("an extra named custom, with no custom set"))));
    Targets plain = new Targets(Signed.SPEC_VERSION, 3, EXPIRES, targets, null, extras);
    SuccinctRoles bins = new SuccinctRoles(List.of(KEY.keyId()), 1, 4, "bin", Map.of("x", custom));
    Targets delegating = new Targets("1.0", 1, EXPIRES, Map.of(),
        new Delegations(Map.of(KEY.keyId(), KEY.key()), null, bins, Map.of("d-extra", custom)), Map.of());
    DelegatedRole a = new DelegatedRole("a", List.of(KEY.keyId()), 1, true, List.of("a/*", "é/*"), null,
        Map.of("zz", custom));
    DelegatedRole b = new DelegatedRole("b", List.of(KEY.keyId()), 1, false, null, List.of("0", "ab"), Map.of());
    Targets listed = new Targets("1.0.0", 2, Expiry.parse("2030-01-01T00:00:00.5Z"), Map.of(),
        Delegations.of(Map.of(KEY.keyId(), KEY.key()), List.of(b, a)), Map.of());
    Map<String, MetaFile> meta = new LinkedHashMap<>();
    meta.put("targets.json", MetaFile.ofVersion(3));
    meta.put("bin-0.json", new MetaFile(2, 100L, Map.of("sha256", "aa".repeat(32)), Map.of()));
    meta.put("ü.json", new MetaFile(1, null, null, Map.of("extra", custom)));
    Snapshot snap = new Snapshot(Signed.SPEC_VERSION, 9, EXPIRES, meta, Map.of("_a", custom));
    Timestamp ts = new Timestamp(Signed.SPEC_VERSION, 10, EXPIRES,
        new MetaFile(9, 2048L, Map.of("sha256", "cd".repeat(32)), Map.of()), Map.of("note", custom));
    Map<String, Role> roles = new LinkedHashMap<>();
    for (RoleType t : RoleType.values()) {
      roles.put(t.wire(), new Role(List.of(KEY.keyId()), 1, t == RoleType.ROOT ? Map.of("r", custom) : Map.of()));
    }
    Root root = new Root(Signed.SPEC_VERSION, 1, EXPIRES, true, Map.of(KEY.keyId(), KEY.key()), roles,
        Map.of("consistent_snapshot2", custom));
    Root noFlag = new Root(Signed.SPEC_VERSION, 1, EXPIRES, null, Map.of(KEY.keyId(), KEY.key()), roles,
        Map.of("consistent_snapshot", Json.nodes().textNode("an extra where the flag is absent")));
    Snapshot shadowed = new Snapshot(Signed.SPEC_VERSION, 1, EXPIRES, meta,
        Map.of("version", Json.nodes().textNode("replaced by the known member")));
    return Stream.of(plain, delegating, listed, snap, ts, root, noFlag, shadowed);
  }

  @ParameterizedTest
  @MethodSource("generated")
  void generated_roles_encode_identically_and_round_trip(Signed s) {
    Metadata<Signed> md = new Metadata<>(s, Signatures.signAll(MetadataCodec.canonicalSigned(s), List.of(KEY)),
        Map.of("top-extra", Json.nodes().textNode("ü")));
    assertSameEncodings(md);
    byte[] file = MetadataCodec.fileBytes(md);
    Metadata<? extends Signed> tree;
    try {
      tree = MetadataCodec.decodeTree(file, "generated.json");
    } catch (TufshException refused) { // an unknown member named like an absent known one, say
      assertEquals(refused.getMessage(),
          assertThrows(TufshException.class, () -> MetadataCodec.decodeForVerification(file, "generated.json")).getMessage());
      return;
    }
    Metadata<? extends Signed> back = MetadataCodec.decodeForVerification(file, "generated.json");
    assertEquals(tree, back);
    assertArrayEquals(md.signedBytes(), back.signedBytes());
    // Control characters are escaped in the file but raw in what is signed: then nothing is kept.
    boolean controls = false;
    for (byte x : md.signedBytes()) {
      controls |= x >= 0 && x < 0x20;
    }
    assertEquals(!controls, back.hasReadSignedBytes());
    assertArrayEquals(file, MetadataCodec.fileBytes(back));
  }

  private static void assertSameEncodings(Metadata<?> md) {
    assertArrayEquals(CanonicalJson.encode(MetadataCodec.encodeSigned(md.signed())),
        MetadataCodec.canonicalSigned(md.signed()), "signed bytes, direct vs tree");
    Metadata<?> bare = new Metadata<>(md.signed(), md.signatures(), md.extras());
    assertArrayEquals(CanonicalJson.encodeFile(MetadataCodec.encode(bare)), MetadataCodec.fileBytes(bare),
        "file bytes, direct vs tree");
    assertArrayEquals(CanonicalJson.encodeFile(MetadataCodec.encode(bare)), MetadataCodec.fileBytes(md),
        "file bytes, kept signed bytes spliced vs tree");
  }

  // ---------------------------------------------------------------- kept bytes are sound

  record Edit(String name, String from, String to) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Edit> edits() {
    return Stream.of(
        new Edit("members reordered", "\"_type\":\"targets\",\"expires\":\"2030-01-01T00:00:00Z\"",
            "\"expires\":\"2030-01-01T00:00:00Z\",\"_type\":\"targets\""),
        new Edit("a space after a colon", "\"version\":3", "\"version\": 3"),
        new Edit("a newline between members", ",\"version\":3", ",\n\"version\":3"),
        new Edit("\\u0041 for A", "plain/a-1.0", "pl\\u0061in/a-1.0"),
        new Edit("an escaped slash", "plain/a-1.0", "plain\\/a-1.0"),
        new Edit("a non-ASCII character escaped", "ünïcode", "\\u00fcnïcode"),
        new Edit("minus zero", "\"length\":0}", "\"length\":-0}"),
        new Edit("nested members reordered", "{\"hashes\":{\"sha256\":\"" + "ab".repeat(32) + "\"},\"length\":12}",
            "{\"length\":12,\"hashes\":{\"sha256\":\"" + "ab".repeat(32) + "\"}}"),
        new Edit("hashes reordered", "\"sha256\":\"" + "00".repeat(32) + "\",\"sha512\":\"" + "ff".repeat(64) + "\"",
            "\"sha512\":\"" + "ff".repeat(64) + "\",\"sha256\":\"" + "00".repeat(32) + "\""));
  }

  private static byte[] sampleFile() {
    Map<String, TargetFile> targets = new LinkedHashMap<>();
    targets.put("plain/a-1.0.tar.gz", new TargetFile(12, Map.of("sha256", "ab".repeat(32))));
    targets.put("ünïcode/x", new TargetFile(0, Map.of("sha256", "00".repeat(32), "sha512", "ff".repeat(64))));
    Targets t = new Targets(Signed.SPEC_VERSION, 3, EXPIRES, targets, null, Map.of());
    return MetadataCodec.fileBytes(Signatures.sign(t, List.of(KEY)));
  }

  @ParameterizedTest
  @MethodSource("edits")
  void a_slice_that_is_not_exactly_canonical_is_not_kept(Edit edit) {
    byte[] original = sampleFile();
    Metadata<?> md = MetadataCodec.decodeForVerification(original, "bin.json");
    assertTrue(md.hasReadSignedBytes());
    String text = new String(original, StandardCharsets.UTF_8);
    assertTrue(text.contains(edit.from()), "the edit applies: " + edit);
    byte[] edited = text.replace(edit.from(), edit.to()).getBytes(StandardCharsets.UTF_8);
    Metadata<?> read = MetadataCodec.decodeForVerification(edited, "bin.json");
    assertFalse(read.hasReadSignedBytes(), "kept bytes that are not canonical");
    byte[] canonical = CanonicalJson.encode(Json.parse(edited, "x").get("signed"));
    assertArrayEquals(canonical, read.signedBytes());
    // The same content, so the signature over its canonical form still holds, as clients find.
    assertTrue(Signatures.check("bin", read, Map.of(KEY.keyId(), KEY.key()), new Role(List.of(KEY.keyId()), 1))
        .thresholdMet());
  }

  @Test
  void whitespace_outside_signed_still_keeps_its_bytes() {
    String text = new String(sampleFile(), StandardCharsets.UTF_8);
    String spaced = " " + text.replace("\"signatures\":[", "\"signatures\" : [ ").replace(",\"signed\":", " ,\n \"signed\" :  ")
        + "\n";
    Metadata<?> read = MetadataCodec.decodeForVerification(spaced.getBytes(StandardCharsets.UTF_8), "bin.json");
    assertTrue(read.hasReadSignedBytes());
    assertArrayEquals(MetadataCodec.canonicalSigned(read.signed()), read.signedBytes());
  }

  @Test
  void a_changed_value_in_canonical_form_keeps_its_own_bytes_and_fails_the_signature() {
    String text = new String(sampleFile(), StandardCharsets.UTF_8).replace("\"length\":12", "\"length\":13");
    Metadata<?> read = MetadataCodec.decodeForVerification(text.getBytes(StandardCharsets.UTF_8), "bin.json");
    assertTrue(read.hasReadSignedBytes());
    assertFalse(Signatures.check("bin", read, Map.of(KEY.keyId(), KEY.key()), new Role(List.of(KEY.keyId()), 1))
        .thresholdMet());
  }

  static Stream<String> refused() {
    String ok = new String(sampleFile(), StandardCharsets.UTF_8);
    return Stream.of(
        ok.replace("\"version\":3", "\"version\":3,\"version\":3"), // duplicate member
        ok.replace("\"version\":3", "\"version\":3.0"),
        ok.replace("\"length\":12", "\"length\":12.5"),
        ok.replace("\"length\":12", "\"length\":9007199254740992"),
        ok.replace("\"length\":12", "\"length\":-1"),
        ok.replace("\"version\":3", "\"version\":2147483648"),
        ok.replace("\"version\":3", "\"version\":0"),
        ok.replace("\"version\":3", "\"version\":\"3\""),
        ok.replace("\"length\":12", "\"length\":1e1"),
        ok.replace("\"length\":12", "\"length\":NaN"),
        ok.replace("\"sha256\":\"ab", "\"sha256\":\"AB"),
        ok.replace("{\"sha256\":\"" + "ab".repeat(32) + "\"}", "{}"),
        ok.replace("\"_type\":\"targets\"", "\"_type\":\"bogus\""),
        ok.replace("\"_type\":\"targets\"", "\"_type\":\"snapshot\""),
        ok.replace("\"targets\":{", "\"targets\":{\"../up\":{\"length\":1,\"hashes\":{\"sha256\":\"aa\"}},"),
        ok.replace("\"expires\":\"2030-01-01T00:00:00Z\"", "\"expires\":\"2030-01-01\""),
        ok.replace("\"spec_version\":\"1.0.31\"", "\"spec_version\":\"2.0.0\""),
        ok.replace("\"custom\"", "\"custom\"").replace("\"length\":12}", "\"length\":12,\"custom\":{\"f\":0.5}}"),
        ok + " {}", // trailing tokens
        ok + "]",
        ok.substring(0, ok.length() - 1),
        ok.replace("\"signatures\":[", "\"signatures\":[{\"keyid\":\"aa\",\"sig\":\"bb\"},{\"keyid\":\"aa\",\"sig\":\"cc\"},"),
        ok.replace("\"signatures\"", "\"signaturez\""),
        "[" + ok + "]",
        "{\"signed\":" + "[".repeat(70) + "]".repeat(70) + ",\"signatures\":[]}",
        "");
  }

  @ParameterizedTest
  @MethodSource("refused")
  void what_the_tree_refuses_the_stream_refuses_in_the_same_words(String input) {
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    TufshException tree = assertThrows(TufshException.class, () -> MetadataCodec.decodeTree(bytes, "bin.json"));
    assertThrows(RuntimeException.class, () -> MetadataReader.read(bytes, true));
    assertThrows(RuntimeException.class, () -> MetadataReader.read(bytes, false));
    TufshException kept = assertThrows(TufshException.class, () -> MetadataCodec.decodeForVerification(bytes, "bin.json"));
    assertEquals(tree.getMessage(), kept.getMessage());
    TufshException plain = assertThrows(TufshException.class, () -> MetadataCodec.decode(bytes, "bin.json"));
    assertEquals(tree.getMessage(), plain.getMessage());
  }

  /** Mutated fixtures, byte by byte: whatever the fast path accepts, the tree path accepts alike. */
  @Test
  void the_fast_path_never_accepts_what_the_tree_refuses_under_mutation() throws IOException {
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(sampleFile());
    metadataFiles().limit(12).forEach(p -> seeds.add(read(p)));
    Random rnd = new Random(13);
    byte[] alphabet = "{}[]:,\"\\ 0123456789-.eE+tfnu_aAé\n".getBytes(StandardCharsets.UTF_8);
    int accepted = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] b = seeds.get(i % seeds.size()).clone();
      for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
        b[rnd.nextInt(b.length)] = alphabet[rnd.nextInt(alphabet.length)];
      }
      Metadata<? extends Signed> fast;
      try {
        fast = MetadataReader.read(b, true);
      } catch (RuntimeException refused) {
        continue;
      }
      accepted++;
      Metadata<? extends Signed> tree;
      try {
        tree = MetadataCodec.decodeTree(b, "m.json");
      } catch (TufshException e) {
        fail("fast path accepted what the tree refuses (" + e.getMessage() + "): " + new String(b, StandardCharsets.UTF_8));
        return;
      }
      assertEquals(tree, fast);
      if (fast.hasReadSignedBytes()) {
        assertArrayEquals(CanonicalJson.encode(Json.parse(b, "x").get("signed")), fast.signedBytes());
      }
    }
    assertTrue(accepted > 100, "mutations the fast path accepted: " + accepted);
  }

  @Test
  void plain_decoding_keeps_nothing_and_gives_the_same_records() {
    byte[] file = sampleFile();
    Metadata<?> plain = MetadataCodec.decode(file, "bin.json");
    Metadata<?> kept = MetadataCodec.decodeForVerification(file, "bin.json");
    assertFalse(plain.hasReadSignedBytes());
    assertTrue(kept.hasReadSignedBytes());
    assertEquals(kept, plain);
    assertArrayEquals(kept.signedBytes(), plain.signedBytes());
    assertArrayEquals(MetadataCodec.fileBytes(kept), MetadataCodec.fileBytes(plain));
  }

  @Test
  void kept_bytes_are_a_copy_of_the_slice_not_the_whole_file() {
    Metadata<?> md = MetadataCodec.decodeForVerification(sampleFile(), "bin.json");
    assertNotNull(md.signedBytes());
    assertEquals('{', md.signedBytes()[0]);
    assertArrayEquals(MetadataCodec.canonicalSigned(md.signed()), md.signedBytes());
  }

  /** Snapshot entries are checked unsorted, but of several bad ones the first in code-point order is named. */
  @Test
  void of_several_bad_snapshot_entries_the_first_in_order_is_reported() {
    Map<String, MetaFile> meta = new LinkedHashMap<>();
    for (String name : List.of("z.json", "m.txt", "c/../x.json", "b.txt", "targets.json")) {
      meta.put(name, MetaFile.ofVersion(1));
    }
    MetadataError e = assertThrows(MetadataError.class, () -> new Snapshot(Signed.SPEC_VERSION, 1, EXPIRES, meta, Map.of()));
    assertEquals("meta", e.field());
    assertTrue(e.problem().contains("'b.txt'"), e.getMessage());
  }

  /** Target paths are checked without splitting or encoding them: the same verdicts, in the same words. */
  @Test
  void target_path_checks_agree_with_the_splitting_reference() {
    Random rnd = new Random(31);
    String[] parts = {"a", "/", ".", "..", "\\", "\u0001", "\u007f", "é", "\ud83d\ude00", "\ud800", "C:", "x".repeat(1500)};
    for (int i = 0; i < 20000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int k = rnd.nextInt(6); k >= 0; k--) {
        sb.append(parts[rnd.nextInt(parts.length)]);
      }
      String path = sb.toString();
      assertEquals(referenceVerdict(path), verdict(() -> Names.checkTargetPath(path, "targets")), path);
    }
  }

  private static String verdict(Runnable check) {
    try {
      check.run();
      return "ok";
    } catch (TufshException e) {
      return e.getMessage();
    }
  }

  /** The check as it was before, splitting and encoding each path. */
  private static String referenceVerdict(String path) {
    return verdict(() -> {
      String field = "targets";
      if (path.isEmpty()) {
        throw MetadataError.field(field, "target path is empty");
      }
      if (path.startsWith("/")) {
        throw MetadataError.field(field, "target path '" + Names.printable(path) + "' is absolute");
      }
      if (path.getBytes(StandardCharsets.UTF_8).length > Names.MAX_TARGET_PATH_BYTES) {
        throw MetadataError.field(field, "target path is longer than " + Names.MAX_TARGET_PATH_BYTES + " bytes");
      }
      for (int i = 0; i < path.length(); i++) {
        char c = path.charAt(i);
        if (c == '\\') {
          throw MetadataError.field(field, "target path '" + Names.printable(path) + "' contains a backslash");
        }
        if (c < 0x20 || c == 0x7f) {
          throw MetadataError.field(field, "target path '" + Names.printable(path) + "' contains a control character");
        }
      }
      if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
        throw MetadataError.field(field, "target path '" + Names.printable(path) + "' is a drive path");
      }
      for (String seg : path.split("/", -1)) {
        if (seg.equals("..") || seg.equals(".")) {
          throw MetadataError.field(field, "target path '" + Names.printable(path) + "' has a '" + seg + "' segment");
        }
        if (seg.isEmpty()) {
          throw MetadataError.field(field, "target path '" + Names.printable(path) + "' has an empty segment");
        }
      }
    });
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
