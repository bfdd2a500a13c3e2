package dev.tufsh.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.TargetSpec;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.StaticHttpServer;
import dev.tufsh.testing.TufClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which client checks which target hash: a target listed by {@code target add --hash ...} with
 * each set of algorithms, downloaded by every client on a layout it reads (tough: hash-prefix, a
 * target at the top of targets/; the others: RSTUF's). {@code error} null means the download
 * succeeds; else the client's refusal contains it. Each client is also handed a copy with the
 * wrong bytes under the same names, which it must refuse whenever it accepts the right ones.
 */
class TargetHashClientsTest {
  static final byte[] CONTENT = "which hash does each client check?\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(TufClient.PYTHON_TUF, List.of("blake2b-256"), null),
        Arguments.of(TufClient.PYTHON_TUF, List.of("sha256", "sha512", "blake2b-256"), null),
        Arguments.of(TufClient.TUF_JS, List.of("sha256", "sha512"), null),
        Arguments.of(TufClient.TUF_JS, List.of("blake2b-256"), "blake2b-256"),
        Arguments.of(TufClient.TUF_JS, List.of("blake2b-256", "sha256"), "Hash algorithm blake2b-256 not supported"),
        Arguments.of(TufClient.GO_TUF, List.of("sha256", "sha512"), null),
        Arguments.of(TufClient.GO_TUF, List.of("blake2b-256", "sha256"), "unknown hashing algorithm - blake2b-256"),
        Arguments.of(TufClient.TOUGH, List.of("sha256", "sha512"), null),
        Arguments.of(TufClient.TOUGH, List.of("blake2b-256", "sha256"), null),
        Arguments.of(TufClient.TOUGH, List.of("blake2b-256"), "sha256"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void client_checks_target_hashes(TufClient client, List<String> hashes, String error) throws IOException {
    String path = client == TufClient.TOUGH ? "hashed-1.0.tar.gz" : "packages/hashed-1.0.tar.gz";
    Path repo = tmp.resolve("repo");
    Workbench b = Benches.at(repo);
    Init.Request req = Init.Request.defaults().withBins(16);
    Init.run(b, client == TufClient.TOUGH ? req.withLayout(false) : req.withRstufLayout());
    Path f = tmp.resolve("hashed-1.0.tar.gz");
    Files.write(f, CONTENT);
    TargetOps.add(b, List.of(TargetSpec.ofFile(path, f)), new TargetOps.AddOptions(hashes, false));
    Publishing.publish(b);
    Path shipped = repo.resolve("metadata/1.root.json");
    try (StaticHttpServer server = StaticHttpServer.serve(repo)) {
      TufClient.Result r = client.refresh(server, shipped, tmp.resolve("cache")).target(path)
          .out(tmp.resolve("out")).run();
      if (error == null) {
        assertTrue(r.ok(), r.toString());
        assertEquals(List.of(new TufClient.Target(path, CONTENT.length, Hex.encode(Crypto.sha256(CONTENT)))),
            r.targets());
      } else {
        assertFalse(r.ok(), r.toString());
        assertTrue(r.error().contains(error), r.toString());
        return;
      }
    }
    // The same names serving other bytes of the same length: every hash the client checks differs.
    try (Stream<Path> files = Files.walk(repo.resolve("targets"))) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        byte[] evil = CONTENT.clone();
        evil[0] ^= 1;
        Files.write(p, evil);
      }
    }
    try (StaticHttpServer server = StaticHttpServer.serve(repo)) {
      TufClient.Result r = client.refresh(server, shipped, tmp.resolve("cache-evil")).target(path)
          .out(tmp.resolve("out-evil")).run();
      assertFalse(r.ok(), "accepted changed bytes: " + r);
    }
  }
}
