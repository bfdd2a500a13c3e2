package dev.tufsh.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.file.FileKeyStore;
import dev.tufsh.keys.file.ScryptParams;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.Signature;
import dev.tufsh.ops.OfflineSigning;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.Timestamp;
import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Resign;
import dev.tufsh.ops.Revoke;
import dev.tufsh.ops.Rotate;
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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every peer client (python-tuf, go-tuf, tough, tuf-js) against the engine's output on each bin
 * layout: after every operation the tuf-js acceptance tests cover, each client updates from the
 * state it trusted before (its cache kept across publishes) and from a fresh install (shipped
 * {@code 1.root.json}), and downloads a target; at the end each refuses every tampered file.
 *
 * <p>What a client cannot read is asserted as such, from the clients' own code: tough has no
 * {@code succinct_roles}, and go-tuf v2 (through 2.4.2) matches {@code path_hash_prefixes}
 * against a base64 digest, so a target behind tufsh's hex-prefix {@code bins} delegation is not
 * found (unless its base64 digest happens to start with a hex digit). The results, client by
 * layout by operation, go to {@code target/interop/clients.md}.
 */
class EnginePeerClientsTest {
  static final String TARGET = "packages/hello-1.0.tar.gz";
  /** A target at the top of targets/: the only kind tough fetches from a consistent-snapshot repository. */
  static final String TOP = "hello-top-1.0.tar.gz";
  static final byte[] CONTENT = "hello from the tufsh engine\n".getBytes(StandardCharsets.UTF_8);
  static final List<TufClient> CLIENTS = List.of(TufClient.PYTHON_TUF, TufClient.GO_TUF, TufClient.TOUGH,
      TufClient.TUF_JS);
  private static final Map<String, String> TABLE = new LinkedHashMap<>();

  /** How a client fares on a layout, by design of the client. */
  enum Support {
    /** Refreshes and downloads. */
    FULL,
    /**
     * Refreshes and downloads targets at the top of targets/ only: tough (0.24) fetches
     * {@code HASH.dir/name} where the spec (and every other client) has {@code dir/HASH.name}.
     */
    TOP_FOLDER_ONLY,
    /** Refreshes the top-level roles, but the target is not found through the bins. */
    NO_TARGET,
    /** Refuses the repository (cannot parse a delegation). */
    NONE
  }

  /** A bin layout of the engine and what each client makes of it. */
  record Layout(String name, Init.Request request, Map<TufClient, Support> support) {
    Support of(TufClient c) {
      return support.getOrDefault(c, Support.FULL);
    }
  }

  static Stream<Arguments> layouts() {
    return Stream.of(
        Arguments.of(new Layout("succinct", threeRootKeys(Init.Request.defaults().withBins(16)),
            Map.of(TufClient.TOUGH, Support.NONE, TufClient.GO_TUF, Support.NO_TARGET))),
        Arguments.of(new Layout("hash-prefix", threeRootKeys(Init.Request.defaults().withBins(16).withLayout(false)),
            Map.of(TufClient.GO_TUF, Support.NO_TARGET, TufClient.TOUGH, Support.TOP_FOLDER_ONLY))),
        // No path_hash_prefixes on the way: go-tuf finds every target.
        Arguments.of(new Layout("rstuf", threeRootKeys(Init.Request.defaults().withBins(16).withRstufLayout()),
            Map.of(TufClient.TOUGH, Support.NONE))));
  }

  /** Root with 3 keys, threshold 2. */
  static Init.Request threeRootKeys(Init.Request r) {
    return new Init.Request(r.bins(), r.succinct(), r.scheme(), r.onlineScheme(), 3, 2, r.targetsKeys(),
        r.targetsThreshold(), r.settings(), r.flat());
  }

  /** One repository operation, run through the ops API before a publish. */
  record Step(String name, Consumer<Workbench> op) {}

  @TempDir Path tmp;

  private Path repoDir() {
    return tmp.resolve("repo");
  }

  private Path meta(String name) {
    return repoDir().resolve("metadata").resolve(name);
  }

