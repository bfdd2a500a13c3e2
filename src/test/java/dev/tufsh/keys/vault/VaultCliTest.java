package dev.tufsh.keys.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.json.Json;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.OpenBao;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Transit key of a real OpenBao server registered with {@code key add-vault} and used as the snapshot key through publish.
 * The process environment has no VAULT_TOKEN here, so the token comes from the key's own
 * --token-file; the key passphrase is never sent as a token.
 */
class VaultCliTest {
  @TempDir Path dir;

  @Test
  void transit_key_signs_snapshot_through_publish() throws Exception {
    try (OpenBao vault = new OpenBao(dir.resolve("bao"))) {
      String line = vault.rootToken();
      vault.createKey("tuf-snapshot", "ecdsa-p256");
      Path repo = dir.resolve("repo");
      Path pass = Files.writeString(dir.resolve("pass"), line + "\n", StandardCharsets.UTF_8);
      Path tokenFile = Files.writeString(dir.resolve("token"), line + "\n", StandardCharsets.UTF_8);
      List<String> base = List.of("--repo", repo.toString(), "--passphrase-file", pass.toString());
      run(base, "init", "--bins", "2");
      // The passphrase file holds the valid token here, and still is not sent: without VAULT_TOKEN
      // (and with whatever ~/.vault-token this machine has) the server accepts nothing.
      Cli.Result noToken = Cli.run("--repo", repo.toString(), "--passphrase-file", pass.toString(), "key", "add-vault",
          "--key", "tuf-snapshot", "--address", vault.address(), "--name", "vault-snap");
      assertEquals(1, noToken.status(), noToken.toString());
      assertEquals(true, noToken.err().contains("no Vault token: set VAULT_TOKEN")
          || noToken.err().contains("rejected the token"), noToken.err());
      JsonNode added = Json.parse(run(base, "key", "add-vault", "--key", "tuf-snapshot", "--address", vault.address(),
          "--token-file", tokenFile.toString(), "--name", "vault-snap", "--json"), "stdout");
      assertEquals("vault:transit/tuf-snapshot#1", added.get("uri").asText());
      run(base, "rotate", "snapshot", "--new", "vault-snap");
      run(base, "--yes", "publish");
      JsonNode ts = Json.parse(Files.readAllBytes(repo.resolve("metadata/timestamp.json")), "timestamp.json");
      int v = ts.get("signed").get("meta").get("snapshot.json").get("version").asInt();
      JsonNode snap = Json.parse(Files.readAllBytes(repo.resolve("metadata/" + v + ".snapshot.json")), "snapshot");
      assertEquals(added.get("keyid").asText(), snap.get("signatures").get(0).get("keyid").asText());
      run(base, "verify");
    }
  }

  private static String run(List<String> base, String... args) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new)).assertOk().out();
  }
}
