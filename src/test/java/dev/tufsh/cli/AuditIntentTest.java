package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.audit.AuditEntry;
import dev.tufsh.json.Json;
import dev.tufsh.testing.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command that changes anything appends an intent to the audit log before its first write:
 * the command model is enumerated, each changing command has a row here, and each row runs twice.
 * Once with a log that cannot take a line (a folder in its place): the command fails and the
 * workspace is byte for byte and mode for mode as it was. Once with a working log: the command
 * succeeds and leaves an intent, then an outcome naming it.
 */
class AuditIntentTest {
  /**
   * One changing command: the words to prepare (run first, with a working log), the command, and
   * whether the successful run can be checked here (a token, a Vault, a server that runs until
   * stopped are driven by their own tests; the refusal is checked for every row).
   */
  record Row(String command, List<List<String>> prepare, List<String> words, boolean runs, boolean succeeds) {
    @Override
    public String toString() {
      return command;
    }
  }

  static Path template;
  static Path files;

  @TempDir static Path shared;
  @TempDir Path tmp;

  static Row row(String command, String words, String... prepare) {
    List<List<String>> prep = new ArrayList<>();
    for (String p : prepare) {
      prep.add(CommandText.words(p));
    }
    return new Row(command, prep, CommandText.words(words), true, true);
  }

  /** A command that runs and fails after its intent (its outcome must say so). */
  static Row failing(String command, String words, String... prepare) {
    Row r = row(command, words, prepare);
    return new Row(r.command(), r.prepare(), r.words(), true, false);
  }

  static Row refusalOnly(String command, String words) {
    return new Row(command, List.of(), CommandText.words(words), false, false);
  }

  static List<Row> rows() {
    String f = "${FILES}";
    return List.of(
        row("init", "init --bins 4"),
        row("adopt", "adopt"),
        row("key generate", "key generate spare-1"),
        row("key import", "key import " + f + "/ed25519.pem --name imported-1"),
        row("key add-offline", "key add-offline " + f + "/offline.pub.json --name offline-1"),
        refusalOnly("key add-pkcs11", "key add-pkcs11 --module /usr/lib/softhsm/libsofthsm2.so --token tuf --label"
            + " ts-1 --name hsm-ts"),
        refusalOnly("key add-vault", "key add-vault --key tuf-ec --name vault-ec"),
        row("key change-passphrase", "key change-passphrase timestamp-1"),
        row("key export-private", "key export-private timestamp-1 --out ${OUT}/ts.pem"),
        row("ceremony root start", "ceremony root start ${OUT}/c --holder h1=" + f + "/offline.pub.json"
            + " --role root=h1:1"),
        row("ceremony root finish", "ceremony root finish ${OUT}/c", "ceremony root start ${OUT}/c --role"
            + " root=root-1:1"),
        row("key remove", "key remove spare-9 --yes", "key generate spare-9"),
        row("key rename", "key rename spare-8 spare-7", "key generate spare-8"),
        row("target add", "target add --prefix packages " + f + "/demo-1.0.tar.gz"),
        row("target remove", "target remove packages/demo-1.0.tar.gz",
            "target add --prefix packages " + f + "/demo-1.0.tar.gz", "publish"),
        row("resign", "resign bin-*"),
        row("bump", "bump timestamp --by 2d"),
        row("rotate", "rotate timestamp"),
        row("revoke", "revoke timestamp-1 --generate"),
        row("delegation add", "delegation add proj --path proj/* --key timestamp-1 --before bins"),
        row("delegation set", "delegation set proj --threshold 1 --terminating true", "delegation add proj --path proj/* --key timestamp-1 --before bins"),
        row("delegation set", "delegation set proj --path proj/* --path extra/*", "delegation add proj --path proj/* --key timestamp-1 --before bins"),
        row("delegation move", "delegation move proj --parent targets --before bins", "delegation add proj --path proj/* --key timestamp-1 --before bins"),
        row("delegation remove", "delegation remove proj --yes", "delegation add proj --path proj/* --key timestamp-1 --before bins"),
        row("publish", "publish", "bump timestamp --by 2d"),
        row("refresh", "refresh"),
        row("gc", "gc"),
        row("checkpoint", "checkpoint --out ${OUT}/cp.json --key targets-1"),
        row("restore", "restore --from ${OUT}/cp.json --key targets-1", "checkpoint --out ${OUT}/cp.json --key targets-1"),
        row("reshape", "reshape --bins 8"),
        row("target rehash", "target rehash --drop sha512", "target add --prefix packages " + f + "/demo-1.0.tar.gz",
            "publish"),
        row("discard", "discard", "bump timestamp --by 2d"),
        // The exported timestamp carries only the signature already staged: nothing to add, exit 1.
        failing("sign import", "sign import " + "${OUT}/timestamp.json", "bump timestamp --by 2d",
            "sign export timestamp --out ${OUT}"),
        refusalOnly("serve ssh", "serve ssh --port 0 --host-key " + f + "/host_key --authorized-keys " + f
            + "/authorized_keys"));
  }

  /** The command model's leaves that declare they change something. */
  static TreeSet<String> changingCommands() {
    Cli.run("--version"); // Main registers the commands of the layers above cli (serve ssh)
    Session s = new Session(Path.of("."), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Interaction.NONE, Clock.systemUTC(), "test", false);
    TreeSet<String> out = new TreeSet<>();
    walk(CommandLines.create(s), out);
    return out;
  }

