package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Pem;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Root;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.Settings;
import dev.tufsh.repo.Workspace;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.CliRepo;
import dev.tufsh.testing.JsonResults;
import dev.tufsh.testing.PassphraseFiles;
import dev.tufsh.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code lint} through the command line: a clean PEP 458 repository (root 2 of 3, one target with
 * sha256 and sha512, the shipped refresh windows) trips no rule, and each fixture, the clean one
 * with one mistake made the way an operator would make it (a command, a settings edit, or a staged
 * change no tufsh command writes but an adopted repository can hold), trips exactly its rule.
 * Findings at error level exit 3.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LintTest {
  static final String[] CLEAN_INIT = {"init", "--bins", "8", "--root-keys", "3", "--root-threshold", "2"};

  Path dir;
  Path clean;
  Path pass;
  int copies;

  @BeforeAll
  void cleanRepository(@TempDir Path tmp) throws IOException {
    dir = tmp;
    pass = PassphraseFiles.write(dir.resolve("pass"), Benches.PASSPHRASE + "\n");
    clean = dir.resolve("clean");
    Path file = Files.writeString(dir.resolve("demo-1.0.tar.gz"), "demo\n");
    CliRepo r = new CliRepo(clean, pass);
    r.run(CLEAN_INIT).assertOk();
    r.run("target", "add", "--prefix", "packages", file.toString()).assertOk();
    r.run("publish").assertOk();
  }

  /** A mistake made to a fresh copy of the clean repository. */
  interface Damage {
    void apply(LintTest t, CliRepo r) throws Exception;
  }

  record Case(String name, Damage damage, List<String> rules) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case trips(String name, Damage d, String... rules) {
    return new Case(name, d, List.of(rules));
  }

  static Stream<Case> cases() {
    return Stream.of(
        trips("clean PEP 458 repository", (t, r) -> {}),
        trips("targets signed by the online timestamp key",
            (t, r) -> r.run("rotate", "targets", "--new", "timestamp-1").assertOk(), "TUF-L001"),
        trips("targets key held in Vault Transit (OpenBao)", LintTest::vaultTargets, "TUF-L001"),
        trips("targets shares a root key", (t, r) -> r.run("rotate", "targets", "--new", "root-1").assertOk(),
            "TUF-L002"),
        trips("root threshold 1", (t, r) -> stageRoot(r, root -> root.withRole(RoleType.ROOT,
            root.role(RoleType.ROOT).keyids(), 1, Map.of())), "TUF-L003"),
        trips("targets threshold 2, one usable key", (t, r) -> stageRoot(r, root -> {
          Key ed448 = new Key("ed448", "ed448", "ab".repeat(57), Map.of(), Map.of());
          List<String> ids = new ArrayList<>(root.role(RoleType.TARGETS).keyids());
          ids.add(ed448.keyId());
          return root.withRole(RoleType.TARGETS, ids, 2, Map.of(ed448.keyId(), ed448));
        }), "TUF-L004"),
        trips("timestamp window shorter than the cadence", (t, r) -> settings(r,
            s -> s.withRefreshWindow("timestamp", Duration.ofMinutes(10))), "TUF-L005"),
        trips("timestamp window leaves under 6h for an outage", (t, r) -> settings(r,
            s -> s.withRefreshWindow("timestamp", Duration.ofHours(3))), "TUF-L006"),
        trips("snapshot window as long as its expiry", (t, r) -> settings(r,
            s -> s.withRefreshWindow("snapshot", Duration.ofDays(1))), "TUF-L007"),
        trips("2 bins for 2800 targets", LintTest::crowdedBins, "TUF-L008"),
        trips("512 bins for one target", LintTest::emptyBins, "TUF-L009"),
        trips("a target listed by md5", LintTest::md5Target, "TUF-L010"),
        trips("a target with sha512 only", (t, r) -> r.run("target", "add", "--path", "packages/only-512.tar.gz",
            "--length", "3", "--sha512", "ab".repeat(64)).assertOk(), "TUF-L011"),
        trips("target_hashes without sha256", (t, r) -> settings(r, s -> s.withTargetHashes(List.of("sha512"))),
            "TUF-L011"),
        // A 1024-bit key no client verifies: too short, and snapshot's threshold cannot be met with it.
        trips("snapshot key RSA-1024 (adopted)", (t, r) -> stageRoot(r, root -> root.withRole(RoleType.SNAPSHOT,
            List.of(rsa(1024).keyId()), 1, Map.of(rsa(1024).keyId(), rsa(1024)))), "TUF-L004", "TUF-L012"),
        trips("snapshot key RSA-2048", LintTest::rsa2048Snapshot, "TUF-L013"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void each_fixture_trips_exactly_its_rule(Case c) throws Exception {
    linted = null;
    CliRepo copy = copyOfClean();
    c.damage().apply(this, copy);
    CliRepo r = linted != null ? linted : copy;
    Cli.Result out = r.run("--json", "lint");
    JsonNode result = JsonResults.result(out.out());
    TreeSet<String> rules = new TreeSet<>();
    boolean error = false;
    for (JsonNode f : result.get("findings")) {
      rules.add(f.get("rule").asText());
      error |= f.get("severity").asText().equals("error");
      assertTrue(!f.get("fix").asText().isBlank() && !f.get("role").asText().isBlank(), f.toString());
    }
    assertEquals(new TreeSet<>(c.rules()), rules, out.out());
    assertEquals(error ? 3 : 0, out.status(), out.toString());
    assertEquals(error ? 1 : 0, Math.min(1, result.get("errors").asInt()));
  }

  private CliRepo copyOfClean() throws IOException {
    return new CliRepo(Trees.copy(clean, dir.resolve("copy-" + copies++)), pass);
  }

  /** Stages a root no tufsh command writes (as an adopted repository can hold), signed by the keys at hand. */
  static void stageRoot(CliRepo r, UnaryOperator<Root> edit) {
    Workbench b = Benches.at(r.repo());
    try (PublishLock lock = b.lock()) {
      Repository repo = b.repository();
      repo.stage("root", edit.apply(repo.root()));
      repo.save();
    }
  }

  static void settings(CliRepo r, UnaryOperator<Settings> edit) throws IOException {
    Workspace ws = Workspace.open(r.repo());
    Files.write(ws.settingsFile(), edit.apply(ws.settings()).toBytes());
  }

  /** Every bin over PEP 458's tenfold margin: 2 bins, 2800 targets (kept elsewhere, listed by sha256). */
  static void crowdedBins(LintTest t, CliRepo unused) throws IOException {
    CliRepo r = new CliRepo(t.dir.resolve("crowded"), t.pass);
    List<String> init = new ArrayList<>(List.of(CLEAN_INIT));
    init.set(2, "2");
    r.run(init.toArray(String[]::new)).assertOk();
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < 2800; i++) {
      list.append("packages/p").append(i).append(".tar.gz 3 ").append("ab".repeat(32)).append('\n');
    }
    Path file = Files.writeString(t.dir.resolve("crowded.list"), list);
    r.run("target", "add", "--list", file.toString()).assertOk();
    t.linted = r;
  }

  static void emptyBins(LintTest t, CliRepo unused) {
    CliRepo r = new CliRepo(t.dir.resolve("sparse"), t.pass);
    List<String> init = new ArrayList<>(List.of(CLEAN_INIT));
    init.set(2, "512");
    r.run(init.toArray(String[]::new)).assertOk();
    r.run("target", "add", "--path", "packages/one.tar.gz", "--length", "3", "--sha256", "ab".repeat(32),
        "--sha512", "cd".repeat(64)).assertOk();
    t.linted = r;
  }

  /** A fixture that is a repository of its own (its bin count is fixed at init) puts it here. */
  CliRepo linted;

  /** The published target gains an md5 entry in its own bin (foreign tools have written such). */
  static void md5Target(LintTest t, CliRepo r) {
    String role = JsonResults.result(r.run("--json", "target", "show", "packages/demo-1.0.tar.gz").assertOk().out())
        .get("role").asText();
    Workbench b = Benches.at(r.repo());
    try (PublishLock lock = b.lock()) {
      Repository repo = b.repository();
      Targets bin = repo.requireTargets(role);
      Map<String, TargetFile> targets = new HashMap<>(bin.targets());
      TargetFile f = targets.get("packages/demo-1.0.tar.gz");
      Map<String, String> hashes = new HashMap<>(f.hashes());
      hashes.put("md5", "0".repeat(32));
      targets.put("packages/demo-1.0.tar.gz", new TargetFile(f.length(), hashes));
      repo.stage(role, bin.withTargets(targets));
      repo.save();
    }
  }

  /** A real OpenBao Transit key registered and made the targets key (the server is gone when lint runs). */
  static void vaultTargets(LintTest t, CliRepo r) throws Exception {
    try (dev.tufsh.testing.OpenBao bao = new dev.tufsh.testing.OpenBao(t.dir.resolve("bao-" + t.copies))) {
      bao.createKey("tuf-targets", "ed25519");
      Path token = PassphraseFiles.write(t.dir.resolve("bao-token-" + t.copies), bao.rootToken() + "\n");
      r.run("key", "add-vault", "--key", "tuf-targets", "--address", bao.address(), "--token-file",
          token.toString(), "--name", "vault-targets").assertOk();
      r.run("rotate", "targets", "--new", "vault-targets").assertOk();
    }
  }

  static void rsa2048Snapshot(LintTest t, CliRepo r) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    Path pem = t.dir.resolve("rsa2048-" + t.copies + ".pem");
    Files.writeString(pem, Pem.encode("PRIVATE KEY", g.generateKeyPair().getPrivate().getEncoded()));
    r.run("key", "import", pem.toString(), "--name", "rsa-2048").assertOk();
    r.run("rotate", "snapshot", "--new", "rsa-2048").assertOk();
  }

  private static final Map<Integer, Key> RSA = new HashMap<>();

  static synchronized Key rsa(int bits) {
    return RSA.computeIfAbsent(bits, b -> {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(b);
        return new Key("rsa", "rsassa-pss-sha256", Pem.encode("PUBLIC KEY",
            g.generateKeyPair().getPublic().getEncoded()), Map.of(), Map.of());
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    });
  }
}
