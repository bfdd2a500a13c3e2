package dev.tufsh.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.json.Json;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.StaticHttpServer;
import dev.tufsh.testing.TufClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every file in {@code examples/} with {@code tufsh run FILE} on a copy of a fresh published
 * repository (init --bins 16, a passphrase file), checks what it changed, then lets tuf-js, which
 * trusted the repository before the runbook ran (root v1 and a warm cache), refresh and download a
 * target. An example without a case below fails, so every example stays tested.
 */
class ExamplesTest {
  /**
   * How to run one example (its --var values) and what it must have changed. An incident example
   * also says what happened before it runs ({@code incident}: after the client's first refresh; it
   * returns more --var values) and what a second client sees after it ({@code aftermath}).
   */
  record Case(Map<String, String> vars, Check check, Incident incident, Incident aftermath) {
    Case(Map<String, String> vars, Check check) {
      this(vars, check, null, null);
    }
  }

  @FunctionalInterface
  interface Incident {
    Map<String, String> happen(Path repo, StaticHttpServer server, Path work) throws Exception;
  }

  @FunctionalInterface
  interface Check {
    void verify(Path before, Path after, Cli.Result run) throws IOException;
  }

  static final Map<String, Case> CASES = Map.of(
      "key-compromise-recovery.tufsh", new Case(Map.of("BIN_KEY", "bin-n-1", "CHECKPOINT_KEY", "targets-1"),
          KeyCompromise::check, KeyCompromise::strike, KeyCompromise::aftermath),
      "compromised-bin-key.tufsh", new Case(Map.of("BIN_KEY", "bin-n-1"), (before, after, run) -> {
        JsonNode oldBins = delegations(before, "bins");
        JsonNode newBins = delegations(after, "bins");
        assertNotEquals(oldBins.path("succinct_roles").path("keyids"), newBins.path("succinct_roles").path("keyids"),
            "the bins trust a new key");
        assertEquals(1, newBins.path("succinct_roles").path("keyids").size());
        assertEquals(2, version(after, "bins"), "bins re-signed as a new version");
        for (int i = 0; i < 16; i++) {
          String bin = "bin-" + Integer.toHexString(i);
          assertTrue(version(after, bin) > version(before, bin), bin + " re-signed as a new version");
        }
      }),
      "compromised-online-key.tufsh", new Case(Map.of("LEAKED_KEY", "timestamp-1"), (before, after, run) -> {
        JsonNode oldRoles = root(before).path("roles");
        JsonNode newRoles = root(after).path("roles");
        assertEquals(2, root(after).path("version").asInt(), "one new root version holds both rotations");
        for (String role : List.of("timestamp", "snapshot")) {
          assertNotEquals(oldRoles.path(role).path("keyids"), newRoles.path(role).path("keyids"), role + " key rotated");
        }
        assertNotEquals(newRoles.path("timestamp").path("keyids"), newRoles.path("snapshot").path("keyids"),
            "timestamp and snapshot end with keys of their own");
        assertEquals(oldRoles.path("root"), newRoles.path("root"), "root keys untouched");
      }),
      "root-rotation.tufsh", new Case(Map.of("OLD_ROOT_KEY", "root-1"), (before, after, run) -> {
        JsonNode oldRoot = root(before).path("roles").path("root");
        JsonNode newRoot = root(after).path("roles").path("root");
        assertEquals(2, newRoot.path("threshold").asInt(), "2-of-3");
        assertEquals(3, newRoot.path("keyids").size(), "2-of-3");
        String oldKey = oldRoot.path("keyids").get(0).asText();
        newRoot.path("keyids").forEach(k -> assertNotEquals(oldKey, k.asText(), "the old root key is gone"));
        assertTrue(Files.exists(after.resolve("metadata/2.root.json")), "root v2 published beside v1");
        assertTrue(Files.exists(after.resolve("metadata/1.root.json")), "root v1 kept for clients walking the chain");
      }),
      "reshape-bins.tufsh", new Case(Map.of("BINS", "64"), (before, after, run) -> {
        assertEquals(6, delegations(after, "bins").path("succinct_roles").path("bit_length").asInt(), "64 bins");
        assertEquals(version(before, "bins") + 1, version(after, "bins"), "bins re-signed");
        for (String bin : List.of("bin-00", "bin-3f")) {
          assertEquals(1, version(after, bin), bin + " published");
        }
        assertEquals(version(before, "bin-0"), version(after, "bin-0"), "the old bins stay listed, untouched");
        assertTrue(run.out().contains("bytes a client fetches to resolve one target"), run.out());
      }),
      "root-key-ceremony.tufsh", new Case(Map.of("WORK", "{SCRATCH}"), (before, after, run) -> {
        JsonNode oldRoot = root(before).path("roles").path("root");
        JsonNode newRoot = root(after).path("roles").path("root");
        assertEquals(2, newRoot.path("threshold").asInt(), "2-of-3");
        assertEquals(3, newRoot.path("keyids").size(), "2-of-3");
        newRoot.path("keyids").forEach(k -> assertNotEquals(oldRoot.path("keyids").get(0).asText(), k.asText(),
            "the admin's root key is gone"));
        assertEquals(2, root(after).path("version").asInt());
        assertTrue(run.out().contains("sha256 of the signed bytes: "), run.out());
        assertTrue(run.out().contains("signatures added now: alice, bob"), run.out());
        JsonNode v2 = Json.parse(Files.readAllBytes(after.resolve("metadata/2.root.json")), "2.root.json");
        assertEquals(3, v2.path("signatures").size(), "the old root key and two holders signed");
      }),
      "weekly-expiry-bump.tufsh", new Case(Map.of(), (before, after, run) -> {
        assertEquals(version(before, "timestamp") + 1, version(after, "timestamp"));
        for (int i = 0; i < 16; i++) {
          String bin = "bin-" + Integer.toHexString(i);
          assertEquals(version(before, bin) + 1, version(after, bin), bin + " bumped");
        }
        assertEquals(1, version(after, "root"), "root expires in a year: not bumped");
      }),
      "expiry-report.jsh", new Case(Map.of(), (before, after, run) -> {
        assertTrue(run.out().contains("Expiry report for "), run.out());
        assertTrue(run.out().matches("(?s).*\\n  timestamp  v2 .*"), "timestamp listed: " + run.out());
        assertTrue(run.out().contains("(soonest of 16 bins)"), run.out());
        assertTrue(run.out().contains("18 role(s) expire within 7 days"), run.out());
        assertTrue(run.out().contains("renewed 18 role(s); published timestamp v3"), run.out());
        assertEquals(version(before, "timestamp") + 1, version(after, "timestamp"));
      }));

