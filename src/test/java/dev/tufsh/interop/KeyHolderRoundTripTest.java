package dev.tufsh.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Pem;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.keys.KeyExport;
import dev.tufsh.keys.pkcs11.SoftHsm;
import dev.tufsh.testing.JsonResults;
import dev.tufsh.testing.PassphraseFiles;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.StaticHttpServer;
import dev.tufsh.testing.TufClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key holder's side, each holder with a personal key store in a folder of their own and no
 * repository: alice keeps a file key (generated there), carol a softhsm2 PKCS#11 key (registered
 * there). The admin's repository trusts their public halves as offline keys, exports what needs
 * their signatures, each signs with {@code tufsh sign} after reading what it signs, the admin
 * imports and publishes, and python-tuf and tuf-js accept it from the root they trusted before.
 * A signer that is not a TUF tool is played by python-tuf's signer over {@code sign export --payload}.
 */
class KeyHolderRoundTripTest {
  static final String TARGET = "pkgs/holder-1.0.tar.gz";
  static final byte[] CONTENT = "signed by key holders\n".getBytes(StandardCharsets.UTF_8);
  static final List<TufClient> CLIENTS = List.of(TufClient.PYTHON_TUF, TufClient.TUF_JS);

  @TempDir Path tmp;

  private Path repo() {
    return tmp.resolve("repo");
  }

  /** The admin, in the repository. */
  private Cli.Result admin(String... args) {
    return run(List.of("--repo", repo().toString(), "--passphrase-file", tmp.resolve("admin-pass").toString()), args);
  }

  /** A key holder: their own key store and passphrase (or PIN) file; --repo names no repository. */
  private Cli.Result holder(String who, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--keystore", tmp.resolve(who + "-keys").toString()));
    return run(List.of("--repo", tmp.resolve(who + "-home").toString(), "--passphrase-file",
        tmp.resolve(who + "-pass").toString()), all.toArray(String[]::new));
  }