  private List<Step> steps(Path content) {
    return List.of(
        new Step("init + target add", b -> {}),
        new Step("bump bins", b -> Resign.bump(b, new Resign.Selection(List.of(firstBin(b).replaceAll("-[0-9a-f]+$",
            "-*")), null, null),
            new Resign.NewExpiry(null, Duration.ofDays(30)))),
        new Step("resign targets, bins", b -> Resign.resign(b, new Resign.Selection(
            b.repository().roleNames().contains("bins") ? List.of("targets", "bins") : List.of("targets"), null,
            null))),
        // Root starts with 2 of 3 keys; one is replaced and the threshold raised to 3 of 3.
        new Step("rotate root key, 2 of 3 -> 3 of 3", b -> Rotate.run(b, new Rotate.Request("root", "root-1", null,
            null, 3))),
        new Step("rotate timestamp + snapshot keys", b -> {
          Rotate.run(b, new Rotate.Request("timestamp", null, null, null, 0));
          Rotate.run(b, new Rotate.Request("snapshot", null, null, null, 0));
        }),
        new Step("rotate bin key", b -> Rotate.run(b, new Rotate.Request(firstBin(b), null, null, null, 0))),
        new Step("revoke bin key", b -> {
          String bin = TargetOps.remove(b, List.of(TARGET)).roleByPath().get(TARGET);
          Publishing.discard(b);
          Key k = b.repository().keysFor(bin).keys().values().iterator().next();
          Revoke.run(b, new Revoke.Request(k.keyId(), null, null, true, null));
        }),
        new Step("target remove + add again", b -> {
          TargetOps.remove(b, List.of(TARGET));
          Publishing.publish(b);
          TargetOps.add(b, List.of(TargetSpec.ofFile(TARGET, content)));
        }),
        new Step("targets signed offline (sign export / import)", this::signTargetsOffline));
  }

