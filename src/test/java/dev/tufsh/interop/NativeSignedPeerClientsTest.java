package dev.tufsh.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Ed25519Engines;
import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.TargetSpec;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.StaticHttpServer;
import dev.tufsh.testing.TufClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository built, signed and checked with AWS-LC as the Ed25519 engine (the bulk lines' engine):
 * python-tuf and go-tuf refresh it from its first root and download a target behind a bin.
 */
class NativeSignedPeerClientsTest {
  private static final String TARGET = "packages/native-1.0.tar.gz";
  private static final byte[] CONTENT = "signed by AWS-LC\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  @AfterEach
  void back() {
    Ed25519Engines.force("auto");
  }

  @Test
  void python_tuf_and_go_tuf_accept_an_aws_lc_signed_publish() throws Exception {
    Ed25519Engines.force("native");
    assertTrue(Ed25519Engines.nativeInUse(), "AWS-LC did not load here");
    Path repo = tmp.resolve("repo");
    Workbench b = Benches.at(repo);
    // RSTUF's layout: no path_hash_prefixes, so go-tuf finds the target too (see EnginePeerClientsTest).
    Init.run(b, Init.Request.defaults().withBins(16).withRstufLayout());
    Path content = Files.write(tmp.resolve("native-1.0.tar.gz"), CONTENT);
    TargetOps.add(b, List.of(TargetSpec.ofFile(TARGET, content)));
    Publishing.publish(b);
    assertTrue(Ed25519Engines.nativeInUse());
    Path root = repo.resolve("metadata/1.root.json");
    try (StaticHttpServer server = StaticHttpServer.serve(repo)) {
      for (TufClient c : List.of(TufClient.PYTHON_TUF, TufClient.GO_TUF)) {
        Path out = tmp.resolve("out-" + c);
        TufClient.Result r = c.refresh(server, root, tmp.resolve("cache-" + c)).target(TARGET).out(out).run();
        assertTrue(r.ok(), c + ": " + r);
        assertEquals(1, r.targets().size(), c + ": " + r);
      }
    }
  }
}
