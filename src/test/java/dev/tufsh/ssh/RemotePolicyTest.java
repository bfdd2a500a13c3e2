package dev.tufsh.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.cli.CommandLines;
import dev.tufsh.cli.Interaction;
import dev.tufsh.cli.Session;
import dev.tufsh.testing.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The remote policy against picocli's whole command model: every command and every option has a
 * decision (allowed, or refused with a reason), and the policy names nothing that does not exist.
 * A command or option added later fails here until someone decides whether a remote key may use it.
 */
class RemotePolicyTest {
  private static final Map<String, CommandSpec> COMMANDS = new HashMap<>();

  @BeforeAll
  static void model() {
    Cli.run("--version"); // registers the commands above cli (serve) as the application does
    Session s = new Session(Path.of("."), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Interaction.NONE, Clock.systemUTC(), "test", false);
    collect(CommandLines.create(s).getCommandSpec());
  }

  private static void collect(CommandSpec spec) {
    COMMANDS.put(RemoteCommandCheck.name(spec), spec);
    spec.subcommands().values().forEach(c -> collect(c.getCommandSpec()));
  }

  @Test
  void every_command_has_a_remote_decision() {
    List<String> undecided = new ArrayList<>();
    for (String c : COMMANDS.keySet()) {
      boolean decided = RemotePolicy.rule(c) != null || RemotePolicy.GROUPS.contains(c)
          || RemotePolicy.LOCAL_ONLY.containsKey(c);
      if (!decided) {
        undecided.add(c);
      }
    }
    assertEquals(List.of(), undecided, "commands without a remote policy decision (RemotePolicy)");
    assertTrue(COMMANDS.size() > 30, "the model was not read whole: " + COMMANDS.keySet());
  }

  @Test
  void every_option_and_positional_of_an_allowed_command_has_a_decision() {
    List<String> undecided = new ArrayList<>();
    for (var e : COMMANDS.entrySet()) {
      CommandSpec spec = e.getValue();
      RemotePolicy.Rule rule = RemotePolicy.rule(e.getKey());
      for (OptionSpec o : spec.options()) {
        String n = o.longestName();
        if (o.inherited() || spec.parent() == null) {
          if (!RemotePolicy.GLOBAL.contains(n) && !RemotePolicy.GLOBAL_REFUSED.containsKey(n)) {
            undecided.add("global option " + n);
          }
        } else if (rule != null && !o.usageHelp() && !o.versionHelp() && !rule.options().containsKey(n)
            && !rule.refusedOptions().containsKey(n)) {
          undecided.add(e.getKey() + " " + n);
        }
      }
      if (rule != null && !spec.positionalParameters().isEmpty() && rule.positionals() == null) {
        undecided.add(e.getKey() + " " + spec.positionalParameters().get(0).paramLabel());
      }
    }
    assertEquals(List.of(), undecided, "options or arguments without a remote policy decision");
  }

  @Test
  void the_policy_names_only_what_exists_and_allows_nothing_hidden() {
    List<String> stale = new ArrayList<>();
    for (RemotePolicy.Rule r : RemotePolicy.RULES) {
      CommandSpec spec = COMMANDS.get(r.command());
      if (spec == null) {
        stale.add(r.command());
        continue;
      }
      for (String o : r.options().keySet()) {
        OptionSpec opt = spec.findOption(o);
        if (opt == null || opt.inherited()) {
          stale.add(r.command() + " " + o);
        } else if (opt.hidden()) {
          stale.add(r.command() + " " + o + " (hidden)");
        }
      }
      for (String o : r.refusedOptions().keySet()) {
        if (spec.findOption(o) == null) {
          stale.add(r.command() + " refused " + o);
        }
      }
    }
    CommandSpec root = COMMANDS.get("");
    for (String g : RemotePolicy.GLOBAL) {
      OptionSpec o = root.findOption(g);
      if (o == null || o.hidden()) {
        stale.add("global " + g);
      }
    }
    RemotePolicy.GLOBAL_REFUSED.keySet().stream().filter(g -> root.findOption(g) == null)
        .forEach(g -> stale.add("global refused " + g));
    RemotePolicy.LOCAL_ONLY.keySet().stream().filter(c -> !COMMANDS.containsKey(c))
        .forEach(c -> stale.add("local-only " + c));
    assertEquals(List.of(), stale, "policy entries that do not match the command model");
  }

