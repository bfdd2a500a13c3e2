package dev.tufsh.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.cli.ExitCodes;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.keys.pkcs11.SoftHsm;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.JsonResults;
import dev.tufsh.testing.PassphraseFiles;
import dev.tufsh.testing.StaticHttpServer;
import dev.tufsh.testing.TufClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root key ceremony with three holders, each with a key store of their own in a folder of
 * their own and no repository: alice a file key (she signs in a separate process that exits
 * before anyone else acts, so the ceremony resumes from its folder alone), bob a file key he
 * exports as encrypted PKCS#8 for python-tuf's signer, which signs {@code root.payload}, and carol
 * a softhsm2 PKCS#11 key. Root goes from the 1-of-1 key {@code init} made to 2-of-3, and
 * python-tuf, tuf-js and go-tuf walk from the root they shipped with to the new one.
 */
class RootCeremonyTest {
  static final String TARGET = "pkgs/ceremony-1.0.tar.gz";
  static final byte[] CONTENT = "after the ceremony\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  private Path repo() {
    return tmp.resolve("repo");
  }

  private Cli.Result admin(String... args) {
    return run(List.of("--repo", repo().toString(), "--passphrase-file", tmp.resolve("admin-pass").toString()), args);
  }

  private List<String> holderArgs(String who, String... args) {
    List<String> all = new ArrayList<>(List.of("--repo", tmp.resolve(who + "-home").toString(), "--passphrase-file",
        tmp.resolve(who + "-pass").toString()));
    all.addAll(List.of(args));
    all.addAll(List.of("--keystore", tmp.resolve(who + "-keys").toString()));
    return all;
  }

  private Cli.Result holder(String who, String... args) {
    return Cli.run(holderArgs(who, args).toArray(String[]::new));
  }

  private static Cli.Result run(List<String> global, String... args) {
    List<String> all = new ArrayList<>(global);
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  /** tufsh in a JVM of its own, which exits when the command ends. */
  private Cli.Result inChildProcess(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.tufsh.app.Main"));
    cmd.addAll(args);
    Path out = tmp.resolve("child.out");
    Path err = tmp.resolve("child.err");
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the child tufsh did not end");
    return new Cli.Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private Path publicKey(String who, String name) throws Exception {
    return Files.writeString(tmp.resolve(who + ".pub.json"), holder(who, "key", "export-public", name).assertOk().out(),
        StandardCharsets.UTF_8);
  }

  @Test
  void three_holders_rotate_root_to_2_of_3_and_clients_walk_the_chain() throws Exception {
    PassphraseFiles.write(tmp.resolve("admin-pass"), "admin secret\n");
    PassphraseFiles.write(tmp.resolve("alice-pass"), "alice secret\n");
    PassphraseFiles.write(tmp.resolve("bob-pass"), "bob secret\n");
    PassphraseFiles.write(tmp.resolve("carol-pass"), SoftHsm.PIN + "\n");

    // Each holder makes or registers a key in their own store and hands over the public half.
    holder("alice", "key", "generate", "root-alice").assertOk();
    holder("alice", "key", "generate", "alice-spare").assertOk();
    holder("bob", "key", "generate", "root-bob", "--scheme", "ecdsa").assertOk();
    SoftHsm.get();
    holder("carol", "key", "add-pkcs11", "--module", SoftHsm.MODULE, "--token", SoftHsm.TOKEN, "--label", "ed-1",
        "--name", "root-carol").assertOk();
    Path alicePub = publicKey("alice", "root-alice");
    Path bobPub = publicKey("bob", "root-bob");
    Path carolPub = publicKey("carol", "root-carol");

    admin("init", "--bins", "4", "--layout", "rstuf").assertOk(); // the layout go-tuf finds targets in
    Path f = Files.write(tmp.resolve("ceremony-1.0.tar.gz"), CONTENT);
    admin("target", "add", "--path", TARGET, f.toString()).assertOk();
    admin("--yes", "publish").assertOk();
    Path shipped = Files.copy(repo().resolve("metadata/1.root.json"), tmp.resolve("shipped-root.json"));

    // A threshold above the number of keys is refused before anything is registered or staged.
    Path dir = tmp.resolve("ceremony");
    Cli.Result tooHigh = admin("--yes", "ceremony", "root", "start", dir.toString(), "--holder",
        "alice=" + alicePub, "--holder", "bob=" + bobPub, "--role", "root=alice,bob:3");
    assertEquals(ExitCodes.USAGE, tooHigh.status(), tooHigh.toString());
    assertEquals("tufsh: error: --role root: threshold 3 with 2 key(s); it must be between 1 and the number of keys",
        tooHigh.err().strip());
    assertFalse(Files.exists(dir), "nothing written");
    assertFalse(admin("key", "list").assertOk().out().contains("alice"), "no holder registered");

    Cli.Result started = admin("--yes", "ceremony", "root", "start", dir.toString(), "--holder", "alice=" + alicePub,
        "--holder", "bob=" + bobPub, "--holder", "carol=" + carolPub, "--role", "root=alice,bob,carol:2",
        "--expires", "365d").assertOk();
    assertTrue(started.out().contains("root version 2 (replaces version 1)"), started.out());
    assertTrue(started.out().contains("root: 2 of alice ("), started.out());
    JsonNode root = Json.parse(Files.readAllBytes(dir.resolve("root.json")), "root.json");
    String sha = Hex.encode(Crypto.sha256(CanonicalJson.encode(root.get("signed"))));
    assertTrue(started.out().contains("sha256 of the signed bytes: " + sha), started.out());
    assertArrayEquals(CanonicalJson.encode(root.get("signed")), Files.readAllBytes(dir.resolve("root.payload")));
    assertArrayEquals(Files.readAllBytes(shipped), Files.readAllBytes(dir.resolve("previous.root.json")));

    // Nobody has signed yet: status needs attention, finish refuses and names who is missing.
    Cli.Result waiting = admin("ceremony", "root", "status", dir.toString());
    assertEquals(ExitCodes.ATTENTION, waiting.status(), waiting.toString());
    assertTrue(waiting.out().contains("new root keys (version 2): 0 of 2 signature(s) needed; not yet: alice, bob,"
        + " carol"), waiting.out());
    assertTrue(waiting.out().contains("previous root keys (version 1): 1 of 1"), waiting.out());
    Cli.Result early = admin("--yes", "ceremony", "root", "finish", dir.toString());
    assertEquals(ExitCodes.FAILED, early.status(), early.toString());
    assertTrue(early.err().contains("role 'root' has 0 of 2 required signatures"), early.err());

    // A file changed after the start is refused, the copy left as it was.
    Path changed = tmp.resolve("changed");
    Files.createDirectories(changed);
    for (String n : List.of("ceremony.json", "root.payload", "previous.root.json")) {
      Files.copy(dir.resolve(n), changed.resolve(n));
    }
    JsonNode edited = Json.parse(Files.readAllBytes(dir.resolve("root.json")), "root.json").deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) edited.get("signed")).put("expires", "2099-01-01T00:00:00Z");
    byte[] tampered = Json.pretty(edited).getBytes(StandardCharsets.UTF_8);
    Files.write(changed.resolve("root.json"), tampered);
    Cli.Result refused = holder("alice", "--yes", "ceremony", "root", "sign", changed.toString(), "--key",
        "root-alice");
    assertEquals(ExitCodes.USAGE, refused.status(), refused.toString());
    assertTrue(refused.err().contains("its signed content changed since the ceremony started"), refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertArrayEquals(tampered, Files.readAllBytes(changed.resolve("root.json")));

    // A holder's key that is not a root key, and a sha256 other than the one read out, are refused.
    byte[] before = Files.readAllBytes(dir.resolve("root.json"));
    Cli.Result wrongKey = holder("alice", "--yes", "ceremony", "root", "sign", dir.toString(), "--key",
        "alice-spare");
    assertEquals(ExitCodes.USAGE, wrongKey.status(), wrongKey.toString());
    assertTrue(wrongKey.err().contains("is not a root key of this root or of the previous one"), wrongKey.err());
    Cli.Result wrongSha = holder("alice", "--yes", "ceremony", "root", "sign", dir.toString(), "--key", "root-alice",
        "--sha256", "00" + sha.substring(2));
    assertEquals(ExitCodes.USAGE, wrongSha.status(), wrongSha.toString());
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("root.json")), "nothing signed");

    // Alice signs in a process of her own, which exits; the ceremony goes on from the folder.
    Cli.Result alice = inChildProcess(holderArgs("alice", "--yes", "ceremony", "root", "sign", dir.toString(),
        "--key", "root-alice", "--sha256", sha));
    assertEquals(0, alice.status(), alice.toString());
    assertTrue(alice.out().contains("changes against root version 1:"), alice.out());
    assertTrue(alice.out().contains("holders: alice ("), alice.out());
    assertTrue(alice.out().contains("1 of 2 signature(s) needed; signed: alice"), alice.out());
    JsonNode afterAlice = JsonResults.result(admin("--json", "ceremony", "root", "status", dir.toString()).out());
    assertEquals(List.of("alice"), texts(afterAlice.get("thresholds").get(0).get("signed")));
    assertFalse(afterAlice.get("complete").asBoolean());

    // Bob's key leaves his store only encrypted and owner-only; python-tuf's signer signs the payload.
    Path bobPem = tmp.resolve("bob-export/root-bob.pem");
    Files.createDirectories(bobPem.getParent());
    holder("bob", "key", "export-private", "root-bob", "--out", bobPem.toString()).assertOk();
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bobPem)));
    assertTrue(Files.readString(bobPem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    Path bobSig = tmp.resolve("bob.sig.json");
    TufClient.Exec signed = TufClient.exec(List.of(TufClient.pythonVenv().toString(),
        TufClient.projectDir().resolve("src/test/python/sign_payload.py").toString(),
        dir.resolve("root.payload").toString(), bobPem.toString(), bobSig.toString(),
        tmp.resolve("bob-pass").toString()), tmp, Duration.ofMinutes(1));
    assertEquals(0, signed.code(), signed.err());
    Cli.Result bob = admin("ceremony", "root", "add-signature", dir.toString(), bobSig.toString()).assertOk();
    assertTrue(bob.out().contains("added 1 signature(s)"), bob.out());
    Cli.Result bobAgain = admin("ceremony", "root", "add-signature", dir.toString(), bobSig.toString());
    assertEquals(ExitCodes.FAILED, bobAgain.status(), bobAgain.toString());
    assertTrue(bobAgain.out().contains("has already signed root"), bobAgain.out());
    Cli.Result complete = admin("ceremony", "root", "status", dir.toString()).assertOk();
    assertTrue(complete.out().contains("2 of 2 signature(s) needed; signed: alice, bob"), complete.out());

    // Carol signs too (softhsm2), beyond the threshold.
    holder("carol", "--yes", "ceremony", "root", "sign", dir.toString(), "--key", "root-carol").assertOk();

    Cli.Result finished = admin("--yes", "ceremony", "root", "finish", dir.toString()).assertOk();
    byte[] v2 = Files.readAllBytes(repo().resolve("metadata/2.root.json"));
    assertTrue(finished.out().contains("published root version 2"), finished.out());
    assertTrue(finished.out().contains("signatures added now: alice, bob, carol"), finished.out());
    assertTrue(finished.out().contains("sha256 of the signed bytes: " + sha), finished.out());
    assertTrue(finished.out().contains(": " + Hex.encode(Crypto.sha256(v2))), finished.out());
    JsonNode newRoot = Json.parse(v2, "2.root.json").get("signed").get("roles").get("root");
    assertEquals(2, newRoot.get("threshold").asInt());
    assertEquals(3, newRoot.get("keyids").size());

    try (StaticHttpServer server = StaticHttpServer.serve(repo())) {
      for (TufClient c : List.of(TufClient.PYTHON_TUF, TufClient.TUF_JS, TufClient.GO_TUF)) {
        TufClient.Result r = c.refresh(server, shipped, tmp.resolve("cache-" + c)).target(TARGET).run();
        assertTrue(r.ok(), c + ": " + r);
        assertEquals(List.of(new TufClient.Target(TARGET, CONTENT.length, Hex.encode(Crypto.sha256(CONTENT)))),
            r.targets(), c.toString());
      }
    }
  }

  @Test
  void the_first_root_is_held_by_two_holders_from_the_start() throws Exception {
    PassphraseFiles.write(tmp.resolve("admin-pass"), "admin secret\n");
    PassphraseFiles.write(tmp.resolve("alice-pass"), "alice secret\n");
    PassphraseFiles.write(tmp.resolve("bob-pass"), "bob secret\n");
    holder("alice", "key", "generate", "root-alice").assertOk();
    holder("bob", "key", "generate", "root-bob").assertOk();
    Path alicePub = publicKey("alice", "root-alice");
    Path bobPub = publicKey("bob", "root-bob");
    admin("init", "--bins", "4").assertOk();
    Path dir = tmp.resolve("first");
    Cli.Result started = admin("--yes", "ceremony", "root", "start", dir.toString(), "--holder", "alice=" + alicePub,
        "--holder", "bob=" + bobPub, "--role", "root=alice,bob:2").assertOk();
    assertTrue(started.out().contains("root version 1 (the first root)"), started.out());
    assertFalse(Files.exists(dir.resolve("previous.root.json")));
    holder("alice", "--yes", "ceremony", "root", "sign", dir.toString(), "--key", "root-alice").assertOk();
    Cli.Result waiting = Cli.run("ceremony", "root", "status", dir.toString()); // anyone, anywhere
    assertEquals(ExitCodes.ATTENTION, waiting.status(), waiting.toString());
    holder("bob", "--yes", "ceremony", "root", "sign", dir.toString(), "--key", "root-bob").assertOk();
    admin("--yes", "ceremony", "root", "finish", dir.toString()).assertOk();
    JsonNode v1 = Json.parse(Files.readAllBytes(repo().resolve("metadata/1.root.json")), "1.root.json");
    assertEquals(2, v1.get("signed").get("roles").get("root").get("threshold").asInt());
    assertEquals(2, v1.get("signatures").size(), "signed by the two holders only");
    Cli.Result verified = admin("verify", "--root", repo().resolve("metadata/1.root.json").toString());
    assertEquals(0, verified.status(), verified.toString());
  }

  private static List<String> texts(JsonNode arr) {
    List<String> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.asText()));
    return out;
  }
}
