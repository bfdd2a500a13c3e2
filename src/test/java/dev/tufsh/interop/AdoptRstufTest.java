package dev.tufsh.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.crypto.Hex;
import dev.tufsh.json.Json;
import dev.tufsh.keys.pkcs11.SoftHsm;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.OpenBao;
import dev.tufsh.testing.StaticHttpServer;
import dev.tufsh.testing.TufClient;
import java.io.IOException;
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
 * A repository written by python-tuf's own Metadata API in RSTUF's layout (succinct {@code bins-XX}
 * directly under top-level targets, one online key, blake2b-256 target hashes:
 * {@code src/test/python/rstuf_repo.py}) is verified read-only, adopted, its online key imported
 * and its root key registered as offline (python-tuf signs the new root, through sign export and
 * sign import), and changed by tufsh (a target added, every bin bumped, the timestamp key rotated,
 * the snapshot key moved to Vault Transit on a real OpenBao server, the bins key to a softhsm2
 * PKCS#11 token); after every change python-tuf and go-tuf go on from the root they trusted
 * before (and from a fresh install). python-tuf downloads both the old target and tufsh's new one,
 * checking their blake2b-256 hashes; go-tuf (2.4.2) refreshes every role but refuses to download a
 * target listed by blake2b-256 ("unknown hashing algorithm"), which is asserted too.
 */
class AdoptRstufTest {
  static final String OLD = "packages/rstuf-1.0.tar.gz";
  static final byte[] OLD_CONTENT = "written by python-tuf in RSTUF's layout\n".getBytes(StandardCharsets.UTF_8);
  static final String NEW = "packages/tufsh-2.0.tar.gz";
  static final byte[] NEW_CONTENT = "added by tufsh after adoption\n".getBytes(StandardCharsets.UTF_8);
  static final List<TufClient> CLIENTS = List.of(TufClient.PYTHON_TUF, TufClient.GO_TUF);

  @TempDir Path tmp;
  private int runs;

  private Path repo() {
    return tmp.resolve("repo");
  }

  private Cli.Result tufsh(String... args) {
    List<String> all = new ArrayList<>(List.of("--repo", repo().toString(), "--passphrase-file",
        tmp.resolve("pass").toString()));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  private void refreshAll(StaticHttpServer server, Path shipped, List<String> targets, String step) {
    for (TufClient c : CLIENTS) {
      for (Path cache : List.of(tmp.resolve("cache-" + c), tmp.resolve("fresh-" + c + "-" + (++runs)))) {
        TufClient.Refresh r = c.refresh(server, shipped, cache).out(tmp.resolve("out-" + runs + c));
        List<String> fetch = c == TufClient.GO_TUF ? List.of() : targets;
        for (String t : fetch) {
          r = r.target(t);
        }
        TufClient.Result res = r.run();
        assertTrue(res.ok(), step + ", " + c + " from " + cache.getFileName() + ": " + res);
        List<TufClient.Target> want = new ArrayList<>();
        for (String t : fetch) {
          byte[] b = t.equals(OLD) ? OLD_CONTENT : NEW_CONTENT;
          want.add(new TufClient.Target(t, b.length, Hex.encode(Crypto.sha256(b))));
        }
        assertEquals(want, res.targets(), step + ", " + c);
      }
    }
  }

  @Test
  void rstuf_layout_from_python_tuf_is_adopted_changed_and_refreshed_by_python_tuf_and_go_tuf() throws Exception {
    TufClient.Exec made = TufClient.exec(List.of(TufClient.pythonVenv().toString(),
        TufClient.projectDir().resolve("src/test/python/rstuf_repo.py").toString(), repo().toString()),
        TufClient.projectDir(), Duration.ofMinutes(2));
    assertEquals(0, made.code(), made.err());
    JsonNode info = Json.parse(made.out().strip(), "rstuf_repo.py");
    // One line unlocks the file keystore, logs in to the softhsm2 token and is the OpenBao token.
    Files.writeString(tmp.resolve("pass"), SoftHsm.PIN + "\n", StandardCharsets.UTF_8);
    Path keys = tmp.resolve("keys");
    Files.move(repo().resolve("keys"), keys); // key files live apart from what is served
    Path shipped = tmp.resolve("shipped-root.json");
    Files.copy(repo().resolve("metadata/1.root.json"), shipped);

    try (StaticHttpServer server = StaticHttpServer.serve(repo())) {
      refreshAll(server, shipped, List.of(OLD), "as python-tuf wrote it");
      TufClient.Result noBlake = TufClient.GO_TUF.refresh(server, shipped, tmp.resolve("go-blake")).target(OLD).run();
      assertFalse(noBlake.ok(), noBlake.toString());
      assertTrue(noBlake.error().contains("unknown hashing algorithm - blake2b-256"), noBlake.toString());

      // Read-only first: verify works on the foreign folder and writes nothing.
      Cli.Result v = tufsh("verify").assertOk();
      assertTrue(v.out().contains("verified: root v1"), v.out());
      assertFalse(Files.exists(repo().resolve(".tufsh")));

      Cli.Result adopted = tufsh("--json", "adopt").assertOk();
      JsonNode a = Json.parse(adopted.out(), "adopt");
      assertEquals(List.of("blake2b-256"), List.of(a.get("target_hashes").get(0).asText()), adopted.out());
      JsonNode need = a.get("keys_needed");
      assertEquals(info.get("root_keyid").asText(), need.get("root").get(0).asText(), adopted.out());
      assertEquals(info.get("online_keyid").asText(), need.get("bins-*").get(0).asText(), adopted.out());
      assertEquals(info.get("online_keyid").asText(), need.get("timestamp").get(0).asText(), adopted.out());

      tufsh("key", "add-offline", keys.resolve("root.pub.json").toString(), "--name", "rstuf-root").assertOk();
      tufsh("key", "import", keys.resolve("online.pem").toString(), "--name", "rstuf-online").assertOk();
      Cli.Result st = tufsh("--json", "status").assertOk();
      assertTrue(st.out().contains("bins-ff"), st.out());

      Path f = tmp.resolve("tufsh-2.0.tar.gz");
      Files.write(f, NEW_CONTENT);
      Cli.Result added = tufsh("--json", "target", "add", "--path", NEW, f.toString()).assertOk();
      assertTrue(Json.parse(added.out(), "add").get("targets").get(NEW).asText().startsWith("bins-"), added.out());
      tufsh("publish").assertOk();
      String newBin = Json.parse(added.out(), "add").get("targets").get(NEW).asText();
      JsonNode binFile = latest(newBin);
      JsonNode hashes = binFile.get("signed").get("targets").get(NEW).get("hashes");
      assertEquals(List.of("blake2b-256"), fieldNames(hashes), "RSTUF's hash, inferred at adoption");
      assertEquals(HashAlgorithm.BLAKE2B_256.hex(NEW_CONTENT), hashes.get("blake2b-256").asText());
      refreshAll(server, shipped, List.of(OLD, NEW), "after target add");

      tufsh("bump", "bins-*").assertOk();
      tufsh("publish").assertOk();
      refreshAll(server, shipped, List.of(OLD, NEW), "after bump of every bin");

      tufsh("--yes", "rotate", "timestamp").assertOk();
      publishWithOfflineRoot(keys.resolve("root.pem"), "v2");
      assertTrue(Files.isRegularFile(repo().resolve("metadata/2.root.json")));
      refreshAll(server, shipped, List.of(OLD, NEW), "after timestamp key rotation (root v2)");

      // The snapshot key moves to Vault Transit (a real OpenBao server); the token has a file of its own
      // (the key passphrase is never sent as a token).
      try (OpenBao bao = new OpenBao(tmp.resolve("bao"))) {
        bao.createKey("rstuf-snapshot", "ecdsa-p256");
        Path tokenFile = tmp.resolve("bao-token");
        Files.writeString(tokenFile, bao.rootToken() + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        tufsh("key", "add-vault", "--key", "rstuf-snapshot", "--address", bao.address(), "--token-file",
            tokenFile.toString(), "--name", "vault-snap").assertOk();
        tufsh("--yes", "rotate", "snapshot", "--new", "vault-snap").assertOk();
        publishWithOfflineRoot(keys.resolve("root.pem"), "v3");
        assertTrue(bao.requests("transit/sign/rstuf-snapshot") >= 1, "the snapshot was signed by OpenBao");
        refreshAll(server, shipped, List.of(OLD, NEW), "after the snapshot key moved to Vault (root v3)");

        // The bins key moves to a PKCS#11 token (softhsm2, ed25519): every bin re-signed through it.
        SoftHsm.get();
        tufsh("key", "add-pkcs11", "--module", SoftHsm.MODULE, "--token", SoftHsm.TOKEN, "--label", "ed-1", "--name",
            "hsm-bins").assertOk();
        tufsh("--yes", "rotate", "bins-00", "--new", "hsm-bins").assertOk();
        tufsh("--yes", "publish").assertOk();
        refreshAll(server, shipped, List.of(OLD, NEW), "after the bins key moved to PKCS#11");
        tufsh("verify").assertOk();
      }
    }
  }

  /**
   * Publish is refused for want of the offline root key's signature; python-tuf signs the exported
   * root with it (as the key holder would, elsewhere), tufsh imports the signature and publishes.
   */
  private void publishWithOfflineRoot(Path rootKey, String label) {
    Cli.Result refused = tufsh("--yes", "publish");
    assertEquals(1, refused.status(), refused.toString());
    assertTrue(refused.err().contains("role 'root'"), refused.err());
    Path out = tmp.resolve("to-sign-" + label);
    tufsh("sign", "export", "root", "--out", out.toString()).assertOk();
    TufClient.Exec signed = TufClient.exec(List.of(TufClient.pythonVenv().toString(),
        TufClient.projectDir().resolve("src/test/python/sign_metadata.py").toString(),
        out.resolve("root.json").toString(), rootKey.toString()), tmp, Duration.ofMinutes(1));
    assertEquals(0, signed.code(), signed.err());
    Cli.Result imported = tufsh("sign", "import", out.resolve("root.json").toString()).assertOk();
    assertTrue(imported.out().contains("added 1 signature"), imported.out());
    tufsh("--yes", "publish").assertOk();
  }

  private JsonNode latest(String role) throws IOException {
    JsonNode ts = Json.parse(Files.readAllBytes(repo().resolve("metadata/timestamp.json")), "timestamp");
    int sv = ts.get("signed").get("meta").get("snapshot.json").get("version").asInt();
    JsonNode snap = Json.parse(Files.readAllBytes(repo().resolve("metadata/" + sv + ".snapshot.json")), "snapshot");
    int v = snap.get("signed").get("meta").get(role + ".json").get("version").asInt();
    return Json.parse(Files.readAllBytes(repo().resolve("metadata/" + v + "." + role + ".json")), role);
  }

  private static List<String> fieldNames(JsonNode o) {
    List<String> out = new ArrayList<>();
    o.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
