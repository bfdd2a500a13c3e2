package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.json.Json;
import dev.tufsh.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every engine command's non-interactive form with {@code --json}: stdout parses as JSON and
 * carries the result, which a later command or the files on disk confirm.
 */
class EngineCommandsJsonTest {
  @TempDir Path dir;
  Path repo;
  Path pass;

  @BeforeEach
  void setUp() throws Exception {
    repo = dir.resolve("repo");
    pass = dir.resolve("pass");
    dev.tufsh.testing.PassphraseFiles.write(pass, "s3cret passphrase\n");
  }

  private JsonNode json(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "--repo";
    all[1] = repo.toString();
    all[2] = "--passphrase-file";
    all[3] = pass.toString();
    all[4] = "--json";
    System.arraycopy(args, 0, all, 5, args.length);
    Cli.Result r = Cli.run(all).assertOk();
    assertEquals("", r.err(), "nothing on stderr for " + String.join(" ", args));
    return dev.tufsh.testing.JsonResults.result(r.out());
  }

  @Test
  void the_whole_lifecycle_in_json() throws Exception {
    JsonNode init = json("init", "--bins", "8");
    assertEquals(8, init.get("bins").asInt());
    assertEquals("succinct", init.get("layout").asText());
    assertEquals("root-1", init.get("keys").get("root").get(0).asText());

    JsonNode plan = json("plan");
    assertTrue(plan.get("complete").asBoolean());
    assertEquals(8 + 5, plan.get("roles").size());

    JsonNode pub = json("publish");
    assertEquals(1, pub.get("versions").get("timestamp").asInt());
    assertTrue(Files.exists(repo.resolve("metadata/1.root.json")));

    JsonNode status = json("status");
    assertEquals(0, status.get("staged").asInt());
    assertEquals(8 + 5, status.get("roles").size());
    for (JsonNode r : status.get("roles")) {
      assertTrue(r.get("threshold_met").asBoolean(), r.toString());
      assertEquals(1, r.get("version").asInt());
    }

    Path file = dir.resolve("demo-1.0.tar.gz");
    Files.writeString(file, "demo");
    JsonNode add = json("target", "add", "--prefix", "packages", file.toString());
    String bin = add.get("targets").get("packages/demo-1.0.tar.gz").asText();
    assertTrue(bin.startsWith("bin-"), bin);
    assertEquals(2, add.get("versions").get(bin).asInt());
    assertEquals(bin, add.get("staged").get(0).asText());
    assertEquals(2, json("publish").get("versions").get("timestamp").asInt());
    JsonNode verified = json("verify");
    assertTrue(verified.get("ok").asBoolean());
    assertEquals(1, verified.get("targets_listed").asInt());
    assertEquals(1, verified.get("target_files").asInt());

    JsonNode bump = json("bump", "bin-*", "--by", "30d");
    assertEquals(8, bump.get("roles").size());
    assertEquals(3, bump.get("roles").get(bin).get("version").asInt());
    JsonNode resign = json("resign", "targets");
    assertEquals(2, resign.get("roles").get("targets").get("version").asInt());
    json("publish");

    JsonNode rot = json("--yes", "rotate", "snapshot");
    assertTrue(rot.get("staged").toString().contains("root"), rot.toString());
    assertFalse(rot.get("old_key").asText().equals(rot.get("new_key").asText()));

    JsonNode radius = json("revoke", "bin-n-1", "--dry-run");
    assertTrue(radius.get("blast_radius").get(0).get("falls_short").asBoolean());
    JsonNode revoked = json("--yes", "revoke", "bin-n-1", "--generate");
    assertTrue(revoked.get("replacement").isTextual());

    JsonNode exported = json("sign", "export", "--out", dir.resolve("out").toString(), "root");
    assertEquals(1, exported.get("files").size());
    JsonNode published = json("--yes", "publish");
    assertEquals(2, published.get("versions").get("root").asInt());
    try (var files = Files.list(repo.resolve("metadata"))) {
      assertEquals(3, files.filter(p -> p.toString().endsWith("root.json")).count(), "1.root.json, 2.root.json, root.json");
    }

    json("bump", "timestamp");
    assertEquals(1, json("discard", "--yes").get("discarded").asInt());
    assertEquals(0, json("status").get("staged").asInt());
    assertTrue(json("audit", "verify").get("ok").asBoolean());
  }
}
