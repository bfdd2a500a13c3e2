package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.keys.pkcs11.SoftHsm;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.JsonResults;
import dev.tufsh.testing.PassphraseFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code key export-private} in a personal key store: the copy is encrypted PKCS#8 in a new
 * owner-only file under a passphrase of its own, and imports elsewhere as the same key; what it
 * must not do is refused with one line and exit 2, leaving nothing behind.
 */
class KeyExportPrivateTest {
  @TempDir Path tmp;

  private Cli.Result holder(String pass, String... args) {
    List<String> all = new ArrayList<>(List.of("--passphrase-file", tmp.resolve(pass).toString()));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void the_copy_is_encrypted_owner_only_and_imports_as_the_same_key() throws Exception {
    // A passphrase folder: the key's own file, and NAME.export for the copy.
    Path pass = Files.createDirectories(tmp.resolve("pass"));
    PassphraseFiles.write(pass.resolve("root-dana"), "store secret\n");
    PassphraseFiles.write(pass.resolve("root-dana.export"), "copy secret\n");
    Path keys = tmp.resolve("dana-keys").toAbsolutePath();
    holder("pass", "key", "generate", "root-dana", "--keystore", keys.toString()).assertOk();
    Path out = tmp.resolve("backup/root-dana.pem");
    Files.createDirectories(out.getParent());
    JsonNode r = JsonResults.result(holder("pass", "--json", "key", "export-private", "root-dana", "--out",
        out.toString(), "--keystore", keys.toString()).assertOk().out());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    String pem = Files.readString(out);
    assertTrue(pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), pem);

    // Another store reads it back under the copy's passphrase only.
    PassphraseFiles.write(tmp.resolve("copy-pass"), "copy secret\n");
    JsonNode imported = JsonResults.result(holder("copy-pass", "--json", "key", "import", out.toString(), "--name",
        "root-dana", "--keystore", tmp.resolve("other-keys").toString()).assertOk().out());
    assertEquals(r.get("keyid").asText(), imported.get("keyid").asText());
    PassphraseFiles.write(tmp.resolve("store-pass"), "store secret\n");
    Cli.Result wrong = holder("store-pass", "key", "import", out.toString(), "--name", "x", "--keystore",
        tmp.resolve("third-keys").toString());
    assertTrue(wrong.status() != 0, wrong.toString());
  }

  /** A refusal: the words after the command, and what the one-line error says. */
  record Refusal(String name, List<String> args, String says) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Refusal> refusals() {
    return List.of(
        new Refusal("an existing file", List.of("root-erin", "--out", "{EXISTING}"),
            "already exists; a private key is never exported over a file"),
        new Refusal("a link", List.of("root-erin", "--out", "{LINK}"),
            "already exists; a private key is never exported over a file"),
        new Refusal("a token's key", List.of("token-erin", "--out", "{NEW}"),
            "only file keystore keys can be exported"),
        new Refusal("no such key", List.of("nobody", "--out", "{NEW}"), "no key named 'nobody' in the key store"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refused_with_one_line_and_exit_2(Refusal r) throws Exception {
    PassphraseFiles.write(tmp.resolve("p"), "erin secret\n");
    Path keys = tmp.resolve("erin-keys");
    holder("p", "key", "generate", "root-erin", "--keystore", keys.toString()).assertOk();
    SoftHsm.get();
    PassphraseFiles.write(tmp.resolve("pin"), SoftHsm.PIN + "\n");
    holder("pin", "key", "add-pkcs11", "--module", SoftHsm.MODULE, "--token", SoftHsm.TOKEN, "--label", "ec-1",
        "--name", "token-erin", "--keystore", keys.toString()).assertOk();
    Path existing = Files.writeString(tmp.resolve("existing.pem"), "keep me\n");
    Path target = Files.writeString(tmp.resolve("elsewhere.txt"), "not yours\n");
    Path link = Files.createSymbolicLink(tmp.resolve("link.pem"), target);
    List<String> words = new ArrayList<>(List.of("key", "export-private"));
    r.args().forEach(a -> words.add(a.replace("{EXISTING}", existing.toString()).replace("{LINK}", link.toString())
        .replace("{NEW}", tmp.resolve("new.pem").toString())));
    words.addAll(List.of("--keystore", keys.toString()));
    Cli.Result res = holder("p", words.toArray(String[]::new));
    assertEquals(ExitCodes.USAGE, res.status(), res.toString());
    assertEquals(1, res.err().strip().lines().count(), res.err());
    assertTrue(res.err().contains(r.says()), res.err());
    assertEquals("keep me\n", Files.readString(existing));
    assertEquals("not yours\n", Files.readString(target));
    assertTrue(!Files.exists(tmp.resolve("new.pem")), "nothing written");
  }
}
