package dev.tufsh.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.errors.UsageError;
import dev.tufsh.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code help [COMMAND...]}: the page of any command at any depth ({@code help key generate}). In
 * the shell, plain {@code help} lists the commands and the shell's own keys instead of the
 * one-shot synopsis.
 */
@Command(name = "help", description = "Show help for tufsh, or for COMMAND (for example: help key generate).")
public final class HelpCommand extends BaseCommand {
  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, as typed (key generate).")
  List<String> words = new ArrayList<>();

  /** What the shell adds to plain {@code help}: the keys a person uses there, and what each does. */
  static final List<List<String>> SHELL_KEYS = List.of(
      List.of("Tab", "complete commands, options, role and key names, files"),
      List.of("Ctrl-R", "search history (passphrases and answers to prompts are never kept)"),
      List.of("Ctrl-C", "cancel the running command or the line being typed"),
      List.of("Ctrl-D, exit", "leave the shell (warns once when staged changes are unpublished)"),
      List.of("a; b", "run several commands; a line starting with a space is not kept in history"));

  @Override
  public Access access() {
    return Access.read();
  }

  @Override
  protected int execute() {
    CommandLine target = spec.root().commandLine();
    for (String w : words) {
      CommandLine sub = target.getSubcommands().get(w);
      if (sub == null) {
        String where = Errors.commandName(target);
        List<String> near = target.getSubcommands().keySet().stream().filter(n -> Errors.close(w, n)).toList();
        throw new UsageError("no command '" + (where.isEmpty() ? "" : where + " ") + w + "'"
            + (near.isEmpty() ? "" : "; did you mean '" + near.get(0) + "'?"));
      }
      target = sub;
    }
    StringWriter page = new StringWriter();
    PrintWriter w = new PrintWriter(page);
    if (words.isEmpty() && session().inShell()) {
      shellPage(target, w, target.getUsageHelpWidth());
    } else {
      target.usage(w, root().color() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF);
    }
    w.flush();
    ObjectNode o = Json.object();
    o.put("command", Errors.commandName(target));
    target.getSubcommands().keySet().forEach(o.putArray("subcommands")::add);
    o.put("usage", page.toString());
    print(o, () -> out().print(page));
    return 0;
  }

  /** The shell's list of commands and keys, each description wrapped to {@code width} beside its name. */
  private static void shellPage(CommandLine root, PrintWriter w, int width) {
    CommandLine.Help.TextTable commands = table(width);
    commands.addRowValues("Commands (help COMMAND for one; options such as --json work on every command):");
    for (var e : root.getSubcommands().entrySet()) {
      String[] d = e.getValue().getCommandSpec().usageMessage().description();
      commands.addRowValues("  " + e.getKey(), d.length == 0 ? "" : d[0]);
    }
    w.print(commands);
    w.println();
    CommandLine.Help.TextTable keys = table(width);
    keys.addRowValues("In the shell:");
    SHELL_KEYS.forEach(k -> keys.addRowValues("  " + k.get(0), k.get(1)));
    w.print(keys);
  }

  /** Two columns, names then what they do, the second wrapped at {@code width}; a heading row spans both. */
  private static CommandLine.Help.TextTable table(int width) {
    return CommandLine.Help.TextTable.forColumns(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF),
        new CommandLine.Help.Column(15, 0, CommandLine.Help.Column.Overflow.SPAN),
        new CommandLine.Help.Column(width - 15, 0, CommandLine.Help.Column.Overflow.WRAP));
  }
}
