package dev.tufsh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.cli.render.JsonOutput;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Builds a fresh {@link CommandLine} for every command executed: picocli does not reset options
 * between runs, so a reused instance would leak one command's flags into the next.
 */
public final class CommandLines {
  /** Commands from layers above cli (the SSH server), registered once by the application. */
  private static final List<Supplier<Object>> EXTENSIONS = new CopyOnWriteArrayList<>();

  private CommandLines() {}

  /** Adds a top-level command built by {@code factory} to every command line created from now on. */
  public static void register(Supplier<Object> factory) {
    EXTENSIONS.add(factory);
  }

  /** The whole command model: every command (help, the man pages, completion, the shell's names). */
  public static CommandLine create(Session session) {
    return create(session, null);
  }

  /**
   * The command model for running {@code args}: the root with only the top-level command they
   * name, when they name one (building all 50-odd commands with their options took most of a
   * one-shot command's start-up, and 30% of each command in a long session); the whole model
   * otherwise ({@code help}, no command word, an unknown one: its error suggests the nearest names).
   * Parsing {@code args} with either model gives the same result.
   */
  public static CommandLine create(Session session, List<String> args) {
    TufshCommand root = new TufshCommand(session);
    CommandLine cmd = new CommandLine(root);
    TopLevel.Choice only = args == null ? TopLevel.Choice.ALL : TopLevel.choose(cmd.getCommandSpec(), args, EXTENSIONS);
    if (only.command() != null) {
      cmd.addSubcommand(only.command());
    } else if (only.all()) {
      TufshCommand.COMMANDS.forEach(cmd::addSubcommand);
      for (Supplier<Object> ext : EXTENSIONS) {
        cmd.addSubcommand(ext.get());
      }
    }
    cmd.setOut(session.out());
    cmd.setErr(session.err());
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    // "-c plan": a command word is the value of the option before it, as in sh -c.
    cmd.setAllowSubcommandsAsOptionParameters(true);
    // "--repo A ... --repo B" (a runbook line after the shell's own): the last one wins.
    cmd.setOverwrittenOptionsAllowed(true);
    // "@FILE" would make picocli read any file the process can read into the arguments (and echo
    // it in a usage error): arguments are what was typed, nothing else, locally and remotely.
    cmd.setExpandAtFiles(false);
    cmd.setAbbreviatedOptionsAllowed(false);
    cmd.setAbbreviatedSubcommandsAllowed(false);
    helpWidth(cmd, session.width());
    everyCommandHasHelp(cmd);
    // One execution path for every command: a group named alone ("tufsh key") shows its page.
    cmd.setExecutionStrategy(parsed -> {
      CommandLine.ParseResult last = parsed;
      while (last.hasSubcommand()) {
        last = last.subcommand();
      }
      Object user = last.commandSpec().userObject();
      if (!last.isUsageHelpRequested() && !last.isVersionHelpRequested() && !last.commandSpec().subcommands().isEmpty()
          && !(user instanceof Runnable) && !(user instanceof java.util.concurrent.Callable)) {
        String name = Errors.commandName(last.commandSpec().commandLine());
        String message = "'" + name + "' needs a subcommand: "
            + String.join(", ", last.commandSpec().subcommands().keySet()) + " (help " + name + ")";
        session.noteError(message);
        session.err().println("tufsh: " + message);
        session.err().flush();
        return ExitCodes.USAGE;
      }
      // The session's policy sees the parse that runs, so what it checked is what executes.
      try {
        session.policy().check(parsed);
      } catch (RuntimeException e) {
        throw new CommandLine.ExecutionException(cmd, e.getMessage() == null ? "refused" : e.getMessage(), e);
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    Errors errors = new Errors(session.err(), false, session);
    cmd.setParameterExceptionHandler(errors);
    cmd.setExecutionExceptionHandler(
        (ex, c, parsed) -> new Errors(session.err(), root.debug(), session).handleExecutionException(ex, c, parsed));
    return cmd;
  }

  /** Help is wrapped to this width when the terminal's is unknown (output to a file or a pipe). */
  public static final int DEFAULT_HELP_WIDTH = 100;

  /** The narrowest help picocli lays out (its own floor). */
  public static final int MIN_HELP_WIDTH = 55;

  /**
   * Help wraps at the session's terminal width (the shell's: local or the SSH client's window),
   * else at the width picocli finds for this process's terminal, else at {@link #DEFAULT_HELP_WIDTH}.
   */
  private static void helpWidth(CommandLine cmd, int columns) {
    if (columns > 0) {
      cmd.setUsageHelpAutoWidth(false);
      cmd.setUsageHelpWidth(Math.max(MIN_HELP_WIDTH, columns));
    } else {
      cmd.setUsageHelpWidth(DEFAULT_HELP_WIDTH);
      cmd.setUsageHelpAutoWidth(true);
    }
  }

  /** Gives {@code -h}/{@code --help} to every command that lacks it (command groups: key, target...). */
  private static void everyCommandHasHelp(CommandLine cmd) {
    var spec = cmd.getCommandSpec();
    if (spec.options().stream().noneMatch(CommandLine.Model.OptionSpec::usageHelp)) {
      spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
          .description("Show help for this command.").build());
    }
    cmd.getSubcommands().values().forEach(CommandLines::everyCommandHasHelp);
  }

  /**
   * Parses {@code words} as a command without running it; throws a one-line {@link
   * dev.tufsh.errors.UsageError} when it would be a usage error (a runbook is checked whole first).
   */
  public static void check(Session session, List<String> words) {
    CommandLine cmd = create(session, words);
    try {
      cmd.parseArgs(words.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new dev.tufsh.errors.UsageError(Errors.parseMessage(e));
    }
  }

  /** Runs one command given as words, audits it, and returns its exit status. */
  public static int execute(Session session, List<String> words) {
    return execute(session, List.of(), words);
  }

  /**
   * Runs {@code words} after the shell's start-up options {@code globals} ({@code --repo},
   * {@code --passphrase-file}...). Only {@code words}, what the person typed, go to a runbook being
   * recorded, so a recording replays on another copy of the repository.
   */
  public static int execute(Session session, List<String> globals, List<String> words) {
    List<String> args = new java.util.ArrayList<>(globals);
    args.addAll(words);
    CommandLine cmd = create(session, args);
    int depth = session.enter();
    session.audit().begin(words);
    int status;
    try {
      status = cmd.execute(args.toArray(String[]::new));
    } finally {
      session.leave();
    }
    session.out().flush();
    session.err().flush();
    String error = session.takeError();
    JsonNode result = session.takeJson();
    String failed = session.takeCommand();
    // Whether the line named a command at all: a passphrase typed at the wrong prompt does not, and
    // its words must reach neither the audit log nor a recording.
    CommandLine.ParseResult parsed = cmd.getParseResult();
    boolean isCommand = failed != null ? !failed.isEmpty()
        : parsed == null || parsed.hasSubcommand() || parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested();
    if (!isCommand && !words.isEmpty()) {
      words = List.of("(a line that is not a command; " + words.size() + " word(s) withheld)");
      error = "not a command";
      session.audit().withhold(words.get(0));
    }
    if (cmd.<TufshCommand>getCommand().json() || (args.contains("--json") && !args.contains("--"))) {
      envelope(session, cmd, failed, words, status, error, result, depth);
    }
    TufshCommand root = cmd.getCommand();
    status = session.audit().end(session, root.repo(), status, error, session.takePublished(),
        session.takeSkipAudit());
    if (depth == 0) {
      record(session, words, status, error);
    }
    return status;
  }

  /**
   * Prints the command's one JSON envelope, or keeps it for the command that ran this one (a
   * runbook line's envelope goes into the runbook's result).
   */
  private static void envelope(Session session, CommandLine cmd, String failed, List<String> words, int status,
      String error, JsonNode result, int depth) {
    String message = error != null || status == 0 ? error : "exit " + status;
    var env = JsonOutput.envelope(failed != null ? failed : name(cmd, words), status, ExitCodes.kind(status), message, result);
    if (depth > 0) {
      session.addNestedJson(env);
    } else {
      session.out().println(dev.tufsh.json.Json.pretty(env));
      session.out().flush();
    }
  }

  /** The command that ran ("key list"), from the parse, else the first word typed. */
  private static String name(CommandLine cmd, List<String> words) {
    CommandLine.ParseResult p = cmd.getParseResult();
    if (p != null) {
      while (p.hasSubcommand()) {
        p = p.subcommand();
      }
      return Errors.commandName(p.commandSpec().commandLine());
    }
    return words.stream().filter(w -> !w.startsWith("-")).findFirst().orElse("");
  }

  /** Writes a command typed at the top level to the runbook being recorded, with its outcome. */
  private static void record(Session session, List<String> words, int status, String error) {
    var recorder = session.recorder();
    if (recorder == null || (!words.isEmpty() && words.get(0).equals("record"))) {
      return;
    }
    if (status == 0) {
      recorder.record(text(words), "ok");
    } else {
      recorder.recordFailed(text(words), "failed (exit " + status + ")" + (error == null ? "" : ": " + error));
    }
  }

  static String text(List<String> words) {
    StringBuilder text = new StringBuilder();
    for (String w : words) {
      text.append(text.length() == 0 ? "" : " ").append(CommandText.quote(w));
    }
    return text.toString();
  }
}
