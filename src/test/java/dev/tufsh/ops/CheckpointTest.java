package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.CliRepo;
import dev.tufsh.testing.JsonResults;
import dev.tufsh.testing.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * checkpoint, diff and restore through the command line on a published 8-bin repository: the
 * diff names each target added, removed and changed since, per bin; restore stages exactly the
 * reverse with new versions (never old ones); {@code --only} narrows both; a checkpoint altered
 * after signing, or signed by another key, is refused.
 */
class CheckpointTest {
  @TempDir static Path shared;
  static CliRepo base;
  static Path cp;

  @TempDir Path dir;
  CliRepo cli;

  /** Built once: 8 bins, three targets published, then checkpointed; each test works on a copy. */
  @BeforeAll
  static void knownGood() throws Exception {
    base = CliRepo.published(shared, 8, Instant.now());
    for (String name : List.of("a", "b", "c")) {
      Path f = Files.writeString(shared.resolve(name + "-1.0.tar.gz"), name + " good\n");
      base.run("target", "add", "--prefix", "packages", f.toString()).assertOk();
    }
    base.run("publish").assertOk();
    cp = shared.resolve("offline").resolve("good.checkpoint.json");
    Files.createDirectories(cp.getParent());
    JsonNode made = JsonResults.result(base.run("--json", "checkpoint", "--out", cp.toString(), "--key",
        "targets-1").assertOk().out());
    assertEquals(3, made.get("targets").asInt(), made.toString());
  }

  @BeforeEach
  void copy() throws Exception {
    cli = new CliRepo(Trees.copy(base.repo(), dir.resolve("repo")), base.pass());
  }

  /** What an attacker holding the bin key would publish: one target changed, one removed, one added. */
  private void tamper() throws Exception {
    Path evil = Files.writeString(Files.createDirectories(dir.resolve("evil")).resolve("a-1.0.tar.gz"), "a EVIL\n");
    cli.run("target", "add", "--prefix", "packages", "--if-exists", "replace", evil.toString()).assertOk();
    cli.run("target", "remove", "packages/b-1.0.tar.gz").assertOk();
    Path extra = Files.writeString(dir.resolve("x-6.6.tar.gz"), "x\n");
    cli.run("target", "add", "--prefix", "packages", extra.toString()).assertOk();
    cli.run("publish").assertOk();
  }

  private TreeMap<String, String> diff(String... extra) {
    List<String> args = new ArrayList<>(List.of("--json", "diff", "--against", cp.toString(), "--key", "targets-1"));
    args.addAll(List.of(extra));
    JsonNode r = JsonResults.result(cli.run(args.toArray(String[]::new)).assertOk().out());
    TreeMap<String, String> out = new TreeMap<>();
    for (JsonNode c : r.get("changes")) {
      assertTrue(c.get("role").asText().startsWith("bin-"), c.toString());
      out.put(c.get("path").asText(), c.get("change").asText());
    }
    return out;
  }

  @Test
  void diff_lists_every_change_per_bin_and_restore_stages_the_reverse_with_new_versions() throws Exception {
    assertEquals(new TreeMap<>(), diff(), "nothing changed yet");
    String show = cli.run("--json", "target", "show", "packages/a-1.0.tar.gz").assertOk().out();
    String binOfA = JsonResults.result(show).get("role").asText();
    tamper();
    assertEquals(new TreeMap<>(java.util.Map.of("packages/a-1.0.tar.gz", "changed", "packages/b-1.0.tar.gz",
        "removed", "packages/x-6.6.tar.gz", "added")), diff());
    assertEquals(new TreeMap<>(java.util.Map.of("packages/b-1.0.tar.gz", "removed")),
        diff("--only", "packages/b-*"));

    int published = publishedVersion(binOfA);
    JsonNode r = JsonResults.result(cli.run("--json", "restore", "--from", cp.toString(), "--key", "targets-1")
        .assertOk().out());
    assertEquals(3, r.get("reverted").size(), r.toString());
    assertEquals(published + 1, r.get("versions").get(binOfA).asInt(), "a new version, never the checkpoint's");
    assertEquals(0, r.get("missing_files").size(), "the good copies are still in targets/: " + r);
    assertEquals(new TreeMap<>(), diff(), "staged over published, the repository matches the checkpoint");
    Cli.Result plan = cli.run("plan");
    assertEquals(0, plan.status(), plan.toString());
    assertTrue(plan.out().contains(binOfA), plan.out());
    cli.run("publish").assertOk();
    cli.run("verify").assertOk();
    String good = JsonResults.result(cli.run("--json", "target", "show", "packages/a-1.0.tar.gz").assertOk().out())
        .get("published").get("hashes").get("sha256").asText();
    assertEquals(dev.tufsh.crypto.HashAlgorithm.SHA256.hex("a good\n".getBytes(StandardCharsets.UTF_8)), good);
  }

