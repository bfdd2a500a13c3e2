package dev.tufsh.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which engine a process uses: a handful of operations never loads AWS-LC (not even its classes),
 * a bulk line does (announced or counted), a load that fails for real leaves BouncyCastle signing
 * the same bytes, and forced engines sign real metadata byte for byte alike.
 */
class Ed25519EngineTest {
  /** RFC 8032 section 7.1, TEST 2. */
  private static final String TEST2 =
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
          + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

  @TempDir Path tmp;

  @AfterAll
  static void reset() {
    Ed25519Engine.mode("auto");
  }

  @Test
  void a_handful_of_signatures_never_loads_aws_lc() throws Exception {
    Path classes = tmp.resolve("classes.log");
    Map<String, String> out = probe(List.of("-Xlog:class+load:file=" + classes), "ops", "3");
    assertEquals("bouncycastle", out.get("engine"));
    assertEquals(TEST2, out.get("signature"));
    assertEquals("true", out.get("verifies"));
    String loaded = Files.readString(classes);
    assertTrue(loaded.contains("dev.tufsh.crypto.LocalSigner"), "the log lists classes");
    assertFalse(loaded.contains("com.amazon.corretto"), "AWS-LC's provider was loaded for 3 signatures");
    assertFalse(loaded.contains("NativeEd25519"), "the native adapter was loaded for 3 signatures");
  }

  @Test
  void an_announced_bulk_line_signs_on_aws_lc() throws Exception {
    Map<String, String> out = probe(List.of(), "expect", String.valueOf(Ed25519Engine.BULK));
    assertTrue(out.get("engine").startsWith("aws-lc (AmazonCorrettoCryptoProvider 2.5.0"), out.toString());
    assertEquals("true", out.get("native"));
    assertEquals(TEST2, out.get("signature"));
    assertEquals("true", out.get("verifies"));
  }

  @Test
  void fewer_than_bulk_announced_stays_on_bouncycastle() throws Exception {
    Map<String, String> out = probe(List.of(), "expect", String.valueOf(Ed25519Engine.BULK - 1));
    assertEquals("bouncycastle", out.get("engine"));
  }

  @Test
  void a_line_that_has_done_bulk_moves_to_aws_lc() throws Exception {
    Map<String, String> out = probe(List.of(), "ops", String.valueOf(Ed25519Engine.BULK));
    assertEquals("true", out.get("native"), out.toString());
    assertEquals(TEST2, out.get("signature"));
  }

  @Test
  void a_load_that_fails_for_real_leaves_bouncycastle_signing_the_same_bytes() throws Exception {
    // ACCP extracts its library into a folder it makes under this property's path: a regular file
    // there makes that fail, and the system library path has no copy, so the provider is unavailable.
    Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
    Map<String, String> out = probe(List.of("-Dcom.amazon.corretto.crypto.provider.tmpdir=" + file,
        "-Dtufsh.ed25519=native"), "expect", String.valueOf(Ed25519Engine.BULK));
    assertTrue(out.get("engine").startsWith("bouncycastle (aws-lc unavailable: "), out.toString());
    assertTrue(out.get("engine").contains(file.toString()), "failed for another reason: " + out);
    assertEquals("false", out.get("native"));
    assertEquals(TEST2, out.get("signature"));
    assertEquals("true", out.get("verifies"));
    assertFalse(out.get("stderr").contains("AmazonCorrettoCryptoProvider"), "the failure reached stderr: " + out);
  }

  @Test
  void forced_engines_sign_real_metadata_byte_for_byte_alike() throws IOException {
    List<byte[]> messages = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/test/resources/fixtures/interop"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        messages.add(Files.readAllBytes(f));
      }
    }
    Random r = new Random(7);
    // Around ACCP's 1 MiB message cap (NativeEd25519.MAX_MESSAGE): a larger one threw on verify.
    for (int size : new int[] {0, 1, 111, 112, 128, 300, 30_000, 40_000, 1 << 20, (1 << 20) + 1, 3_000_000}) {
      byte[] m = new byte[size];
      r.nextBytes(m);
      messages.add(m);
    }
    assertTrue(messages.size() > 20, "fixtures found: " + messages.size());
    LocalSigner s = KeyPairs.generate(Scheme.ED25519);
    Ed25519Engine.mode("bc");
    List<byte[]> bc = messages.stream().map(s::sign).toList();
    Ed25519Engine.mode("native");
    assertTrue(Ed25519Engine.forOne() != null, Ed25519Engine.describe());
    List<byte[]> aws = messages.stream().map(s::sign).toList();
    for (int i = 0; i < messages.size(); i++) {
      assertArrayEquals(bc.get(i), aws.get(i), "message " + i);
      assertTrue(s.key().verifies(messages.get(i), aws.get(i)));
    }
    Ed25519Engine.mode("auto");
  }

  private static Map<String, String> probe(List<String> jvm, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
    cmd.addAll(jvm);
    cmd.add(Ed25519EngineProbe.class.getName());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    p.getOutputStream().close();
    String stdout = new String(p.getInputStream().readAllBytes());
    String stderr = new String(p.getErrorStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), stdout + stderr);
    Map<String, String> out = stdout.lines().filter(l -> l.contains("="))
        .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
    out.put("stderr", stderr);
    return out;
  }
}
