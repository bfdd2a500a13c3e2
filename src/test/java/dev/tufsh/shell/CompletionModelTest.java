package dev.tufsh.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.cli.CommandLines;
import dev.tufsh.cli.Interaction;
import dev.tufsh.cli.Session;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.PassphraseFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Tab completion over the whole command model, against a real repository's roles and keys. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompletionModelTest {
  Path repo;
  Session session;
  CommandCompleter completer;

  @BeforeAll
  void repository(@TempDir Path dir) throws Exception {
    repo = dir.resolve("repo");
    Path pass = PassphraseFiles.write(dir.resolve("pass"), "p\n");
    Cli.run("--repo", repo.toString(), "--passphrase-file", pass.toString(), "init", "--bins", "2").assertOk();
    session = new Session(repo, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Interaction.NONE, Clock.systemUTC(), "test", false);
    completer = new CommandCompleter(session, dev.tufsh.app.ShellWiring.completions());
  }

  private List<String> complete(String line) {
    List<Candidate> out = new ArrayList<>();
    completer.complete(null, new DefaultParser().parse(line, line.length()), out);
    return out.stream().map(Candidate::value).toList();
  }

  private static List<CommandLine> leaves(CommandLine c, List<CommandLine> out) {
    if (c.getSubcommands().isEmpty()) {
      out.add(c);
    }
    c.getSubcommands().values().forEach(s -> leaves(s, out));
    return out;
  }

  @Test
  void no_command_offers_a_hidden_option_and_every_offered_value_is_accepted() {
    for (CommandLine leaf : leaves(CommandLines.create(session), new ArrayList<>())) {
      String typed = leaf.getCommandSpec().qualifiedName(" ").replaceFirst("^tufsh ", "");
      List<String> options = complete(typed + " --");
      assertFalse(options.isEmpty(), typed);
      for (OptionSpec o : leaf.getCommandSpec().options()) {
        if (o.hidden()) {
          assertFalse(options.contains(o.longestName()), typed + " offers hidden " + o.longestName());
        }
        if (o.completionCandidates() == null || o.arity().max() == 0) {
          continue;
        }
        for (String value : complete(typed + " " + o.longestName() + " ")) {
          // Each value Tab offers must be one the option takes (no ECDSA_P256 that is then refused).
          CommandLine fresh = CommandLines.create(session);
          List<String> args = new ArrayList<>(List.of(typed.split(" ")));
          args.add(o.longestName() + "=" + value);
          try {
            fresh.parseArgs(args.toArray(String[]::new));
          } catch (CommandLine.MissingParameterException missingOthers) {
            // other required arguments are not the point; a conversion error would be thrown first
          } catch (CommandLine.ParameterException e) {
            throw new AssertionError(typed + " " + o.longestName() + " offers '" + value + "': " + e.getMessage());
          }
        }
      }
    }
  }

  @Test
  void scheme_offers_the_names_a_person_types() {
    assertEquals(java.util.Set.of("ed25519", "ecdsa", "rsa"), java.util.Set.copyOf(complete("key generate k --scheme ")));
  }

  @Test
  void key_parameters_offer_key_names_not_raw_ids() {
    for (String line : List.of("key show ", "key export-public ", "key change-passphrase ", "key rename ",
        "key remove ", "rotate timestamp --new ", "revoke ")) {
      List<String> offered = complete(line);
      assertTrue(offered.contains("timestamp-1") && offered.contains("bin-n-1"), line + offered);
      assertTrue(offered.stream().noneMatch(c -> c.matches("[0-9a-f]{16}")), line + " mixes in ids: " + offered);
    }
  }
}
