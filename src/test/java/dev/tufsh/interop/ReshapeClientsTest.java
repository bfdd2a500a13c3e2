package dev.tufsh.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.ops.BinShape;
import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Rehash;
import dev.tufsh.ops.Reshape;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real clients following a repository across a reshape: each is brought up to date on the old
 * shape, then refreshes from the same cache after {@code reshape} (with one target removed in the
 * same publish) and must still download every sampled target, byte for byte, and not find the
 * removed one. On RSTUF's layout (the one go-tuf reads) the clients then follow a hash transition,
 * sha256 -> sha256+sha512 -> sha512, downloading after each step.
 */
class ReshapeClientsTest {
  static final int TARGETS = 12;

  @TempDir Path tmp;

  static Stream<Arguments> cases() {
    List<TufClient> all = List.of(TufClient.PYTHON_TUF, TufClient.TUF_JS, TufClient.GO_TUF);
    List<TufClient> binsReaders = List.of(TufClient.PYTHON_TUF, TufClient.TUF_JS); // go-tuf: rstuf only
    return Stream.of(
        Arguments.of(BinShape.Layout.RSTUF, 16, BinShape.Layout.RSTUF, 64, all, true),
        Arguments.of(BinShape.Layout.SUCCINCT, 16, BinShape.Layout.HASH_PREFIX, 4, binsReaders, false),
        Arguments.of(BinShape.Layout.HASH_PREFIX, 16, BinShape.Layout.SUCCINCT, 256, binsReaders, false));
  }

  @ParameterizedTest(name = "{0} {1} -> {2} {3}")
  @MethodSource("cases")
  void clients_follow_the_reshape(BinShape.Layout from, int n, BinShape.Layout to, int m, List<TufClient> clients,
      boolean rehash) throws IOException {
    Path repo = tmp.resolve("repo");
    Workbench b = Benches.at(repo);
    Init.Request req = Init.Request.defaults().withBins(n);
    Init.run(b, from == BinShape.Layout.RSTUF ? req.withRstufLayout() : req.withLayout(from
        == BinShape.Layout.SUCCINCT));
    Map<String, byte[]> content = new LinkedHashMap<>();
    List<TargetSpec> specs = new ArrayList<>();
    for (int i = 0; i < TARGETS; i++) {
      byte[] bytes = ("reshaped " + i + "\n").getBytes(StandardCharsets.UTF_8);
      String path = "packages/r" + i + "/r" + i + "-1.0.tar.gz";
      content.put(path, bytes);
      specs.add(TargetSpec.ofFile(path, Files.write(tmp.resolve("r" + i), bytes)));
    }
    TargetOps.add(b, specs, new TargetOps.AddOptions(List.of("sha256"), false));
    Publishing.publish(b);
    List<String> sample = List.of("packages/r0/r0-1.0.tar.gz", "packages/r5/r5-1.0.tar.gz",
        "packages/r11/r11-1.0.tar.gz");
    String removed = "packages/r7/r7-1.0.tar.gz";
    Path shipped = repo.resolve("metadata/1.root.json");
    for (TufClient c : clients) {
      List<String> all = new ArrayList<>(sample);
      all.add(removed);
      fetch(c, repo, shipped, all, content, "before");
    }

    Reshape.run(b, new Reshape.Request(m, to, null));
    TargetOps.remove(b, List.of(removed));
    Publishing.publish(b);
    for (TufClient c : clients) {
      fetch(c, repo, shipped, sample, content, "after the reshape");
      try (StaticHttpServer server = StaticHttpServer.serve(repo)) {
        TufClient.Result r = c.refresh(server, shipped, tmp.resolve("cache-" + c)).target(removed)
            .out(tmp.resolve("out-" + c)).run();
        assertFalse(r.ok(), r.toString());
        assertTrue(r.error().contains("target '" + removed + "' is not listed"), r.toString());
      }
    }
    if (!rehash) {
      return;
    }
    for (var step : List.of(new Rehash.Request("sha512", null), new Rehash.Request(null, "sha256"))) {
      Rehash.run(b, step);
      Publishing.publish(b);
      for (TufClient c : clients) {
        fetch(c, repo, shipped, sample, content, "after " + step);
      }
    }
  }