  private static Cli.Result run(List<String> global, String... args) {
    List<String> all = new ArrayList<>(global);
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  private void accepted(StaticHttpServer server, Path shipped, String step) {
    for (TufClient c : CLIENTS) {
      TufClient.Result r = c.refresh(server, shipped, tmp.resolve("cache-" + c + "-" + step)).target(TARGET).run();
      assertTrue(r.ok(), step + ", " + c + ": " + r);
      assertEquals(List.of(new TufClient.Target(TARGET, CONTENT.length, Hex.encode(Crypto.sha256(CONTENT)))),
          r.targets(), step + ", " + c);
    }
  }

  @Test
  void holders_with_their_own_key_stores_sign_root_and_targets_and_clients_accept() throws Exception {
    PassphraseFiles.write(tmp.resolve("admin-pass"), "admin secret\n");
    PassphraseFiles.write(tmp.resolve("alice-pass"), "alice secret\n");
    PassphraseFiles.write(tmp.resolve("carol-pass"), SoftHsm.PIN + "\n");

    // Alice: a key store of her own, no repository anywhere.
    holder("alice", "key", "generate", "root-alice").assertOk();
    Path aliceKeys = tmp.resolve("alice-keys");
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(aliceKeys)));
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(aliceKeys.resolve("keys/root-alice.key.json"))));
    assertFalse(Files.exists(tmp.resolve("alice-home")), "no repository is made for a key holder");
    JsonNode aliceList = JsonResults.result(holder("alice", "--json", "key", "list").assertOk().out());
    assertEquals("root-alice", aliceList.get("keys").get(0).get("name").asText());
    Path alicePub = Files.writeString(tmp.resolve("alice.pub.json"),
        holder("alice", "key", "export-public", "root-alice").assertOk().out(), StandardCharsets.UTF_8);
    String aliceId = aliceList.get("keys").get(0).get("keyid").asText();

    // Carol: a PKCS#11 token (softhsm2) registered in her own key store.
    SoftHsm.get();
    holder("carol", "key", "add-pkcs11", "--module", SoftHsm.MODULE, "--token", SoftHsm.TOKEN, "--label", "ed-1",
        "--name", "targets-carol").assertOk();
    Path carolPub = Files.writeString(tmp.resolve("carol.pub.json"),
        holder("carol", "key", "export-public", "targets-carol").assertOk().out(), StandardCharsets.UTF_8);

    // The admin's repository trusts them as offline keys: root -> alice, targets -> carol.
    admin("init", "--bins", "4").assertOk();
    admin("--yes", "publish").assertOk();
    Path shipped = Files.copy(repo().resolve("metadata/1.root.json"), tmp.resolve("shipped-root.json"));
    admin("key", "add-offline", alicePub.toString(), "--name", "root-alice").assertOk();
    admin("key", "add-offline", carolPub.toString(), "--name", "targets-carol").assertOk();
    JsonNode adminKeys = JsonResults.result(admin("--json", "key", "list").assertOk().out());
    for (JsonNode k : adminKeys.get("keys")) {
      if (k.get("name").asText().equals("root-alice")) {
        assertEquals("offline", k.get("backend").asText(), "alice's private half stays in her key store");
      }
    }
    admin("--yes", "rotate", "root", "--new", "root-alice").assertOk();
    admin("--yes", "rotate", "targets", "--new", "targets-carol").assertOk();
    Path f = Files.write(tmp.resolve("holder-1.0.tar.gz"), CONTENT);
    admin("target", "add", "--path", TARGET, f.toString()).assertOk();
    Cli.Result refused = admin("--yes", "publish");
    assertEquals(1, refused.status(), refused.toString());

    Path out = tmp.resolve("to-sign");
    admin("sign", "export", "root", "targets", "--out", out.toString()).assertOk();

    // A holder reads what they sign; root shows every key and threshold change against v1.
    Cli.Result shown = holder("alice", "--yes", "sign", out.resolve("root.json").toString(), "--key", "root-alice",
        "--previous", shipped.toString()).assertOk();
    assertTrue(shown.out().contains("root metadata, version 2"), shown.out());
    assertTrue(shown.out().contains("changes against root version 1:"), shown.out());
    assertTrue(shown.out().contains("root: + key " + aliceId.substring(0, 16)), shown.out());
    assertTrue(shown.out().contains("root: - key "), shown.out());
    assertTrue(shown.out().contains("targets: + key "), shown.out());
    assertTrue(shown.out().contains("sha256 of the signed bytes: "), shown.out());

    // Carol cannot sign root with her targets key; the file is left as it was.
    byte[] before = Files.readAllBytes(out.resolve("root.json"));
    Cli.Result notRoot = holder("carol", "--yes", "sign", out.resolve("root.json").toString(), "--key",
        "targets-carol");
    assertEquals(dev.tufsh.cli.ExitCodes.USAGE, notRoot.status(), notRoot.toString());
    assertTrue(notRoot.err().contains("is not a root key of this root"), notRoot.err());
    assertArrayEquals(before, Files.readAllBytes(out.resolve("root.json")));

    Cli.Result carolSigned = holder("carol", "--yes", "sign", out.resolve("targets.json").toString(), "--key",
        "targets-carol").assertOk();
    assertTrue(carolSigned.out().contains("targets metadata, version 2"), carolSigned.out());

    // Without --yes and without a person, nothing is signed.
    Cli.Result noYes = holder("alice", "sign", out.resolve("targets.json").toString(), "--key", "root-alice");
    assertEquals(dev.tufsh.cli.ExitCodes.NOT_CONFIRMED, noYes.status(), noYes.toString());

    // Import takes the role from the content, not the name; says what it used and ignored.
    Path renamed = Files.move(out.resolve("root.json"), out.resolve("root.signed.json"));
    Cli.Result imported = admin("--json", "sign", "import", renamed.toString(), out.resolve("targets.json").toString())
        .assertOk();
    JsonNode r = JsonResults.result(imported.out());
    assertEquals("root", r.get("files").get(0).get("role").asText(), imported.out());
    assertEquals(aliceId, r.get("files").get(0).get("used").get(0).asText(), imported.out());
    assertEquals("targets", r.get("files").get(1).get("role").asText(), imported.out());
    assertEquals(1, r.get("files").get(1).get("used").size(), imported.out());
    assertEquals(2, r.get("used").asInt(), imported.out());

    // The same files again: every signature is already there; nothing used, non-zero exit.
    Cli.Result again = admin("sign", "import", renamed.toString());
    assertEquals(1, again.status(), again.toString());
    assertTrue(again.out().contains("ignored: key " + aliceId.substring(0, 16) + "... has already signed root"),
        again.out());
    assertTrue(again.err().contains("no signature was used"), again.err());

    admin("--yes", "publish").assertOk();
    assertTrue(Files.isRegularFile(repo().resolve("metadata/2.root.json")));
    try (StaticHttpServer server = StaticHttpServer.serve(repo())) {
      accepted(server, shipped, "root-and-targets-by-holders");
    }
  }

  @Test
  void python_tuf_signs_the_payload_and_the_detached_signature_is_imported() throws Exception {
    PassphraseFiles.write(tmp.resolve("admin-pass"), "admin secret\n");
    // Ed25519 as PKCS#8 v1, which cryptography reads (KeyExportTest loads every scheme there).
    LocalSigner py = KeyPairs.generate(Scheme.ED25519);
    Path pem = Files.writeString(tmp.resolve("py.pem"), Pem.encode("PRIVATE KEY", py.privateKeyPkcs8()));
    Path pub = Files.writeString(tmp.resolve("py.pub.pem"), KeyExport.publicPem(py.key()));
    admin("init", "--bins", "4").assertOk();
    admin("--yes", "publish").assertOk();
    Path shipped = Files.copy(repo().resolve("metadata/1.root.json"), tmp.resolve("shipped-root.json"));
    admin("key", "add-offline", pub.toString(), "--name", "targets-py").assertOk();
    admin("--yes", "rotate", "targets", "--new", "targets-py").assertOk();
    Path f = Files.write(tmp.resolve("holder-1.0.tar.gz"), CONTENT);
    admin("target", "add", "--path", TARGET, f.toString()).assertOk();

    Path out = tmp.resolve("payloads");
    admin("sign", "export", "targets", "--payload", "--out", out.toString()).assertOk();
    Path payload = out.resolve("targets.payload");
    admin("sign", "export", "targets", "--out", tmp.resolve("full").toString()).assertOk();
    JsonNode full = Json.parse(Files.readAllBytes(tmp.resolve("full/targets.json")), "targets");
    assertArrayEquals(CanonicalJson.encode(full.get("signed")), Files.readAllBytes(payload),
        "the payload is the canonical bytes of what is signed");

    Path sig = tmp.resolve("targets.sig.json");
    TufClient.Exec signed = TufClient.exec(List.of(TufClient.pythonVenv().toString(),
        TufClient.projectDir().resolve("src/test/python/sign_payload.py").toString(), payload.toString(),
        pem.toString(), sig.toString()), tmp, Duration.ofMinutes(1));
    assertEquals(0, signed.code(), signed.err());

    // A signature by a key targets does not trust is ignored, with the reason; alone it fails.
    LocalSigner stranger = KeyPairs.generate(Scheme.ED25519);
    Path strangerSig = Files.writeString(tmp.resolve("stranger.sig.json"), "{\"keyid\":\"" + stranger.keyId()
        + "\",\"sig\":\"" + Hex.encode(stranger.sign(Files.readAllBytes(payload))) + "\"}");
    Cli.Result ignored = admin("sign", "import", "--role", "targets", "--signature", strangerSig.toString());
    assertEquals(1, ignored.status(), ignored.toString());
    assertTrue(ignored.out().contains("ignored: key " + stranger.keyId().substring(0, 16) + "... is not a targets key"),
        ignored.out());

    Cli.Result imported = admin("sign", "import", "--role", "targets", "--signature", sig.toString()).assertOk();
    assertTrue(imported.out().contains("targets: used 1 signature(s)"), imported.out());
    admin("--yes", "publish").assertOk();
    try (StaticHttpServer server = StaticHttpServer.serve(repo())) {
      accepted(server, shipped, "targets-by-python-tuf-payload");
    }
  }
}