  private static void walk(CommandLine c, TreeSet<String> out) {
    CommandSpec spec = c.getCommandSpec();
    if (c.getSubcommands().isEmpty()) {
      if (c.getCommand() instanceof BaseCommand b && writes(b)) {
        out.add(spec.qualifiedName(" ").replaceFirst("^tufsh ", ""));
      }
      return;
    }
    // distinct: picocli lists a command once per alias
    c.getSubcommands().values().stream().distinct().forEach(sub -> walk(sub, out));
  }

  /** Whether {@code b} declares a change; one that needs its arguments to say counts as changing. */
  private static boolean writes(BaseCommand b) {
    try {
      return b.access().writes();
    } catch (RuntimeException e) {
      return true;
    }
  }

  @Test
  void every_changing_command_in_the_model_has_a_row() {
    TreeSet<String> table = new TreeSet<>();
    rows().forEach(r -> table.add(r.command()));
    assertEquals(changingCommands(), table);
  }

  @BeforeAll
  static void buildTemplate() throws Exception {
    files = shared.resolve("files");
    Files.createDirectories(files);
    dev.tufsh.testing.PassphraseFiles.write(files.resolve("pass"), "s3cret passphrase\n");
    Files.writeString(files.resolve("demo-1.0.tar.gz"), "demo");
    Process p = new ProcessBuilder("openssl", "genpkey", "-algorithm", "ed25519", "-out",
        files.resolve("ed25519.pem").toString()).redirectErrorStream(true).start();
    assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    template = shared.resolve("template");
    run(template, "init", "--bins", "4").assertOk();
    run(template, "publish").assertOk();
    Path other = shared.resolve("other");
    run(other, "init", "--bins", "2").assertOk();
    Files.writeString(files.resolve("offline.pub.json"), run(other, "key", "export-public", "root-1").assertOk().out());
  }

  static Cli.Result run(Path repo, String... words) {
    List<String> args = new ArrayList<>(List.of("--repo", repo.toString(), "--passphrase-file",
        files.resolve("pass").toString(), "--yes"));
    args.addAll(List.of(words));
    return Cli.run(args.toArray(String[]::new));
  }

  private List<String> expand(List<String> words, Path out) {
    return words.stream().map(w -> w.replace("${FILES}", files.toString()).replace("${OUT}", out.toString())).toList();
  }

  static Stream<Row> table() {
    return rows().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void writes_an_intent_before_its_first_write(Row row) throws Exception {
    Path repo = tmp.resolve("repo");
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    boolean init = row.command().equals("init");
    boolean adopt = row.command().equals("adopt");
    if (!init) {
      copy(template, repo);
    }
    if (adopt) { // a foreign repository: what python-tuf or a mirror leaves, no .tufsh/
      try (var walk = Files.walk(repo.resolve(".tufsh"))) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    for (List<String> p : row.prepare()) {
      run(repo, expand(p, out).toArray(String[]::new)).assertOk();
    }
    Path log = repo.resolve(".tufsh/audit.log");
    String[] words = expand(row.words(), out).toArray(String[]::new);

    // A log that cannot take a line: a folder in its place (no permission bit stops root).
    Path saved = tmp.resolve("audit.log.saved");
    if (init || adopt) {
      Files.createDirectories(log);
    } else {
      Files.move(log, saved);
      Files.createDirectory(log);
    }
    Map<String, String> before = tree(repo);
    Cli.Result refused = run(repo, words);
    assertNotEquals(0, refused.status(), row + " ran without its intent on record");
    assertTrue(refused.err().contains("audit log"), row + ": " + refused.err());
    assertEquals(1, refused.err().strip().lines().count(), "[" + refused.err() + "]");
    assertEquals(before, tree(repo), row + " wrote before its intent was on record");

    Files.delete(log);
    if (init || adopt) {
      Files.delete(log.getParent());
      if (init) {
        Files.delete(repo);
      }
    } else {
      Files.move(saved, log);
    }
    if (!row.runs()) {
      return;
    }
    int linesBefore = init || adopt ? 0 : Files.readAllLines(log).size();
    Cli.Result ok = run(repo, words);
    if (row.succeeds()) {
      ok.assertOk();
    } else {
      assertNotEquals(0, ok.status(), row + " was expected to fail");
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    List<JsonNode> added = lines.subList(linesBefore, lines.size()).stream().map(l -> Json.parse(l, "log")).toList();
    String text = CommandLines.text(List.of(words));
    JsonNode intent = added.stream().filter(j -> j.path("command").asText().endsWith(text)
        && j.path("outcome").asText().equals(AuditEntry.INTENT)).findFirst().orElseThrow(
            () -> new AssertionError(row + ": no intent in " + added + "\n" + ok.err()));
    JsonNode outcome = added.get(added.size() - 1);
    assertEquals(intent.path("seq").asLong(), outcome.path("intent").asLong(), row + ": " + added);
    assertEquals(row.succeeds(), "ok".equals(outcome.path("outcome").asText()), row + ": " + outcome);
    assertEquals(intent.path("command").asText(), outcome.path("command").asText());
  }

  /** Every file and folder under {@code dir}: its content's hash (or "dir", or a link's target) and mode. */
  static Map<String, String> tree(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(dir)) {
      return out;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String mode = java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        String what = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
            : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
            : dev.tufsh.crypto.Hex.encode(dev.tufsh.crypto.Crypto.sha256(Files.readAllBytes(p)));
        out.put(dir.relativize(p).toString(), what + " " + mode);
      }
    }
    return out;
  }

  /** cp -a, so modes and times stay as they were. */
  static void copy(Path from, Path to) throws Exception {
    Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start();
    assertEquals(0, p.waitFor());
  }
}