  @Test
  void restore_only_the_paths_given() throws Exception {
    tamper();
    JsonNode r = JsonResults.result(cli.run("--json", "restore", "--from", cp.toString(), "--key", "targets-1",
        "--only", "packages/x-*").assertOk().out());
    assertEquals(1, r.get("reverted").size(), r.toString());
    assertEquals(new TreeMap<>(java.util.Map.of("packages/a-1.0.tar.gz", "changed", "packages/b-1.0.tar.gz",
        "removed")), diff());
  }

  @Test
  void a_checkpoint_changed_after_signing_or_signed_by_another_key_is_refused() throws Exception {
    JsonNode doc = dev.tufsh.json.Json.parse(Files.readAllBytes(cp), "checkpoint");
    ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("signed").get("roles").get("targets")).put("version", 9);
    Path forged = Files.write(dir.resolve("forged.json"), dev.tufsh.json.CanonicalJson.encodeFile(doc));
    Cli.Result f = cli.run("diff", "--against", forged.toString(), "--key", "targets-1");
    assertEquals(1, f.status(), f.toString());
    assertTrue(f.err().contains("is not signed by key"), f.err());
    Cli.Result other = cli.run("restore", "--from", cp.toString(), "--key", "timestamp-1");
    assertEquals(1, other.status(), other.toString());
    assertTrue(other.err().contains("is not signed by key"), other.err());
    Cli.Result inside = cli.run("checkpoint", "--out", cli.repo().resolve("metadata/cp.json").toString(), "--key",
        "targets-1");
    assertEquals(1, inside.status(), "never into the published tree: " + inside);
  }

  @Test
  void gc_keeps_the_checkpointed_copies_and_without_the_pin_restore_names_what_is_gone() throws Exception {
    tamper();
    Instant later = Instant.now().plus(java.time.Duration.ofHours(2));
    cli.at(later, "gc").assertOk();
    JsonNode kept = JsonResults.result(cli.at(later, "--json", "restore", "--from", cp.toString(), "--key",
        "targets-1").assertOk().out());
    assertEquals(0, kept.get("missing_files").size(), kept.toString());
    cli.at(later, "--yes", "discard").assertOk();

    Files.delete(cli.repo().resolve(".tufsh/checkpoint.pin"));
    cli.at(later, "gc").assertOk();
    JsonNode gone = JsonResults.result(cli.at(later, "--json", "restore", "--from", cp.toString(), "--key",
        "targets-1").assertOk().out());
    List<String> missing = new ArrayList<>();
    gone.get("missing_files").forEach(m -> missing.add(m.asText()));
    assertEquals(List.of("packages/a-1.0.tar.gz", "packages/b-1.0.tar.gz"), missing, gone.toString());
  }

  /**
   * Form 2 is one canonical document: the streamed bytes are exactly what encoding the parsed file
   * gives, the signed part holds a hash and a count per role, and the lists sit outside it.
   */
  @Test
  void the_file_is_canonical_json_with_the_target_lists_outside_the_signed_part() throws Exception {
    byte[] bytes = Files.readAllBytes(cp);
    JsonNode doc = dev.tufsh.json.Json.parse(bytes, "checkpoint");
    assertArrayEquals(dev.tufsh.json.CanonicalJson.encodeFile(doc), bytes);
    assertEquals(List.of("signatures", "signed", "targets"), fieldNames(doc));
    JsonNode roles = doc.get("signed").get("roles");
    assertEquals(10, roles.size(), "targets, bins and its 8 bins");
    int targets = 0;
    for (String role : fieldNames(roles)) {
      JsonNode list = doc.get("targets").get(role);
      assertEquals(roles.get(role).get("targets").asInt(), list.size(), role);
      assertEquals(dev.tufsh.crypto.HashAlgorithm.SHA256.hex(dev.tufsh.json.CanonicalJson.encode(list)),
          roles.get(role).get("targets_sha256").asText(), role);
      targets += list.size();
    }
    assertEquals(3, targets);
  }

  record Forgery(String name, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit,
      String error) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Forgery> forgeries() {
    return List.of(
        new Forgery("a target's length changed", d -> {
          var lists = (com.fasterxml.jackson.databind.node.ObjectNode) d.get("targets");
          String bin = fieldNames(lists).stream().filter(r -> lists.get(r).size() > 0).findFirst().orElseThrow();
          var t = (com.fasterxml.jackson.databind.node.ObjectNode) lists.get(bin).elements().next();
          t.put("length", t.get("length").asLong() + 1);
        }, "is not the one signed"),
        new Forgery("a target list left out", d -> ((com.fasterxml.jackson.databind.node.ObjectNode) d.get("targets"))
            .remove(fieldNames(d.get("targets")).get(0)), "missing"),
        new Forgery("a role the signed part does not list", d ->
            ((com.fasterxml.jackson.databind.node.ObjectNode) d.get("targets")).putObject("zzz-evil"), "does not list"),
        new Forgery("members out of canonical order", d -> {
          JsonNode signed = d.remove("signed");
          d.set("signed", signed);
        }, "canonical layout"));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("forgeries")
  void a_target_list_changed_after_signing_is_refused(Forgery f) throws Exception {
    var doc = (com.fasterxml.jackson.databind.node.ObjectNode) dev.tufsh.json.Json.parse(Files.readAllBytes(cp),
        "checkpoint");
    f.edit().accept(doc);
    List<String> before = staged();
    // Written as it is edited: an out-of-order edit keeps its order (Jackson keeps insertion order).
    Path forged = Files.write(dir.resolve("forged.json"), dev.tufsh.json.Json.mapper().writeValueAsBytes(doc));
    for (String[] cmd : List.of(new String[] {"diff", "--against"}, new String[] {"restore", "--from"})) {
      Cli.Result r = cli.run(cmd[0], cmd[1], forged.toString(), "--key", "targets-1");
      assertEquals(1, r.status(), f + ": " + r);
      assertTrue(r.err().contains(f.error()), r.err());
    }
    assertEquals(before, staged(), "a refused restore stages nothing");
  }

  /** Checkpoints written before form 2 kept every list inside the signed part: they still diff and restore. */
  @Test
  void a_form_1_checkpoint_is_still_read() throws Exception {
    JsonNode doc = dev.tufsh.json.Json.parse(Files.readAllBytes(cp), "checkpoint");
    var signed = ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("signed")).deepCopy();
    signed.put("format", 1);
    fieldNames(signed.get("roles")).forEach(role -> {
      var r = (com.fasterxml.jackson.databind.node.ObjectNode) signed.get("roles").get(role);
      r.remove("targets_sha256");
      r.set("targets", doc.get("targets").get(role));
    });
    var keys = new dev.tufsh.keys.file.FileKeyStore(dev.tufsh.repo.Workspace.open(cli.repo()).keysDir(),
        (purpose, confirm) -> new dev.tufsh.crypto.Secret("s3cret passphrase".toCharArray()));
    var key = keys.list().stream().filter(e -> e.name().equals("targets-1")).findFirst().orElseThrow().key();
    var signer = keys.signerFor(key).orElseThrow();
    var old = dev.tufsh.json.Json.object();
    old.putArray("signatures").addObject().put("keyid", signer.keyId()).put("sig",
        dev.tufsh.crypto.Hex.encode(signer.sign(dev.tufsh.json.CanonicalJson.encode(signed))));
    old.set("signed", signed);
    Path form1 = Files.write(dir.resolve("form1.json"), dev.tufsh.json.CanonicalJson.encodeFile(old));
    tamper();
    cp = form1;
    try {
      assertEquals(new TreeMap<>(java.util.Map.of("packages/a-1.0.tar.gz", "changed", "packages/b-1.0.tar.gz",
          "removed", "packages/x-6.6.tar.gz", "added")), diff());
      ((com.fasterxml.jackson.databind.node.ObjectNode) signed.get("roles").get("targets")).put("version", 9);
      Files.write(form1, dev.tufsh.json.CanonicalJson.encodeFile(old));
      Cli.Result f = cli.run("diff", "--against", form1.toString(), "--key", "targets-1");
      assertEquals(1, f.status(), f.toString());
      assertTrue(f.err().contains("is not signed by key"), f.err());
    } finally {
      cp = shared.resolve("offline").resolve("good.checkpoint.json");
    }
  }

  private List<String> staged() throws java.io.IOException {
    try (var files = Files.walk(dev.tufsh.repo.Workspace.open(cli.repo()).stagedDir())) {
      return files.map(p -> p + " " + p.toFile().length()).sorted().toList();
    }
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private int publishedVersion(String role) {
    JsonNode roles = JsonResults.result(cli.run("--json", "status", "--all").assertOk().out()).get("roles");
    for (JsonNode n : roles) {
      if (n.get("role").asText().equals(role)) {
        return n.get("version").asInt();
      }
    }
    throw new AssertionError(role + " not in status");
  }
}