  /**
   * Why reshape keeps the old bins in the snapshot: a snapshot that drops them, signed by the real
   * snapshot key and written by hand (tufsh's own publish refuses to), is refused by every returning
   * client, and only a new client, with no snapshot to compare, takes it.
   */
  @org.junit.jupiter.api.Test
  void returning_clients_refuse_a_snapshot_that_drops_the_old_bins() throws IOException {
    Path repo = tmp.resolve("repo");
    Workbench b = Benches.at(repo);
    Init.run(b, Init.Request.defaults().withBins(16).withRstufLayout());
    byte[] bytes = "kept\n".getBytes(StandardCharsets.UTF_8);
    String path = "packages/kept-1.0.tar.gz";
    TargetOps.add(b, List.of(TargetSpec.ofFile(path, Files.write(tmp.resolve("kept"), bytes))));
    Publishing.publish(b);
    Path shipped = repo.resolve("metadata/1.root.json");
    List<TufClient> clients = List.of(TufClient.PYTHON_TUF, TufClient.TUF_JS, TufClient.GO_TUF);
    for (TufClient c : clients) {
      fetch(c, repo, shipped, List.of(path), Map.of(path, bytes), "before");
    }
    Reshape.Result r = Reshape.run(b, new Reshape.Request(64, null, null));
    Publishing.publish(b);

    dev.tufsh.repo.Repository now = b.repository();
    var snap = now.published().snapshot().orElseThrow().signed();
    Map<String, dev.tufsh.model.MetaFile> meta = new java.util.TreeMap<>(snap.meta());
    r.dropped().forEach(old -> meta.remove(old + ".json"));
    var dropped = snap.withMeta(meta).withVersion(snap.version() + 1);
    byte[] snapFile = signed(b, now, "snapshot", dropped);
    Files.write(repo.resolve("metadata/" + dropped.version() + ".snapshot.json"), snapFile);
    var ts = now.published().timestamp().orElseThrow().signed();
    var ts2 = ts.withVersion(ts.version() + 1).withSnapshot(new dev.tufsh.model.MetaFile(dropped.version(),
        (long) snapFile.length, Map.of("sha256", Hex.encode(Crypto.sha256(snapFile))), Map.of()));
    Files.write(repo.resolve("metadata/timestamp.json"), signed(b, now, "timestamp", ts2));

    for (TufClient c : clients) {
      try (StaticHttpServer server = StaticHttpServer.serve(repo)) {
        TufClient.Result returning = c.refresh(server, shipped, tmp.resolve("cache-" + c)).target(path)
            .out(tmp.resolve("out-" + c)).run();
        assertFalse(returning.ok(), c + " took a snapshot that drops a name it trusted: " + returning);
        assertTrue(returning.error().contains("bins-"), returning.toString());
        TufClient.Result fresh = c.refresh(server, shipped, tmp.resolve("new-cache-" + c)).target(path)
            .out(tmp.resolve("new-out-" + c)).run();
        assertTrue(fresh.ok(), "a new client: " + fresh);
      }
    }
  }

  private static byte[] signed(Workbench b, dev.tufsh.repo.Repository repo, String role,
      dev.tufsh.model.Signed content) {
    byte[] canonical = dev.tufsh.model.MetadataCodec.canonicalSigned(content);
    List<dev.tufsh.crypto.Signer> signers = new ArrayList<>();
    repo.keysFor(role).keys().values().forEach(k -> b.keys().signerFor(k).ifPresent(signers::add));
    return dev.tufsh.model.MetadataCodec.fileBytes(canonical, dev.tufsh.model.Signatures.signAll(canonical, signers),
        content);
  }

  /** Refreshes {@code c} from its own cache and downloads {@code paths}, which must match their bytes. */
  private void fetch(TufClient c, Path repo, Path shipped, List<String> paths, Map<String, byte[]> content,
      String when) {
    try (StaticHttpServer server = StaticHttpServer.serve(repo)) {
      TufClient.Refresh run = c.refresh(server, shipped, tmp.resolve("cache-" + c)).out(tmp.resolve("out-" + c));
      for (String p : paths) {
        run = run.target(p);
      }
      TufClient.Result r = run.run();
      assertTrue(r.ok(), when + ": " + r);
      List<TufClient.Target> want = new ArrayList<>();
      for (String p : paths) {
        want.add(new TufClient.Target(p, content.get(p).length, Hex.encode(Crypto.sha256(content.get(p)))));
      }
      assertEquals(want, r.targets(), when);
    }
  }
}
