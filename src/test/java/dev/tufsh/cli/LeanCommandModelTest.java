package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * A command line runs on a model holding only the top-level command it names: for every line
 * here, parsing with that model gives what parsing with the whole model gives (the same command
 * chain, the same options and values, the same one-line error).
 */
class LeanCommandModelTest {
  static Stream<String> lines() {
    return Stream.of(
        "status",
        "--json status",
        "status --json",
        "--repo /tmp/r --passphrase-file /tmp/p --yes status",
        "--repo=/tmp/r status",
        "-c status",
        "--repo status status",
        "-c 'a; b'",
        "target add --path a/b --length 3 --sha256 " + "ab".repeat(32),
        "target add --path a/b --length x",
        "target ad",
        "target --json add --path a/b --length 3 --sha256 " + "ab".repeat(32),
        "target --repo /tmp/r remove a/b",
        "target --repo=/tmp/r list",
        "target -c x add",
        "target --bogus add",
        "target add -h",
        "target add --help",
        "target remove -- -a",
        "target list --json extra",
        "key list",
        "key nope",
        "ceremony root start",
        "ceremony root",
        "ceremony root nope",
        "delegation",
        "audit verify",
        "record stop --json",
        "sign export --json",
        "sign --key k export",
        "sign export",
        "target",
        "key list --json",
        "key generate --bogus",
        "bump 'bin-*'",
        "publish --after-restore",
        "publish extra",
        "stattus",
        "help",
        "help target add",
        "--help",
        "-h status",
        "--version",
        "--bogus status",
        "-- status",
        "",
        "--wait 5m status",
        "--now 2030-01-01T00:00:00Z plan");
  }

  private static Session session() {
    PrintWriter w = new PrintWriter(new StringWriter());
    return new Session(Path.of("."), w, w, Interaction.NONE, Clock.systemUTC(), "t@local", false);
  }

  /** What a parse came to, as text: the command chain with each level's options, or the error. */
  private static String parse(CommandLine cmd, List<String> args) {
    try {
      CommandLine.ParseResult p = cmd.parseArgs(args.toArray(String[]::new));
      StringBuilder out = new StringBuilder();
      for (CommandLine.ParseResult r = p; r != null; r = r.hasSubcommand() ? r.subcommand() : null) {
        out.append('[').append(Errors.commandName(r.commandSpec().commandLine()));
        r.matchedOptions().forEach(o -> out.append(' ').append(o.longestName()).append('=')
            .append(o.originalStringValues()));
        r.matchedPositionals().forEach(o -> out.append(" @").append(o.originalStringValues()));
        out.append(r.isUsageHelpRequested() ? " help" : "").append(']');
      }
      return out.toString();
    } catch (CommandLine.ParameterException e) {
      return "error: " + Errors.parseMessage(e);
    }
  }

  @ParameterizedTest
  @MethodSource("lines")
  void a_line_parses_on_its_own_command_as_on_all_of_them(String line) {
    List<String> args = CommandText.words(line);
    String whole = parse(CommandLines.create(session()), args);
    String lean = parse(CommandLines.create(session(), args), args);
    assertEquals(whole, lean, line);
  }

  @Test
  void a_named_command_is_built_alone_and_an_unnamed_one_builds_everything() {
    assertEquals(List.of("status"), names(List.of("--json", "status")));
    assertEquals(List.of("target"), names(List.of("target", "add", "--path", "x")));
    assertEquals(List.of(), names(List.of("-c", "status; publish")));
    int all = CommandLines.create(session()).getSubcommands().size();
    assertTrue(all > 25, "the whole model has every command");
    assertEquals(all, names(List.of("stattus")).size());
    assertEquals(all, names(List.of("help", "status")).size());
    assertEquals(all, names(List.of("--help")).size());
  }

  @Test
  void a_group_holds_only_the_subcommand_named() {
    CommandLine target = CommandLines.create(session(), List.of("target", "--json", "add", "--path", "x"))
        .getSubcommands().get("target");
    assertEquals(List.of("add"), new ArrayList<>(target.getSubcommands().keySet()));
    CommandLine root = CommandLines.create(session(), List.of("ceremony", "root", "start"))
        .getSubcommands().get("ceremony").getSubcommands().get("root");
    assertEquals(List.of("start"), new ArrayList<>(root.getSubcommands().keySet()));
    int whole = CommandLines.create(session()).getSubcommands().get("target").getSubcommands().size();
    assertTrue(whole > 2);
    for (List<String> args : List.of(List.of("target"), List.of("target", "ad"), List.of("target", "add", "-h"),
        List.of("target", "--bogus", "add"))) {
      assertEquals(whole, CommandLines.create(session(), args).getSubcommands().get("target").getSubcommands().size(),
          args.toString());
    }
  }

  @CommandLine.Command(name = "leaf")
  static final class Leaf implements Runnable {
    @Override
    public void run() {}
  }

  @CommandLine.Command(name = "grouped", subcommands = Leaf.class)
  static final class GroupWithOption {
    @CommandLine.Option(names = "--own", scope = CommandLine.ScopeType.INHERIT)
    boolean own;
  }

  @CommandLine.Command(name = "plain", subcommands = Leaf.class)
  static final class PlainGroup {}

  @Test
  void a_group_with_options_of_its_own_is_built_whole() {
    var root = CommandLines.create(session()).getCommandSpec();
    assertEquals(GroupWithOption.class, TopLevel.lean(GroupWithOption.class, root, List.of("leaf")));
    Object lean = TopLevel.lean(PlainGroup.class, root, List.of("leaf"));
    assertTrue(lean instanceof CommandLine l && l.getSubcommands().keySet().equals(java.util.Set.of("leaf")),
        "a group without options of its own holds only the named subcommand");
  }

  @Test
  void every_subcommand_is_found_by_its_name() {
    CommandLine all = CommandLines.create(session());
    for (var top : all.getSubcommands().entrySet()) {
      for (String sub : top.getValue().getSubcommands().keySet()) {
        if (sub.equals("help")) {
          continue;
        }
        CommandLine lean = CommandLines.create(session(), List.of(top.getKey(), sub)).getSubcommands().get(top.getKey());
        // a group that is a command too ('sign FILE --key NAME') is built whole
        List<String> expected = TopLevel.hasOwnOptions(top.getValue().getCommandSpec().userObject().getClass())
            ? new ArrayList<>(top.getValue().getSubcommands().keySet()) : List.of(sub);
        assertEquals(expected, new ArrayList<>(lean.getSubcommands().keySet()), top.getKey() + " " + sub);
      }
    }
  }

  @Test
  void every_top_level_command_is_found_by_its_name() {
    for (String name : CommandLines.create(session()).getSubcommands().keySet()) {
      if (!name.equals("help")) {
        assertEquals(List.of(name), names(List.of(name)), name);
      }
    }
  }

  private static List<String> names(List<String> args) {
    return new ArrayList<>(CommandLines.create(session(), args).getSubcommands().keySet());
  }
}