  @Test
  void parsing_never_expands_at_files_nor_abbreviations() throws Exception {
    Session s = new Session(Path.of("."), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Interaction.NONE, Clock.systemUTC(), "test", false);
    Path args = java.nio.file.Files.createTempFile("args", ".txt");
    try {
      java.nio.file.Files.writeString(args, "--repo /etc secret-line\n");
      for (String[] line : List.of(new String[] {"@" + args}, new String[] {"key", "show", "@" + args},
          new String[] {"help", "@" + args})) {
        CommandLine cmd = CommandLines.create(s);
        try {
          CommandLine.ParseResult r = cmd.parseArgs(line);
          while (r.subcommand() != null) {
            r = r.subcommand();
          }
          assertEquals(List.of("@" + args), r.matchedPositionals().stream()
              .flatMap(p -> p.stringValues().stream()).toList(), String.join(" ", line));
        } catch (CommandLine.UnmatchedArgumentException e) {
          assertEquals(List.of("@" + args), e.getUnmatched(), String.join(" ", line));
        }
      }
    } finally {
      java.nio.file.Files.deleteIfExists(args);
    }
    CommandLine cmd = CommandLines.create(s);
    assertEquals(false, cmd.isAbbreviatedOptionsAllowed());
    assertEquals(false, cmd.isAbbreviatedSubcommandsAllowed());
    assertThrows(CommandLine.UnmatchedArgumentException.class, () -> CommandLines.create(s).parseArgs("stat"));
    assertThrows(CommandLine.UnmatchedArgumentException.class,
        () -> CommandLines.create(s).parseArgs("status", "--al"));
  }

  /**
   * A key that may only read may run what changes nothing: the dry runs of gc, refresh and revoke
   * (whose Access is read then, wherever {@code --dry-run} is spelled), and nothing else of a
   * changing command: not gc, not refresh, not a revoke (with or without a replacement).
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "gc --dry-run|allowed",
      "gc --retention 1s --dry-run|allowed",
      "refresh --dry-run|allowed",
      "gc|refused",
      "gc --retention 1s|refused",
      "refresh|refused",
      "revoke bin-0 --dry-run|allowed",
      "revoke bin-0 --generate --dry-run|allowed",
      "revoke bin-0 --role bins --dry-run|allowed",
      "revoke bin-0|refused",
      "revoke bin-0 --generate|refused",
      "revoke bin-0 --role bins --replace-with bin-1|refused",
      "publish|refused"})
  void a_read_only_key_may_run_the_dry_runs_that_change_nothing(String line, String decision) {
    Session s = new Session(Path.of("."), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Interaction.NONE, Clock.systemUTC(), "test", false);
    CommandLine.ParseResult parsed = CommandLines.create(s).parseArgs(line.split(" "));
    RemoteCommandCheck check = new RemoteCommandCheck(new KeyGrant("SHA256:x", "reader", List.of()), Path.of("."));
    if (decision.equals("allowed")) {
      check.check(parsed);
      CommandLine.ParseResult leaf = parsed;
      while (leaf.subcommand() != null) {
        leaf = leaf.subcommand();
      }
      assertEquals(dev.tufsh.cli.Access.read(), ((dev.tufsh.cli.BaseCommand) leaf.commandSpec().userObject()).access(),
          "the command itself reads only, too");
    } else {
      RuntimeException e = assertThrows(RuntimeException.class, () -> check.check(parsed));
      assertTrue(e.getMessage().contains("key reader may only read"), e.getMessage());
    }
  }

  @Test
  void every_read_only_flag_is_an_allowed_flag_whose_command_then_only_reads() {
    Session s = new Session(Path.of("."), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Interaction.NONE, Clock.systemUTC(), "test", false);
    int flags = 0;
    for (RemotePolicy.Rule r : RemotePolicy.RULES) {
      for (String flag : r.readOnlyWith()) {
        flags++;
        List<String> words = new ArrayList<>(List.of(r.command().split(" ")));
        if (r.positionals() != null) {
          words.add("x"); // revoke KEY --dry-run
        }
        words.add(flag);
        CommandLine.ParseResult leaf = CommandLines.create(s).parseArgs(words.toArray(String[]::new));
        while (leaf.subcommand() != null) {
          leaf = leaf.subcommand();
        }
        assertEquals(0, leaf.commandSpec().findOption(flag).arity().max(), r.command() + " " + flag + " is a flag");
        assertEquals(dev.tufsh.cli.Access.read(), ((dev.tufsh.cli.BaseCommand) leaf.commandSpec().userObject())
            .access(), r.command() + " " + flag + " must only read");
      }
    }
    assertEquals(3, flags, "gc --dry-run, refresh --dry-run and revoke --dry-run");
  }
}