  @TempDir static Path tmp;
  static RunbookRepos repos;

  @BeforeAll
  static void base() throws IOException {
    repos = RunbookRepos.create(tmp);
  }

  static Path examples() {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "examples");
  }

  static List<String> exampleFiles() throws IOException {
    try (Stream<Path> s = Files.list(examples())) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".tufsh") || n.endsWith(".jsh"))
          .sorted()
          .toList();
    }
  }

  @Test
  void every_example_has_a_case_and_every_case_an_example() throws IOException {
    assertEquals(new TreeSet<>(CASES.keySet()), new TreeSet<>(exampleFiles()));
    assertTrue(Files.isRegularFile(examples().resolve("README.md")));
  }

  @Test
  void every_example_says_when_to_use_it_and_which_section_it_follows() throws IOException {
    for (String name : exampleFiles()) {
      String head = Files.readString(examples().resolve(name)).lines().limit(12).reduce("", (a, b) -> a + b + "\n");
      assertTrue(head.contains("When to use this"), name + " starts with when to use it");
      assertTrue(head.contains("PEP 458") && head.contains("tuf-reference.md section"), name + " names its sources");
    }
  }

  @TestFactory
  List<DynamicTest> each_example_runs_and_tuf_js_follows() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : exampleFiles()) {
      tests.add(DynamicTest.dynamicTest(name, () -> runExample(name)));
    }
    return tests;
  }

  private void runExample(String name) throws Exception {
    Case c = CASES.get(name);
    assertTrue(c != null, "examples/" + name + " has no case in ExamplesTest.CASES");
    Path repo = repos.copy(tmp.resolve("run-" + name));
    Path cache = tmp.resolve("cache-" + name);
    try (StaticHttpServer server = StaticHttpServer.serve(repo)) {
      // A client that trusted the repository before the incident: root v1, timestamp cached.
      TufClient.Result first = refresh(server, cache, "out-before-" + name);
      assertTrue(first.ok(), first.toString());

      Map<String, String> vars = new java.util.TreeMap<>(c.vars());
      Path work = tmp.resolve("work-" + name);
      if (c.incident() != null) {
        vars.putAll(c.incident().happen(repo, server, work));
        // The tuf-js client follows the attacker's publish: it saw the malicious target.
        TufClient.Result seen = refresh(server, cache, "out-attacked-" + name);
        assertTrue(seen.ok(), seen.toString());
        assertEquals(KeyCompromise.EVIL_SHA256, seen.targets().get(0).sha256(), seen.toString());
      }
      List<String> args = new ArrayList<>(List.of("run", examples().resolve(name).toString()));
      // {SCRATCH}: a folder of this run's own, outside the repository (key holders' stores, files).
      Path scratch = Files.createDirectories(tmp.resolve("scratch-" + name));
      vars.forEach((k, v) -> args.addAll(List.of("--var", k + "=" + v.replace("{SCRATCH}", scratch.toString()))));
      Cli.Result run = repos.cli(repo, args.toArray(String[]::new)).assertOk();
      c.check().verify(repos.base, repo, run);
      if (c.aftermath() != null) {
        c.aftermath().happen(repo, server, work);
      }

      TufClient.Result r = refresh(server, cache, "out-" + name);
      assertTrue(r.ok(), name + ": " + r);
      assertEquals(List.of(new TufClient.Target(RunbookRepos.TARGET, RunbookRepos.CONTENT.length,
          Hex.encode(Crypto.sha256(RunbookRepos.CONTENT)))), r.targets(), r.toString());
    }
  }

  private TufClient.Result refresh(StaticHttpServer server, Path cache, String out) {
    return TufClient.TUF_JS.refresh(server.url("metadata/"), repos.base.resolve("metadata/1.root.json"), cache)
        .targetsUrl(server.url("targets/"))
        .target(RunbookRepos.TARGET)
        .out(tmp.resolve(out))
        .run();
  }

  static JsonNode signed(Path repo, String file) {
    try {
      return Json.parse(Files.readAllBytes(repo.resolve("metadata").resolve(file)), file).path("signed");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode root(Path repo) {
    return signed(repo, "root.json");
  }

  /** The published version of {@code role}: from timestamp, snapshot or root as clients find it. */
  static int version(Path repo, String role) {
    JsonNode ts = signed(repo, "timestamp.json");
    if (role.equals("timestamp")) {
      return ts.path("version").asInt();
    }
    if (role.equals("root")) {
      return root(repo).path("version").asInt();
    }
    JsonNode snap = signed(repo, ts.path("meta").path("snapshot.json").path("version").asInt() + ".snapshot.json");
    return snap.path("meta").path(role + ".json").path("version").asInt();
  }

  static JsonNode delegations(Path repo, String role) {
    return signed(repo, version(repo, role) + "." + role + ".json").path("delegations");
  }
}
