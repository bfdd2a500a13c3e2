package dev.tufsh.keys.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.json.Json;
import dev.tufsh.testing.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A softhsm2 key registered with {@code key add-pkcs11}, then signing a published role end to end. */
class Pkcs11CliTest {
  @TempDir Path dir;

  @Test
  void token_key_becomes_the_timestamp_key_and_publish_verifies() throws Exception {
    SoftHsm.get();
    Path repo = dir.resolve("repo");
    // One line serves as the file keys' passphrase and the token PIN.
    Path pass = dev.tufsh.testing.PassphraseFiles.write(dir.resolve("pass"), SoftHsm.PIN + "\n");
    List<String> base = List.of("--repo", repo.toString(), "--passphrase-file", pass.toString());
    run(base, "init", "--bins", "2");
    JsonNode added = Json.parse(run(base, "key", "add-pkcs11", "--module", SoftHsm.MODULE, "--token", SoftHsm.TOKEN,
        "--label", "ec-1", "--name", "hsm-ts", "--json"), "stdout").get("result");
    assertEquals("pkcs11", added.get("backend").asText());
    assertTrue(added.get("uri").asText().startsWith("pkcs11:token=tufsh-main;object=ec-1?module-path="));
    String id = added.get("keyid").asText();

    run(base, "rotate", "timestamp", "--new", "hsm-ts");
    run(base, "--yes", "publish");
    JsonNode verify = Json.parse(run(base, "verify", "--json"), "stdout").get("result");
    assertTrue(verify.toString().contains("\"ok\":true") || verify.path("ok").asBoolean(), verify.toString());
    JsonNode ts = Json.parse(Files.readAllBytes(repo.resolve("metadata/timestamp.json")), "timestamp.json");
    assertEquals(id, ts.get("signatures").get(0).get("keyid").asText());

    JsonNode list = Json.parse(run(base, "key", "list", "--json"), "stdout").get("result");
    boolean found = false;
    for (JsonNode k : list.get("keys")) {
      if (k.get("name").asText().equals("hsm-ts")) {
        found = k.get("roles").toString().contains("timestamp");
      }
    }
    assertTrue(found, list.toString());
  }

  private static String run(List<String> base, String... args) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new)).assertOk().out();
  }
}
