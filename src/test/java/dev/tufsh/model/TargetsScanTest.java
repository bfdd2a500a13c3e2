package dev.tufsh.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.errors.TufshException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
 * {@link TargetsScan} reads a role only where the full decode accepts it with the same facts: every
 * file it reads decodes to a targets role without delegations with the same signatures, signed
 * bytes, version, expiry and number of targets, and every path passes {@link Names#checkTargetPath}.
 * Checked over hostile edits of a good bin, every metadata fixture (python-tuf's, tough's), bins
 * with unusual but valid paths, and thousands of random mutations of a bin.
 */
class TargetsScanTest {
  static final LocalSigner KEY = KeyPairs.generate(Scheme.ED25519);
  static final Expiry EXPIRES = Expiry.at(Instant.parse("2027-01-05T00:00:00Z"));
  static final TargetsScan.Scope ANY = (b, from, to) -> true;

  static byte[] file(Map<String, TargetFile> targets) {
    return MetadataCodec.fileBytes(Signatures.sign(new Targets("1.0.31", 3, EXPIRES, targets, null, Map.of()),
        List.of(KEY)));
  }

  static Map<String, TargetFile> targets(String... paths) {
    Map<String, TargetFile> t = new LinkedHashMap<>();
    for (int i = 0; i < paths.length; i++) {
      t.put(paths[i], new TargetFile(1000L + i, Map.of("sha256", "ab".repeat(32))));
    }
    return t;
  }

  static final byte[] ONE = file(targets("P"));
  static final byte[] GOOD = file(targets("pkgs/a-1.0.tar.gz", "pkgs/b-2.0.whl", "pkgs/c-3.0.zip"));

  /**
   * The one claim: when the scan reads {@code b}, the decoder accepts it with the same facts. Returns
   * whether the scan read it.
   */
  static boolean agrees(byte[] b, String name) {
    TargetsScan.Result r = TargetsScan.of(b, ANY);
    if (r == null) {
      return false;
    }
    Metadata<? extends Signed> md;
    try {
      md = MetadataCodec.decodeForVerification(b, name);
    } catch (TufshException e) {
      throw new AssertionError(name + ": the scan read a file the decoder refuses: " + e.getMessage(), e);
    }
    assertTrue(md.signed() instanceof Targets, name);
    Targets t = (Targets) md.signed();
    assertNull(t.delegations(), name);
    assertEquals(t.version(), r.version(), name);
    assertEquals(t.expires(), r.expires(), name);
    assertEquals(t.targets().size(), r.targets(), name);
    assertArrayEquals(md.signedBytes(), r.signedBytes(b), name);
    assertArrayEquals(MetadataCodec.canonicalSigned(t), r.signedBytes(b), name);
    assertEquals(md.signatures(), r.signatures(), name);
    return true;
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static byte[] edit(String from, String to) {
    String s = text(GOOD);
    assertTrue(s.contains(from), from);
    return s.replace(from, to).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void reads_what_tufsh_writes() {
    assertTrue(agrees(GOOD, "good"));
    assertTrue(agrees(file(Map.of()), "no targets"));
    TargetsScan.Result r = TargetsScan.of(GOOD, ANY);
    assertEquals(3, r.targets());
    assertEquals(3, r.version());
  }

  record Case(String name, byte[] file) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Files the scan must leave to the decoder, whether the decoder then accepts them or not. */
  static Stream<Case> hostile() {
    List<Case> c = new ArrayList<>();
    c.add(new Case("a path with '..'", edit("pkgs/a-1.0", "pkgs/../a-1.0")));
    c.add(new Case("a '.' segment", edit("pkgs/a-1.0", "pkgs/./a-1.0")));
    c.add(new Case("an empty segment", edit("pkgs/a-1.0", "pkgs//a-1.0")));
    c.add(new Case("a trailing slash", edit("pkgs/a-1.0.tar.gz", "pkgs/a-1.0.tar.gz/")));
    c.add(new Case("an absolute path", edit("pkgs/a-1.0", "/pkgs/a-1.0")));
    c.add(new Case("an empty path", edit("\"pkgs/a-1.0.tar.gz\"", "\"\"")));
    c.add(new Case("a drive path", edit("pkgs/a-1.0", "C:pkgs/a-1.0")));
    c.add(new Case("a non-ASCII letter and ':'", edit("pkgs/a-1.0", "\u00e9:pkgs/a-1.0")));
    c.add(new Case("an escaped backslash", edit("pkgs/a-1.0", "pkgs\\\\a-1.0")));
    c.add(new Case("an escaped control character", edit("pkgs/a-1.0", "pkgs/\\u0001a-1.0")));
    c.add(new Case("a raw control character", edit("pkgs/a-1.0", "pkgs/\u0001a-1.0")));
    c.add(new Case("a raw DEL", edit("pkgs/a-1.0", "pkgs/\u007fa-1.0")));
    c.add(new Case("an escaped NUL", edit("pkgs/a-1.0", "pkgs/\\u0000a-1.0")));
    c.add(new Case("an escaped slash", edit("pkgs/a-1.0", "pkgs\\/a-1.0")));
    c.add(new Case("an escaped letter", edit("pkgs/a-1.0", "pkgs/\\u0061-1.0")));
    c.add(new Case("an escaped quote", edit("pkgs/a-1.0", "pkgs/\\\"a-1.0")));
    c.add(new Case("a path over 4,096 bytes", edit("pkgs/a-1.0", "pkgs/" + "a".repeat(4100))));
    c.add(new Case("paths out of order", edit("pkgs/a-1.0", "pkgs/z-1.0")));
    c.add(new Case("a path listed twice", edit("pkgs/b-2.0.whl", "pkgs/a-1.0.tar.gz")));
    c.add(new Case("a negative length", edit("\"length\":1000", "\"length\":-1000")));
    c.add(new Case("length zero padded", edit("\"length\":1000", "\"length\":01000")));
    c.add(new Case("a non-integer length", edit("\"length\":1000", "\"length\":1000.5")));
    c.add(new Case("a length with an exponent", edit("\"length\":1000", "\"length\":1e3")));
    c.add(new Case("a length of 2^53", edit("\"length\":1000", "\"length\":9007199254740992")));
    c.add(new Case("a huge length", edit("\"length\":1000", "\"length\":" + "9".repeat(70))));
    c.add(new Case("a length as a string", edit("\"length\":1000", "\"length\":\"1000\"")));
    c.add(new Case("a hash not lower hex", edit("ab".repeat(32) + "\"}", "AB".repeat(32) + "\"}")));
    c.add(new Case("a hash with a non-hex letter", edit("ab".repeat(32) + "\"}", "ag".repeat(32) + "\"}")));
    c.add(new Case("an empty hash", edit("\"" + "ab".repeat(32) + "\"}", "\"\"}")));
    c.add(new Case("no hashes", edit("{\"sha256\":\"" + "ab".repeat(32) + "\"},\"length\":1000",
        "{},\"length\":1000")));
    c.add(new Case("a hash name twice", edit("{\"sha256\":\"" + "ab".repeat(32) + "\"},\"length\":1000",
        "{\"sha256\":\"" + "ab".repeat(32) + "\",\"sha256\":\"" + "cd".repeat(32) + "\"},\"length\":1000")));
    c.add(new Case("custom data", edit("{\"hashes\":{\"sha256\":\"" + "ab".repeat(32) + "\"},\"length\":1000",
        "{\"custom\":{\"x\":1},\"hashes\":{\"sha256\":\"" + "ab".repeat(32) + "\"},\"length\":1000")));
    c.add(new Case("a target with an unknown member", edit("\"length\":1000}", "\"length\":1000,\"x\":1}")));
    c.add(new Case("a target without length", edit(",\"length\":1000}", "}")));
    c.add(new Case("a wrong type", edit("\"_type\":\"targets\"", "\"_type\":\"snapshot\"")));
    c.add(new Case("a missing expires", edit("\"expires\":\"2027-01-05T00:00:00Z\",", "")));
    c.add(new Case("an expiry not in UTC form", edit("2027-01-05T00:00:00Z", "2027-01-05 00:00:00")));
    c.add(new Case("an impossible date", edit("2027-01-05T00:00:00Z", "2027-02-30T00:00:00Z")));
    c.add(new Case("spec version 2", edit("\"1.0.31\"", "\"2.0.0\"")));
    c.add(new Case("a spec version not a number", edit("\"1.0.31\"", "\"1.x\"")));
    c.add(new Case("version zero", edit("\"version\":3}", "\"version\":0}")));
    c.add(new Case("a negative version", edit("\"version\":3}", "\"version\":-3}")));
    c.add(new Case("a version over 2^31", edit("\"version\":3}", "\"version\":2147483648}")));
    c.add(new Case("a version as a string", edit("\"version\":3}", "\"version\":\"3\"}")));
    c.add(new Case("an unknown member of signed", edit("\"version\":3}", "\"version\":3,\"x-extra\":1}")));
    c.add(new Case("delegations", edit("\"expires\":",
        "\"delegations\":{\"keys\":{},\"roles\":[]},\"expires\":")));
    c.add(new Case("an unknown top-level member", edit("\"signed\":", "\"x\":1,\"signed\":")));
    c.add(new Case("whitespace", edit("\"signed\":{", "\"signed\": {")));
    c.add(new Case("a trailing newline", (text(GOOD) + "\n").getBytes(StandardCharsets.UTF_8)));
    c.add(new Case("trailing content", (text(GOOD) + "{}").getBytes(StandardCharsets.UTF_8)));
    c.add(new Case("cut short", java.util.Arrays.copyOf(GOOD, GOOD.length - 1)));
    c.add(new Case("members out of order", edit("\"_type\":\"targets\",\"expires\":\"2027-01-05T00:00:00Z\"",
        "\"expires\":\"2027-01-05T00:00:00Z\",\"_type\":\"targets\"")));
    c.add(new Case("a duplicate member", edit("\"version\":3}", "\"version\":3,\"version\":3}")));
    String sig = text(GOOD).substring(text(GOOD).indexOf("{\"keyid\""), text(GOOD).indexOf("}],\"signed\"") + 1);
    c.add(new Case("a key's second signature", edit(sig, sig + "," + sig)));
    c.add(new Case("a signature with an unknown member", edit(sig, sig.replace("\"sig\":", "\"other\":1,\"sig\":"))));
    c.add(new Case("a signature without keyid", edit(sig, sig.replaceAll("\"keyid\":\"[0-9a-f]+\",", ""))));
    c.add(new Case("an invalid UTF-8 byte in a path", replace(GOOD, "pkgs/a", new byte[] {'p', 'k', 'g', (byte) 0xFF})));
    c.add(new Case("an overlong UTF-8 '/' in a path", replace(GOOD, "pkgs/a", new byte[] {'p', 'k', 'g', 's',
        (byte) 0xC0, (byte) 0xAF})));
    c.add(new Case("a UTF-8 surrogate in a path", replace(GOOD, "pkgs/a", new byte[] {'p', (byte) 0xED, (byte) 0xA0,
        (byte) 0x80})));
    return c.stream();
  }

  static byte[] replace(byte[] b, String from, byte[] to) {
    byte[] f = from.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + f.length <= b.length; i++) {
      if (java.util.Arrays.equals(b, i, i + f.length, f, 0, f.length)) {
        byte[] out = new byte[b.length - f.length + to.length];
        System.arraycopy(b, 0, out, 0, i);
        System.arraycopy(to, 0, out, i, to.length);
        System.arraycopy(b, i + f.length, out, i + to.length, b.length - i - f.length);
        return out;
      }
    }
    throw new AssertionError(from);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void leaves_every_hostile_file_to_the_decoder(Case c) {
    assertNull(TargetsScan.of(c.file(), ANY), c.name());
  }

  @Test
  void leaves_a_role_with_a_path_out_of_scope_to_the_decoder() {
    String last = "pkgs/c-3.0.zip";
    TargetsScan.Scope notC = (b, from, to) -> !new String(b, from, to - from, StandardCharsets.UTF_8).equals(last);
    assertNull(TargetsScan.of(GOOD, notC));
    List<String> asked = new ArrayList<>();
    assertNotNull(TargetsScan.of(GOOD, (b, from, to) -> asked.add(new String(b, from, to - from,
        StandardCharsets.UTF_8))));
    assertEquals(List.of("pkgs/a-1.0.tar.gz", "pkgs/b-2.0.whl", last), asked, "every path asked once, in order");
  }

  /** Paths valid or not by {@link Names#checkTargetPath}: the scan reads a role listing one only when it is valid. */
  @ParameterizedTest
  @MethodSource("paths")
  void judges_paths_as_names_does(String path) {
    boolean valid;
    try {
      Names.checkTargetPath(path, "p");
      valid = true;
    } catch (TufshException e) {
      valid = false;
    }
    // The path written as a file holds it (controls escaped), in a role that lists only it.
    dev.tufsh.json.ByteSink quoted = new dev.tufsh.json.ByteSink(64);
    dev.tufsh.json.CanonicalJson.writeString(path, quoted, true);
    byte[] b = replace(ONE, "\"P\"", quoted.toByteArray());
    boolean read = agrees(b, path);
    if (!valid) {
      assertTrue(!read, "read a role with the invalid path " + Names.printable(path));
    }
    // Valid paths of printable ASCII and well-formed UTF-8, as a drive-like 'é:' aside, are read.
    if (valid && path.chars().allMatch(ch -> ch >= 0x20 && ch != 0x7f && ch != '"' && ch != '\\')
        && !(path.length() > 1 && path.charAt(1) == ':')) {
      assertTrue(read, "did not read a role with the valid path " + Names.printable(path));
    }
  }

  static Stream<String> paths() {
    return Stream.of("a", "a/b", "a/b/c.tar.gz", ".", "..", "./a", "a/.", "a/..", "a/../b", "...", "a/...", ".a",
        "a/.b", "..a", "a..", "/", "/a", "a/", "a//b", "C:", "C:a", "c:/x", "1:a", ":a", "a:", "a:b", "\u00e9:a",
        "\u00e9a:b", "\u4e2d:a", "\ud83c\udf7a:a", "\ud83c\udf7a/30", "\u16a9 os/\u00e6", "a b/c d", "a%2F..%2Fb",
        "a?b#c", "a\"b", "a\\b", "a\u0001b", "a\u007fb", "a\u0080b", "\u0085", "x".repeat(4096), "x".repeat(4097),
        "\u00e9".repeat(2048), "\u00e9".repeat(2049), "~/a", "a/~", "-", "a\tb", " ", "a\u2028b");
  }

  /** Every metadata file among the fixtures: python-tuf's, tough's (hostile folders too), tufsh's own. */
  @Test
  void agrees_with_the_decoder_on_every_fixture() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of("src/test/resources/fixtures"))) {
      files = s.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
    }
    assertTrue(files.size() > 50, "fixtures found: " + files.size());
    for (Path p : files) {
      agrees(Files.readAllBytes(p), p.toString());
    }
  }

  /** Random byte changes, insertions and deletions of good bins: whatever the scan reads, the decoder reads alike. */
  @Test
  void agrees_with_the_decoder_on_mutated_bins() {
    Random rnd = new Random(458);
    byte[] odd = file(targets("a b/c", "p/\u00e9t\u00e9-1.0.tar.gz", "r/\ud83c\udf7a.zip",
        "s/a:b", "t/%41"));
    byte[] alphabet = "\"\\/.:,{}[]0123456789abcdefABCDEF-e \u0001\u007f".getBytes(StandardCharsets.ISO_8859_1);
    int read = 0;
    for (byte[] base : List.of(GOOD, odd)) {
      assertTrue(agrees(base, "base"));
      for (int i = 0; i < 3000; i++) {
        byte[] b = base.clone();
        int at = rnd.nextInt(b.length);
        switch (rnd.nextInt(4)) {
          case 0 -> b[at] = alphabet[rnd.nextInt(alphabet.length)];
          case 1 -> b[at] = (byte) rnd.nextInt(256);
          case 2 -> b = replace(b, at, 1, new byte[0]);
          default -> b = replace(b, at, 0, new byte[] {alphabet[rnd.nextInt(alphabet.length)]});
        }
        if (agrees(b, "mutation " + i)) {
          read++;
        }
      }
    }
    // Changes inside a signature, a hash or a length keep the layout: some mutations must be read.
    assertTrue(read > 100, "mutations read: " + read);
  }

  static byte[] replace(byte[] b, int at, int len, byte[] with) {
    byte[] out = new byte[b.length - len + with.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(with, 0, out, at, with.length);
    System.arraycopy(b, at + len, out, at + with.length, b.length - at - len);
    return out;
  }
}