  /**
   * The targets key leaves the key store; targets is re-signed with it from its own store on the
   * "offline machine", through sign export / sign import, then the key comes back.
   */
  private void signTargetsOffline(Workbench b) {
    try {
      Path offline = tmp.resolve("offline-keys");
      Files.createDirectories(offline);
      Path keyFile = repoDir().resolve(".tufsh/keys/targets-1.key.json");
      Files.move(keyFile, offline.resolve("targets-1.key.json"));
      Workbench without = Benches.at(repoDir());
      Resign.resign(without, new Resign.Selection(List.of("targets"), null, null));
      List<Path> exported = OfflineSigning.export(without, List.of("targets"), tmp.resolve("to-sign"));
      FileKeyStore store = new FileKeyStore(offline, (p, c) -> new Secret(Benches.PASSPHRASE.toCharArray()),
          ScryptParams.withLog2N(10));
      Key key = store.find("targets-1").orElseThrow().key();
      Signer signer = store.signerFor(key).orElseThrow();
      Path file = exported.get(0);
      Metadata<? extends dev.tufsh.model.Signed> md = MetadataCodec.decode(Files.readAllBytes(file), file.toString());
      List<Signature> sigs = new ArrayList<>(md.signatures());
      sigs.add(new Signature(key.keyId(), Hex.encode(signer.sign(MetadataCodec.canonicalSigned(md.signed())))));
      Files.write(file, MetadataCodec.fileBytes(md.withSignatures(sigs)));
      assertTrue(OfflineSigning.importSignatures(without, List.of(file)).used() > 0);
      Files.move(offline.resolve("targets-1.key.json"), keyFile);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** bin-0 (tufsh's layouts) or bins-0 (RSTUF's). */
  private static String firstBin(Workbench b) {
    return b.repository().roleNames().stream().filter(r -> r.matches("bins?-[0-9a-f]+")).findFirst().orElseThrow();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void every_client_follows_every_operation_and_refuses_tampering(Layout layout) throws IOException {
    Workbench b = Benches.at(repoDir());
    Init.run(b, layout.request());
    Path content = tmp.resolve("hello-1.0.tar.gz");
    Files.write(content, CONTENT);
    TargetOps.add(b, List.of(TargetSpec.ofFile(TARGET, content), TargetSpec.ofFile(TOP, content)));
    Path shipped = tmp.resolve("shipped-root.json");
    try (StaticHttpServer server = StaticHttpServer.serve(repoDir())) {
      int n = 0;
      for (Step step : steps(content)) {
        step.op().accept(b);
        Publishing.publish(b);
        if (n == 0) {
          Files.copy(meta("1.root.json"), shipped, StandardCopyOption.REPLACE_EXISTING);
        }
        n++;
        int step1 = n;
        // The clients are separate processes, mostly waiting on start-up and loopback I/O: run them together.
        inParallel(CLIENTS, c -> {
          String kept = check(layout, c, client(layout, c, server, shipped, tmp.resolve("cache-" + c)), "kept cache");
          String fresh = step1 == 1 ? kept
              : check(layout, c, client(layout, c, server, shipped, tmp.resolve("fresh-" + step1 + "-" + c)), "fresh");
          if (step1 == 1 && layout.of(c) == Support.TOP_FOLDER_ONLY) {
            TufClient.Result r = c.refresh(server, shipped, tmp.resolve("folder-" + c)).target(TARGET).run();
            assertFalse(r.ok(), r.toString());
            assertTrue(r.error().contains("/targets/" + Hex.encode(Crypto.sha256(CONTENT)) + "." + TARGET), r.toString());
          }
          record(c, layout, step.name(), kept.equals(fresh) ? kept : kept + " (fresh: " + fresh + ")");
        });
      }
    }
    for (Tamper tamper : tampered()) {
      Path evil = tmp.resolve("evil-" + tamper.file().replaceAll("[^a-z]", ""));
      EngineTufJsTest.copyTree(repoDir(), evil);
      tamper.edit().accept(evil);
      try (StaticHttpServer server = StaticHttpServer.serve(evil)) {
        inParallel(CLIENTS, c -> {
          Support s = layout.of(c);
          if (s == Support.NONE || (s == Support.NO_TARGET && !tamper.topLevel())) {
            record(c, layout, "tampered " + tamper.file(), "n/a (not read)");
            return;
          }
          TufClient.Refresh refresh = client(layout, c, server, shipped, tmp.resolve("evil-cache-" + evil.getFileName()
              + c));
          TufClient.Result r = refresh.run();
          assertFalse(r.ok(), c + " accepted " + tamper.file() + ": " + r);
          record(c, layout, "tampered " + tamper.file(), "refused");
        });
      }
    }
  }

  /** Runs {@code body} for every client at once; the first failure is rethrown as it was. */
  private static void inParallel(List<TufClient> clients, Consumer<TufClient> body) {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients.size());
    try {
      List<java.util.concurrent.Future<?>> running = new ArrayList<>();
      for (TufClient c : clients) {
        running.add(pool.submit(() -> body.accept(c)));
      }
      for (var f : running) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A refresh by {@code c}, asking for the targets the client can reach on the layout. */
  private TufClient.Refresh client(Layout layout, TufClient c, StaticHttpServer server, Path shipped, Path cache) {
    TufClient.Refresh r = c.refresh(server, shipped, cache).out(cache.resolveSibling(cache.getFileName() + "-out"));
    return switch (layout.of(c)) {
      case FULL -> r.target(TARGET).target(TOP);
      case TOP_FOLDER_ONLY -> r.target(TOP);
      case NO_TARGET -> r.target(TARGET);
      case NONE -> r;
    };
  }

  /** Runs one refresh and asserts what the client's support for the layout predicts; says what happened. */
  private String check(Layout layout, TufClient c, TufClient.Refresh refresh, String from) {
    TufClient.Result r = refresh.run();
    String where = c + " on " + layout.name() + " from a " + from + ": " + r;
    switch (layout.of(c)) {
      case FULL, TOP_FOLDER_ONLY -> {
        assertTrue(r.ok(), where);
        List<TufClient.Target> want = new ArrayList<>();
        for (String t : refresh.targets()) {
          want.add(new TufClient.Target(t, CONTENT.length, Hex.encode(Crypto.sha256(CONTENT))));
        }
        assertEquals(want, r.targets(), where);
        return layout.of(c) == Support.FULL ? "ok" : "ok for targets at the top; refused in folders (fetches HASH.dir/name)";
      }
      case NO_TARGET -> {
        assertFalse(r.ok(), where);
        assertTrue(r.error().contains("target '" + TARGET + "' is not listed"), where);
        // Refresh got through: the client's cache holds the new timestamp.
        assertTrue(Files.isRegularFile(refresh.cache().resolve("timestamp.json")), where);
        return "top-level only (target not found)";
      }
      case NONE -> {
        assertFalse(r.ok(), where);
        assertTrue(r.error().contains("succinct") || r.error().contains("unknown field")
            || r.error().contains("missing field"), where);
        return "refused (no succinct_roles)";
      }
      default -> throw new IllegalStateException();
    }
  }

  /** A published file an attacker changes; top-level ones every client reads on refresh. */
  record Tamper(String file, boolean topLevel, Consumer<Path> edit) {}

  /** Each published file an attacker might change, and how. */
  private List<Tamper> tampered() throws IOException {
    Metadata<Timestamp> ts = MetadataCodec.decode(Files.readAllBytes(meta("timestamp.json")), "timestamp.json",
        Timestamp.class);
    int snapV = ts.signed().snapshot().version();
    Metadata<Snapshot> snap = MetadataCodec.decode(Files.readAllBytes(meta(snapV + ".snapshot.json")), "snapshot",
        Snapshot.class);
    List<Tamper> out = new ArrayList<>();
    out.add(new Tamper("timestamp.json", true, dir -> edit(dir.resolve("metadata/timestamp.json"))));
    out.add(new Tamper("snapshot", true, dir -> edit(dir.resolve("metadata/" + snapV + ".snapshot.json"))));
    out.add(new Tamper("targets", true, dir -> edit(dir.resolve("metadata/" + snap.signed().entry("targets").version()
        + ".targets.json"))));
    for (String role : snap.signed().meta().keySet()) {
      String name = role.replace(".json", "");
      String file = snap.signed().entry(name).version() + "." + name + ".json";
      String text = Files.readString(meta(file), StandardCharsets.UTF_8);
      if (name.equals("targets") || !(name.equals("bins") || text.contains(TARGET) || text.contains(TOP))) {
        continue;
      }
      // Only the delegated files the target's lookup reads: bins, and the target's bin.
      out.add(new Tamper(name, false, dir -> edit(dir.resolve("metadata/" + file))));
    }
    out.add(new Tamper("target file", false, dir -> {
      try (Stream<Path> files = Files.walk(dir.resolve("targets"))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Files.writeString(f, "evil content of the same size!\n".substring(0, CONTENT.length), StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }));
    return out;
  }

  /** Changes the expiry year inside {@code signed}: still valid JSON, no longer what was signed or hashed. */
  private static void edit(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      String t = s.replaceFirst("\"expires\"\\s*:\\s*\"(\\d{4})", "\"expires\":\"2099");
      assertFalse(s.equals(t), "nothing to tamper with in " + file);
      Files.writeString(file, t, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static synchronized void record(TufClient c, Layout layout, String op, String result) {
    TABLE.merge(c + " | " + layout.name() + " | " + op, result, (a, b) -> a.equals(b) ? a : a + "; " + b);
  }

  @AfterAll
  static void writeTable() throws IOException {
    List<String> lines = new ArrayList<>(List.of("| client | layout | operation | result |", "|---|---|---|---|"));
    TABLE.forEach((k, v) -> lines.add("| " + k + " | " + v + " |"));
    Path out = Path.of(System.getProperty("basedir", "."), "target", "interop", "clients.md");
    Files.createDirectories(out.getParent());
    Files.write(out, lines, StandardCharsets.UTF_8);
  }
}
