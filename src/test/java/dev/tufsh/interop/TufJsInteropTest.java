package dev.tufsh.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.testing.StaticHttpServer;
import dev.tufsh.testing.HashedBinsRepository;
import dev.tufsh.testing.TufClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * tuf-js (the pinned client in src/test/js) refreshes a hashed-bins repository written by the
 * library, for keys of every scheme, and refuses the same repository once one signed byte changes.
 */
class TufJsInteropTest {
  static final String TARGET = "packages/hello-1.0.tar.gz";
  static final byte[] CONTENT = "hello from tufsh\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  private HashedBinsRepository repo(Scheme scheme) {
    return HashedBinsRepository.create(tmp.resolve("repo"), scheme, Map.of(TARGET, CONTENT));
  }

  private TufClient.Result refresh(StaticHttpServer server, HashedBinsRepository repo, String cache) {
    return TufClient.TUF_JS.refresh(server.url("metadata/"), repo.trustedRoot(), tmp.resolve(cache))
        .targetsUrl(server.url("targets/"))
        .target(TARGET)
        .out(tmp.resolve(cache + "-out"))
        .run();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Scheme.class)
  void tuf_js_refreshes_and_downloads_through_hashed_bins(Scheme scheme) throws IOException {
    HashedBinsRepository repo = repo(scheme);
    String bin = repo.binFor(TARGET);
    try (StaticHttpServer server = StaticHttpServer.serve(repo.dir())) {
      TufClient.Result r = refresh(server, repo, "cache");
      assertTrue(r.ok(), r.toString());
      assertEquals(
          List.of(new TufClient.Target(TARGET, CONTENT.length, Hex.encode(Crypto.sha256(CONTENT)))), r.targets(), r.toString());
      byte[] written = Files.readAllBytes(tmp.resolve("cache-out").resolve(TARGET));
      assertEquals(new String(CONTENT, StandardCharsets.UTF_8), new String(written, StandardCharsets.UTF_8));
      // The walk went root -> timestamp -> snapshot -> targets -> bins -> the target's bin, by version.
      List<String> got = server.requests().stream().filter(s -> s.startsWith("200 ")).map(s -> s.substring(4)).toList();
      for (String path : List.of("/metadata/timestamp.json", "/metadata/1.snapshot.json", "/metadata/1.targets.json",
          "/metadata/1.bins.json", "/metadata/1." + bin + ".json")) {
        assertTrue(got.contains(path), "tuf-js fetched " + path + "; it fetched " + server.requests());
      }
      assertTrue(got.stream().anyMatch(p -> p.startsWith("/targets/packages/") && !p.endsWith("/hello-1.0.tar.gz")),
          "the target came by its hash-prefixed name: " + got);
      assertTrue(server.requests().contains("404 /metadata/2.root.json"), "looked for a newer root: " + server.requests());
    }
  }

  @Test
  void tuf_js_refuses_a_bin_whose_signed_part_changed_by_one_byte() throws IOException {
    HashedBinsRepository repo = repo(Scheme.ED25519);
    String bin = repo.binFor(TARGET);
    Path file = repo.metadataFile(bin);
    // Change the last digit of the target's length inside "signed": still valid JSON, no longer signed.
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String length = "\"length\":" + CONTENT.length;
    int at = text.indexOf(length);
    assertTrue(at > text.indexOf("\"signed\""), "the length sits inside signed: " + text);
    int digit = at + length.length() - 1;
    char changed = text.charAt(digit) == '9' ? '8' : (char) (text.charAt(digit) + 1);
    Files.writeString(file, text.substring(0, digit) + changed + text.substring(digit + 1), StandardCharsets.UTF_8);

    try (StaticHttpServer server = StaticHttpServer.serve(repo.dir())) {
      TufClient.Result r = refresh(server, repo, "cache");
      assertEquals(1, r.exitCode(), r.toString());
      assertFalse(r.ok(), r.toString());
      String error = r.error();
      assertNotNull(error, r.toString());
      assertTrue(error.contains(bin + " was signed by 0/1 keys"),
          "error names the bin and its missing signature: " + error);
      assertTrue(r.targets().isEmpty(), r.toString());
      assertFalse(Files.exists(tmp.resolve("cache-out").resolve(TARGET)), "nothing was written for the target");
    }
  }

  @Test
  void tuf_js_refuses_a_target_changed_by_one_byte() throws IOException {
    HashedBinsRepository repo = repo(Scheme.ECDSA_P256);
    for (Path copy : repo.hashedTargets(TARGET)) {
      byte[] b = Files.readAllBytes(copy);
      b[0] ^= 0x01;
      Files.write(copy, b);
    }
    try (StaticHttpServer server = StaticHttpServer.serve(repo.dir())) {
      TufClient.Result r = refresh(server, repo, "cache");
      assertEquals(1, r.exitCode(), r.toString());
      String error = r.error();
      assertNotNull(error, r.toString());
      assertTrue(error.contains("LengthOrHashMismatchError") && error.contains("Expected hash"),
          "error names the hash mismatch: " + error);
      assertFalse(Files.exists(tmp.resolve("cache-out").resolve(TARGET)), "the bad target was not kept");
    }
  }
}
