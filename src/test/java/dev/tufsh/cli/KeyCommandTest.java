package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Pem;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.json.Json;
import dev.tufsh.keys.KeyExport;
import dev.tufsh.testing.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key commands through tufsh's entry point, their --json output parsed back. */
class KeyCommandTest {
  @TempDir Path dir;
  private Path repo;
  private Path pass;

  @BeforeEach
  void init() throws Exception {
    repo = dir.resolve("repo");
    pass = dev.tufsh.testing.PassphraseFiles.write(dir.resolve("pass"), "correct horse\n");
    tufsh("init", "--bins", "4").assertOk();
  }

  private Cli.Result tufsh(String... args) {
    List<String> all = new ArrayList<>(List.of("--repo", repo.toString(), "--passphrase-file", pass.toString()));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  private JsonNode json(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--json");
    Cli.Result r = tufsh(all.toArray(String[]::new)).assertOk();
    return dev.tufsh.testing.JsonResults.result(r.out());
  }

  private static JsonNode byName(JsonNode list, String name) {
    for (JsonNode k : list.get("keys")) {
      if (k.get("name").asText().equals(name)) {
        return k;
      }
    }
    throw new AssertionError("no key " + name + " in " + list);
  }

  @Test
  void generate_then_list_show_and_export_public_agree_on_the_key_id() {
    JsonNode gen = json("key", "generate", "extra", "--scheme", "ecdsa");
    String id = gen.get("keyid").asText();
    assertTrue(id.matches("[0-9a-f]{64}"), id);
    assertEquals("file", gen.get("backend").asText());
    assertEquals("ecdsa-sha2-nistp256", gen.get("scheme").asText());

    JsonNode list = json("key", "list");
    JsonNode extra = byName(list, "extra");
    assertEquals(id, extra.get("keyid").asText());
    assertEquals(0, extra.get("roles").size(), "no role trusts a fresh key");
    // init's keys are trusted by their roles; the bins' key is named once for all bins.
    boolean rootTrusted = false;
    boolean binsTrusted = false;
    for (JsonNode k : list.get("keys")) {
      for (JsonNode r : k.get("roles")) {
        rootTrusted |= r.asText().equals("root");
        binsTrusted |= r.asText().equals("bin-*"); // a role glob, data rather than prose
      }
    }
    assertTrue(rootTrusted && binsTrusted, list.toString());

    JsonNode show = json("key", "show", "extra");
    assertEquals(id, show.get("keyid").asText());
    assertEquals(id, Key.fromJson(show.get("public"), "public").keyId());
    assertTrue(show.get("fingerprint").asText().startsWith("SHA256:"));

    String pem = tufsh("key", "export-public", "extra", "--pem").assertOk().out();
    assertEquals("PUBLIC KEY", Pem.label(pem));
    String obj = tufsh("key", "export-public", "extra").assertOk().out();
    assertEquals(id, Key.fromJson(Json.parse(obj, "stdout"), "key").keyId());
  }

  @Test
  void import_keeps_the_key_id_of_the_private_key_it_reads() throws Exception {
    LocalSigner s = KeyPairs.generate(Scheme.ED25519);
    Path file = Files.writeString(dir.resolve("k.pem"), Pem.encode("PRIVATE KEY", s.privateKeyPkcs8()));
    JsonNode imp = json("key", "import", file.toString(), "--name", "imported");
    assertEquals(s.key().keyId(), imp.get("keyid").asText());
    Cli.Result again = tufsh("key", "import", file.toString(), "--name", "imported");
    assertEquals(ExitCodes.FAILED, again.status());
    assertTrue(again.err().contains("already exists"), again.err());
    json("key", "import", file.toString(), "--name", "imported", "--overwrite");
  }

  @Test
  void offline_key_is_listed_and_its_signatures_are_left_for_sign_import() throws Exception {
    LocalSigner holder = KeyPairs.generate(Scheme.ECDSA_P256);
    Path pub = Files.writeString(dir.resolve("off.pem"), KeyExport.publicPem(holder.key()));
    JsonNode added = json("key", "add-offline", pub.toString(), "--name", "offline-targets");
    assertEquals(holder.key().keyId(), added.get("keyid").asText());
    assertEquals("offline", added.get("backend").asText());

    json("rotate", "targets", "--new", "offline-targets");
    JsonNode list = json("key", "list");
    List<String> roles = new ArrayList<>();
    byName(list, "offline-targets").get("roles").forEach(r -> roles.add(r.asText()));
    assertTrue(roles.contains("targets"), roles.toString());
    // Nothing here can sign for the offline key, so the plan lacks its signature and publish refuses.
    Cli.Result planned = tufsh("plan", "--json");
    assertEquals(ExitCodes.ATTENTION, planned.status(), "a plan short of a threshold needs a person");
    JsonNode plan = dev.tufsh.testing.JsonResults.result(planned.out());
    assertFalse(plan.get("complete").asBoolean(), plan.toString());
    JsonNode targets = null;
    for (JsonNode e : plan.get("roles")) {
      if (e.get("role").asText().equals("targets")) {
        targets = e;
      }
    }
    assertTrue(targets != null && !targets.get("threshold_met").asBoolean(), plan.toString());
    assertEquals(holder.key().keyId(), targets.get("missing_keys").get(0).asText());
    Cli.Result publish = tufsh("--yes", "publish");
    assertEquals(ExitCodes.FAILED, publish.status(), publish.out());
  }

  @Test
  void key_names_are_unique_across_backends() throws Exception {
    json("key", "generate", "dup");
    Path pub = Files.writeString(dir.resolve("p.pem"), KeyExport.publicPem(KeyPairs.generate(Scheme.ED25519).key()));
    Cli.Result r = tufsh("key", "add-offline", pub.toString(), "--name", "dup");
    assertEquals(ExitCodes.FAILED, r.status());
    assertTrue(r.err().contains("already in the file keystore"), r.err());
    json("key", "add-offline", pub.toString(), "--name", "dup2");
    Cli.Result g = tufsh("key", "generate", "dup2");
    assertTrue(g.err().contains("already registered"), g.err());
    assertFalse(Files.readString(repo.resolve(".tufsh/keys.json")).contains("PRIVATE"));
  }

  @Test
  void change_passphrase_rewrites_a_file_key_and_refuses_others() throws Exception {
    json("key", "generate", "k1");
    JsonNode changed = json("key", "change-passphrase", "k1");
    assertTrue(changed.get("changed").asBoolean());
    Path pub = Files.writeString(dir.resolve("p.pem"), KeyExport.publicPem(KeyPairs.generate(Scheme.ED25519).key()));
    json("key", "add-offline", pub.toString(), "--name", "off");
    Cli.Result r = tufsh("key", "change-passphrase", "off");
    assertEquals(ExitCodes.USAGE, r.status());
    assertTrue(r.err().contains("only file keystore keys have a passphrase"), r.err());
  }

  @Test
  void a_personal_key_store_is_separate_from_the_repository_and_needs_none() throws Exception {
    Path store = dir.resolve("holder-keys");
    Path nowhere = dir.resolve("no-repo");
    LocalSigner s = KeyPairs.generate(Scheme.ECDSA_P256);
    Path file = Files.writeString(dir.resolve("h.pem"), Pem.encode("PRIVATE KEY", s.privateKeyPkcs8()));
    List<String> g = List.of("--repo", nowhere.toString(), "--passphrase-file", pass.toString(), "--json");
    Cli.Result imp = Cli.run(concat(g, "key", "import", file.toString(), "--name", "held", "--keystore",
        store.toString())).assertOk();
    assertEquals(s.key().keyId(), dev.tufsh.testing.JsonResults.result(imp.out()).get("keyid").asText());
    assertTrue(Files.isRegularFile(store.resolve("keys/held.key.json")));
    assertFalse(Files.exists(nowhere), "no repository is made");
    JsonNode listed = dev.tufsh.testing.JsonResults.result(
        Cli.run(concat(g, "key", "list", "--keystore", store.toString())).assertOk().out());
    assertEquals(List.of("held"), names(listed));
    assertFalse(names(json("key", "list")).contains("held"), "the repository's key store does not see it");
    Cli.Result missing = Cli.run(concat(g, "key", "show", "other", "--keystore", store.toString()));
    assertEquals(ExitCodes.USAGE, missing.status());
    assertTrue(missing.err().contains("no key named 'other' in the key store " + store), missing.err());
  }

  private static String[] concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.get("keys").forEach(k -> out.add(k.get("name").asText()));
    return out;
  }
}
