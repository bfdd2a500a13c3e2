package dev.tufsh.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.cli.CommandLines;
import dev.tufsh.cli.Interaction;
import dev.tufsh.cli.Session;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Every help page (the one-shot {@code help}, the shell's {@code help}, {@code help COMMAND} and
 * {@code COMMAND --help} for every command in the model) fits the terminal's width: no line is
 * wider, and the width is used (the longest line comes near it). 100 columns is what a session
 * without a known terminal gets.
 */
class HelpWidthTest {
  @TempDir Path dir;

  /** Every command and group as typed ("key generate"), the root as "". */
  private static List<String> commands() {
    Extensions.registerAll();
    Session s = new Session(Path.of("."), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        Interaction.NONE, Clock.systemUTC(), "test", false);
    Set<String> out = new LinkedHashSet<>();
    walk(CommandLines.create(s, null), out);
    return new ArrayList<>(out);
  }

  private static void walk(CommandLine cmd, Set<String> out) {
    out.add(cmd.getCommandSpec().qualifiedName(" ").replaceFirst("^tufsh ?", ""));
    cmd.getSubcommands().values().forEach(c -> walk(c, out));
  }

  private String page(int width, boolean shell, List<String> words) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Session s = new Session(dir, new PrintWriter(out), new PrintWriter(err), Interaction.NONE, Clock.systemUTC(),
        "test", false).inShell(shell).width(() -> width);
    int status = CommandLines.execute(s, words);
    assertEquals(0, status, words + ": " + err);
    return out.toString();
  }

  @ParameterizedTest(name = "{0} columns")
  @ValueSource(ints = {CommandLines.DEFAULT_HELP_WIDTH, 72})
  void every_help_page_fits_the_terminal(int width) {
    List<String> commands = commands();
    assertTrue(commands.size() > 50, commands.toString());
    List<String> pages = new ArrayList<>(List.of(page(width, false, List.of("help")), page(width, true,
        List.of("help"))));
    for (String c : commands) {
      List<String> words = new ArrayList<>(c.isEmpty() ? List.of() : Arrays.asList(c.split(" ")));
      words.add("--help");
      pages.add(page(width, false, words));
    }
    int longest = 0;
    List<String> tooWide = new ArrayList<>();
    for (String page : pages) {
      for (String line : page.lines().toList()) {
        longest = Math.max(longest, line.length());
        if (line.length() > width) {
          tooWide.add(line.length() + ": " + line);
        }
      }
    }
    assertEquals(List.of(), tooWide, "lines wider than " + width + " columns");
    assertTrue(longest > width - 15, "the width is used: the longest line has " + longest + " columns");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"key generate", "delegation add", "target add", "ceremony root start"})
  void help_command_is_the_same_page_as_command_dash_dash_help(String command) {
    List<String> words = new ArrayList<>(Arrays.asList(command.split(" ")));
    List<String> help = new ArrayList<>(List.of("help"));
    help.addAll(words);
    words.add("--help");
    assertEquals(page(72, false, words), page(72, false, help));
  }
}
