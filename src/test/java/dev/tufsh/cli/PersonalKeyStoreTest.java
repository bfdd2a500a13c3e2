package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.JsonResults;
import dev.tufsh.testing.PassphraseFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key holder tidies a personal key store from a fresh folder, with no repository anywhere:
 * rename and remove work there as in a repository's store (they used to need a repository), and
 * export-public writes the public half to a file.
 */
class PersonalKeyStoreTest {
  @TempDir Path tmp;

  private Cli.Result holder(String... args) {
    List<String> all = new ArrayList<>(List.of("--passphrase-file", tmp.resolve("pass").toString()));
    all.addAll(List.of(args));
    all.addAll(List.of("--keystore", tmp.resolve("keys").toString()));
    return Cli.run(all.toArray(String[]::new));
  }

  private List<String> names() {
    List<String> out = new ArrayList<>();
    JsonResults.result(holder("--json", "key", "list").assertOk().out()).get("keys")
        .forEach(k -> out.add(k.get("name").asText()));
    return out;
  }

  @Test
  void rename_and_remove_in_a_personal_store() throws Exception {
    PassphraseFiles.write(tmp.resolve("pass"), "holder secret\n");
    JsonNode made = JsonResults.result(holder("--json", "key", "generate", "root-old").assertOk().out());
    holder("key", "generate", "spare").assertOk();
    holder("key", "rename", "root-old", "root-frank").assertOk();
    assertEquals(List.of("root-frank", "spare"), names().stream().sorted().toList());
    JsonNode shown = JsonResults.result(holder("--json", "key", "show", "root-frank").assertOk().out());
    assertEquals(made.get("keyid").asText(), shown.get("keyid").asText(), "the same key under its new name");

    // The public half as a file to hand over: world-readable, the same text as printed.
    Path pub = tmp.resolve("frank.pub.json");
    holder("key", "export-public", "root-frank", "--out", pub.toString()).assertOk();
    assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(pub)));
    assertEquals(holder("key", "export-public", "root-frank").assertOk().out(), Files.readString(pub));

    Cli.Result unconfirmed = holder("key", "remove", "spare");
    assertEquals(ExitCodes.NOT_CONFIRMED, unconfirmed.status(), unconfirmed.toString());
    holder("--yes", "key", "remove", "spare").assertOk();
    assertEquals(List.of("root-frank"), names());
    assertFalse(Files.exists(tmp.resolve("keys/keys/spare.key.json")), "its private half is deleted");
    Cli.Result gone = holder("--yes", "key", "remove", "spare");
    assertEquals(ExitCodes.USAGE, gone.status(), gone.toString());
    assertTrue(gone.err().contains("no key named 'spare' in the key store"), gone.err());
  }
}
