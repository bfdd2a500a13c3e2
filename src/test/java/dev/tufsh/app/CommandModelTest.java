package dev.tufsh.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.cli.CommandLines;
import dev.tufsh.cli.ExitCodes;
import dev.tufsh.cli.Interaction;
import dev.tufsh.cli.Session;
import dev.tufsh.cli.TufshCommand;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.keys.KeyExport;
import dev.tufsh.crypto.Pem;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.JsonResults;
import dev.tufsh.testing.PassphraseFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One table over the whole command model: every command tufsh has (the SSH server's included)
 * must have a row, so a new command without one fails {@link #the_table_covers_the_command_model}.
 * Each row runs for real on a copy of a published 4-bin repository, and every command is checked
 * for the same mechanisms: its help page, one JSON envelope on success and on failure with the
 * documented exit status, usage errors, and idempotent global options.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandModelTest {
  /**
   * A command's row: the words after the command, the exit status it must end with, and a command
   * run first to set the stage (null for none).
   */
  record Row(List<String> args, int exit, List<String> before) {
    Row(List<String> args, int exit) {
      this(args, exit, null);
    }
  }

  /**
   * The table. Placeholders: {NEW} a fresh folder, {FILE} a file to add, {PEM} a private key,
   * {PUB} a public key, {OUT} an empty folder, {BOOK} a runbook, {MISSING} a path that does not exist,
   * {FOREIGN} a published repository without tufsh's private state (what another tool left).
   */
  /** A project role for the delegation rows to change. */
  static final List<String> PROJ = List.of("delegation", "add", "proj", "--path", "proj/*", "--key", "timestamp-1",
      "--before", "bins");

  static final Map<String, Row> TABLE = new TreeMap<>(Map.ofEntries(
      Map.entry("help", new Row(List.of("key", "generate"), 0)),
      Map.entry("adopt", new Row(List.of("--repo", "{FOREIGN}"), 0)),
      Map.entry("init", new Row(List.of("--repo", "{NEW}", "--bins", "2"), 0)),
      Map.entry("status", new Row(List.of(), 0)),
      Map.entry("key generate", new Row(List.of("extra-1", "--scheme", "ecdsa"), 0)),
      Map.entry("key import", new Row(List.of("{PEM}", "--name", "imported-1"), 0)),
      Map.entry("key add-offline", new Row(List.of("{PUB}", "--name", "offline-1"), 0)),
      Map.entry("key add-pkcs11", new Row(List.of("--module", "{MISSING}", "--label", "x", "--name", "h"), 1)),
      Map.entry("key add-vault", new Row(List.of("--key", "k", "--address", "http://127.0.0.1:9", "--name", "v"), 1)),
      Map.entry("key list", new Row(List.of(), 0)),
      Map.entry("key show", new Row(List.of("timestamp-1"), 0)),
      Map.entry("key export-public", new Row(List.of("timestamp-1"), 0)),
      Map.entry("key export-private", new Row(List.of("timestamp-1", "--out", "{OUT}/ts.pem"), 0)),
      Map.entry("ceremony root start", new Row(List.of("--yes", "{OUT}/c", "--holder", "h={PUB}", "--role",
          "root=h:1"), 0)),
      Map.entry("ceremony root status", new Row(List.of("{MISSING}"), ExitCodes.USAGE)), // no ceremony there
      Map.entry("ceremony root sign", new Row(List.of("{MISSING}", "--key", "root-1"), ExitCodes.USAGE)),
      Map.entry("ceremony root add-signature", new Row(List.of("{MISSING}", "{FILE}"), ExitCodes.USAGE)),
      Map.entry("ceremony root finish", new Row(List.of("--yes", "{MISSING}"), ExitCodes.USAGE)),
      Map.entry("key change-passphrase", new Row(List.of("timestamp-1"), 0)),
      Map.entry("key rename", new Row(List.of("timestamp-1", "ts-main"), 0)),
      Map.entry("key remove", new Row(List.of("timestamp-1"), ExitCodes.USAGE)), // trusted: refused
      Map.entry("target add", new Row(List.of("--prefix", "pkg", "{FILE}"), 0)),
      Map.entry("target remove", new Row(List.of("pkg/published.txt"), 0)),
      Map.entry("target list", new Row(List.of(), 0)),
      Map.entry("target show", new Row(List.of("pkg/published.txt"), 0)),
      Map.entry("resign", new Row(List.of("bin-*"), 0)),
      Map.entry("bump", new Row(List.of("timestamp", "--by", "2d"), 0)),
      Map.entry("rotate", new Row(List.of("timestamp"), 0)),
      Map.entry("revoke", new Row(List.of("bin-n-1", "--generate", "--yes"), 0)),
      Map.entry("delegation add", new Row(List.of("proj", "--path", "proj/*", "--key", "timestamp-1", "--before",
          "bins"), 0)),
      Map.entry("delegation set", new Row(List.of("proj", "--threshold", "1", "--terminating", "true"), 0, PROJ)),
      Map.entry("delegation move", new Row(List.of("proj", "--parent", "targets", "--before", "bins"), 0, PROJ)),
      Map.entry("delegation remove", new Row(List.of("proj", "--yes"), 0, PROJ)),
      Map.entry("delegation show", new Row(List.of(), 0)),
      Map.entry("sign export", new Row(List.of("--out", "{OUT}"), 0, List.of("resign", "targets"))),
      Map.entry("sign import", new Row(List.of("{MISSING}"), ExitCodes.USAGE)),
      Map.entry("plan", new Row(List.of(), 0)),
      Map.entry("publish", new Row(List.of(), 0)), // nothing staged: fine for cron
      Map.entry("discard", new Row(List.of(), 0)),
      Map.entry("verify", new Row(List.of(), 0)),
      Map.entry("run", new Row(List.of("{BOOK}"), 0)),
      Map.entry("record start", new Row(List.of("{OUT}/new.tufsh"), 0)),
      Map.entry("record stop", new Row(List.of(), ExitCodes.FAILED)), // nothing is being recorded
      Map.entry("jshell", new Row(List.of(), ExitCodes.FAILED)), // needs a terminal
      Map.entry("refresh", new Row(List.of(), 0)), // just published: nothing due
      Map.entry("check", new Row(List.of(), 0)),
      Map.entry("gc", new Row(List.of("--dry-run"), 0)),
      Map.entry("lint", new Row(List.of(), 0)), // root 1 of 1 is a warning only
      Map.entry("checkpoint", new Row(List.of("--out", "{OUT}/cp.json", "--key", "targets-1"), 0)),
      Map.entry("diff", new Row(List.of("--against", "{CHECKPOINT}", "--key", "targets-1"), 0)),
      Map.entry("restore", new Row(List.of("--from", "{CHECKPOINT}", "--key", "targets-1"), 0)), // nothing to do
      Map.entry("reshape", new Row(List.of("--bins", "16", "--layout", "hash-prefix"), 0)),
      Map.entry("target rehash", new Row(List.of("--drop", "sha512"), 0)),
      Map.entry("audit verify", new Row(List.of(), 0)),
      Map.entry("audit show", new Row(List.of("--last", "2"), 0)),
      Map.entry("serve ssh", new Row(List.of("--port", "not-a-port"), ExitCodes.USAGE))));

  Path dir;
  Path base;
  Path pass;

  @BeforeAll
  void publishedRepository(@TempDir Path tmp) throws IOException {
    dir = tmp;
    base = dir.resolve("base");
    pass = PassphraseFiles.write(dir.resolve("pass"), "model passphrase\n");
    Path file = Files.writeString(dir.resolve("published.txt"), "published\n");
    cli(base, "init", "--bins", "4").assertOk();
    cli(base, "target", "add", "--prefix", "pkg", file.toString()).assertOk();
    cli(base, "publish").assertOk();
    cli(base, "checkpoint", "--out", dir.resolve("base.checkpoint.json").toString(), "--key", "targets-1").assertOk();
  }

  private Cli.Result cli(Path repo, String... args) {
    List<String> all = new ArrayList<>(List.of("--repo", repo.toString(), "--passphrase-file", pass.toString()));
    all.addAll(Arrays.asList(args));
    return Cli.run(all.toArray(String[]::new));
  }

  /** Every command a person can run, as typed ("key generate"), from the live model. */
  static List<String> commands() {
    Extensions.registerAll();
    Session s = new Session(Path.of("."), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Interaction.NONE, Clock.systemUTC(), "test", false);
    List<String> out = new ArrayList<>();
    leaves(CommandLines.create(s), out);
    return out;
  }

  private static void leaves(CommandLine cmd, List<String> out) {
    if (cmd.getSubcommands().isEmpty()) {
      out.add(cmd.getCommandSpec().qualifiedName(" ").replaceFirst("^tufsh ", ""));
    }
    cmd.getSubcommands().values().forEach(c -> leaves(c, out));
  }

  @Test
  void the_table_covers_the_command_model() {
    assertEquals(new TreeSet<>(commands()), new TreeSet<>(TABLE.keySet()),
        "every command needs a row in CommandModelTest.TABLE (and every row a command)");
  }

  /** The row's command line on a copy of the published repository, placeholders filled in. */
  private List<String> line(String command, Path repo) throws IOException {
    Path work = Files.createTempDirectory(dir, "w");
    Path book = Files.writeString(work.resolve("book.tufsh"), "status\nkey list\n");
    LocalSigner k = KeyPairs.generate(Scheme.ED25519);
    Path pem = Files.writeString(work.resolve("k.pem"), Pem.encode("PRIVATE KEY", k.privateKeyPkcs8()));
    Path pub = Files.writeString(work.resolve("p.pem"),
        KeyExport.publicPem(KeyPairs.generate(Scheme.ED25519).key()));
    Path file = Files.writeString(work.resolve("new.txt"), "new\n");
    Path outDir = Files.createDirectories(work.resolve("out"));
    Path foreign = work.resolve("foreign");
    copyTree(base.resolve("metadata"), foreign.resolve("metadata"));
    copyTree(base.resolve("targets"), foreign.resolve("targets"));
    Map<String, String> fill = Map.of("{NEW}", work.resolve("new-repo").toString(), "{FILE}", file.toString(),
        "{PEM}", pem.toString(), "{PUB}", pub.toString(), "{OUT}", outDir.toString(), "{BOOK}", book.toString(),
        "{MISSING}", work.resolve("missing").toString(), "{FOREIGN}", foreign.toString(),
        "{CHECKPOINT}", dir.resolve("base.checkpoint.json").toString());
    List<String> words = new ArrayList<>(List.of("--repo", repo.toString(), "--passphrase-file", pass.toString()));
    words.addAll(Arrays.asList(command.split(" ")));
    for (String a : TABLE.get(command).args()) {
      String v = a;
      for (var e : fill.entrySet()) {
        v = v.replace(e.getKey(), e.getValue());
      }
      words.add(v);
    }
    return words;
  }

  private Path copy() throws IOException {
    Path to = Files.createTempDirectory(dir, "repo");
    copyTree(base, to);
    return to;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    dev.tufsh.testing.Trees.copy(from, to);
  }


  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void help_is_the_same_page_from_help_and_from_dash_dash_help(String command) {
    List<String> words = Arrays.asList(command.split(" "));
    List<String> a = new ArrayList<>(words);
    a.add("--help");
    Cli.Result flag = Cli.run(a.toArray(String[]::new));
    List<String> b = new ArrayList<>(List.of("help"));
    b.addAll(words);
    Cli.Result help = Cli.run(b.toArray(String[]::new));
    assertEquals(0, flag.status(), flag.err());
    assertEquals(0, help.status(), help.err());
    assertTrue(flag.out().startsWith("Usage: tufsh " + command), flag.out());
    assertEquals(flag.out(), help.out(), "help " + command + " shows the page of '" + command + "'");
    assertFalse(flag.out().contains("null") || flag.out().contains("%n"), "unfilled text in help: " + flag.out());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void every_command_prints_one_json_envelope_with_its_documented_exit(String command) throws IOException {
    Path repo = copy();
    if (TABLE.get(command).before() != null) {
      cli(repo, TABLE.get(command).before().toArray(String[]::new)).assertOk();
    }
    List<String> words = line(command, repo);
    // --json before and after the command: a global option given twice means it once.
    words.add(0, "--json");
    words.add("--json");
    Cli.Result r = Cli.run(words.toArray(String[]::new));
    int want = TABLE.get(command).exit();
    assertEquals(want, r.status(), command + ": " + r);
    JsonNode env = JsonResults.envelope(r.out()); // exactly one JSON document, nothing around it
    assertEquals(command, env.get("command").asText(), r.out());
    assertEquals(want, env.get("exit").asInt());
    assertEquals(want == 0, env.get("ok").asBoolean());
    if (want == 0) {
      assertTrue(env.get("error").isNull(), r.out());
      assertTrue(env.get("result").isObject(), "a result object: " + r.out());
    } else {
      assertEquals(ExitCodes.kind(want), env.get("error").get("kind").asText(), r.out());
      assertFalse(env.get("error").get("message").asText().isBlank(), r.out());
      assertEquals(1, r.err().lines().filter(l -> l.startsWith("tufsh: ")).count(), "one error line: " + r.err());
    }
    assertNoCamelCase(env, command);
    if (want == 0) {
      java.util.Set<String> members = new TreeSet<>();
      env.get("result").fieldNames().forEachRemaining(members::add);
      assertEquals(documented().get(command), members, "docs/json.md's row for '" + command + "'");
    }
  }

  /** docs/json.md's table: command to the members of its result ("| `key list` | `keys`, `missing` |"). */
  private static Map<String, java.util.Set<String>> documented() throws IOException {
    Map<String, java.util.Set<String>> out = new TreeMap<>();
    var row = java.util.regex.Pattern.compile("^\\| `([a-z -]+)` \\| (.*) \\|$");
    for (String l : Files.readAllLines(Path.of("docs/json.md"))) {
      var m = row.matcher(l);
      if (m.matches()) {
        java.util.Set<String> members = new TreeSet<>();
        // Top-level members only: what a parenthesis says about a member's contents is left out.
        var member = java.util.regex.Pattern.compile("`([a-z_0-9]+)`").matcher(m.group(2).replaceAll("\\([^)]*\\)", ""));
        while (member.find()) {
          members.add(member.group(1));
        }
        out.put(m.group(1), members);
      }
    }
    return out;
  }

  /** Member names are snake_case everywhere (paths and role names as keys are data, not names). */
  private static void assertNoCamelCase(JsonNode n, String command) {
    if (n.isObject()) {
      n.fields().forEachRemaining(e -> {
        boolean dataKeys = e.getKey().equals("versions") || e.getKey().equals("targets") && e.getValue().isObject()
            || e.getKey().equals("added") || e.getKey().equals("hashes") || e.getKey().equals("keys")
            || e.getKey().equals("passphrase_sources");
        assertFalse(e.getKey().matches(".*[a-z][A-Z].*"), command + ": camelCase member " + e.getKey());
        if (!dataKeys) {
          assertNoCamelCase(e.getValue(), command);
        }
      });
    } else if (n.isArray()) {
      n.forEach(x -> assertNoCamelCase(x, command));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void an_unknown_option_is_a_usage_error_naming_the_command(String command) throws IOException {
    List<String> words = parsable(command);
    words.add(0, "--json");
    words.add("--no-such-option");
    Cli.Result r = Cli.run(words.toArray(String[]::new));
    assertEquals(ExitCodes.USAGE, r.status(), r.err());
    assertTrue(r.err().startsWith("tufsh: unknown option '--no-such-option' for '" + command + "'"), r.err());
    assertEquals("usage", JsonResults.envelope(r.out()).get("error").get("kind").asText());
  }

  /** The row's command line with every value valid for parsing (these are parsed, never run). */
  private List<String> parsable(String command) throws IOException {
    List<String> args = new ArrayList<>(line(command, base).stream()
        .map(a -> a.equals("not-a-port") ? "2222" : a).toList());
    if (command.equals("serve ssh")) {
      args.addAll(List.of("--host-key", "hk", "--authorized-keys", "ak"));
    }
    return args;
  }

  /** Every boolean global option, given before and after every command, is on: never toggled off. */
  @Test
  void boolean_global_options_given_twice_stay_on_for_every_command() throws IOException {
    Session s = new Session(Path.of("."), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Interaction.NONE, Clock.systemUTC(), "test", true);
    CommandSpec rootSpec = CommandLines.create(s).getCommandSpec();
    List<String> flags = rootSpec.options().stream()
        .filter(o -> o.arity().max() == 0 && !o.usageHelp() && !o.versionHelp() && o.inherited() == false
            && o.scopeType() == CommandLine.ScopeType.INHERIT)
        .map(OptionSpec::longestName).toList();
    assertTrue(flags.containsAll(List.of("--json", "--yes", "--no-color", "--debug")), flags.toString());
    for (String command : commands()) {
      for (String flag : flags) {
        CommandLine cmd = CommandLines.create(s);
        List<String> args = parsable(command);
        args.add(0, flag);
        args.add(flag);
        cmd.parseArgs(args.toArray(String[]::new));
        TufshCommand root = cmd.getCommand();
        boolean on = switch (flag) {
          case "--json" -> root.json();
          case "--yes" -> root.yes();
          case "--no-color" -> !root.color();
          case "--debug" -> root.debug();
          default -> throw new AssertionError("a new boolean global option needs a case here: " + flag);
        };
        assertTrue(on, flag + " " + command + " " + flag + " must leave " + flag + " on");
      }
    }
  }

  @Test
  void a_runbook_under_a_global_yes_confirms_its_own_yes_lines() throws IOException {
    Path repo = copy();
    Path book = Files.writeString(dir.resolve("revoke.tufsh"), "revoke bin-n-1 --generate --yes\ndiscard --yes\n");
    Cli.Result r = cli(repo, "--yes", "run", book.toString());
    assertEquals(0, r.status(), r.toString());
  }

  @Test
  void dash_c_takes_a_one_word_command_and_a_quiet_cron_day_succeeds() {
    Cli.Result plan = cli(base, "-c", "plan");
    assertEquals(0, plan.status(), plan.toString());
    assertTrue(plan.out().contains("nothing staged"), plan.out());
    Cli.Result cron = cli(base, "-c", "plan; publish");
    assertEquals(0, cron.status(), cron.toString());
  }

  @Test
  void the_exit_status_table_is_documented_in_the_readme_and_the_man_page() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String man = Files.readString(Path.of("man/tufsh.1"));
    for (ExitCodes.Code c : ExitCodes.TABLE) {
      assertTrue(readme.contains("| " + c.status() + " | `" + c.kind() + "` |"), "README lacks exit " + c.status());
      assertTrue(man.contains(c.meaning().replace("-", "\\-")), "man/tufsh.1 lacks exit " + c.status());
    }
  }
}
