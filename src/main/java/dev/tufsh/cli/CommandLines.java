package dev.tufsh.cli;

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

  public static CommandLine create(Session session) {
    TufshCommand root = new TufshCommand(session);
    CommandLine cmd = new CommandLine(root);
    for (Supplier<Object> ext : EXTENSIONS) {
      cmd.addSubcommand(ext.get());
    }
    cmd.setOut(session.out());
    cmd.setErr(session.err());
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    // "@FILE" would make picocli read any file the process can read into the arguments (and echo
    // it in a usage error): arguments are what was typed, nothing else, locally and remotely.
    cmd.setExpandAtFiles(false);
    cmd.setAbbreviatedOptionsAllowed(false);
    cmd.setAbbreviatedSubcommandsAllowed(false);
    // The session's policy sees the parse that runs, so what it checked is what executes.
    CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
    cmd.setExecutionStrategy(parsed -> {
      try {
        session.policy().check(parsed);
      } catch (RuntimeException e) {
        throw new CommandLine.ExecutionException(cmd, e.getMessage() == null ? "refused" : e.getMessage(), e);
      }
      return run.execute(parsed);
    });
    cmd.setUsageHelpAutoWidth(true);
    Errors errors = new Errors(session.err(), false, session);
    cmd.setParameterExceptionHandler(errors);
    cmd.setExecutionExceptionHandler(
        (ex, c, parsed) -> new Errors(session.err(), root.debug(), session).handleExecutionException(ex, c, parsed));
    return cmd;
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
    CommandLine cmd = create(session);
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
    TufshCommand root = cmd.getCommand();
    status = session.audit().end(session, root.repo(), status, error, session.takePublished(),
        session.takeSkipAudit());
    if (depth == 0) {
      record(session, words, status, error);
    }
    return status;
  }

  /** Writes a command typed at the top level to the runbook being recorded, with its outcome. */
  private static void record(Session session, List<String> words, int status, String error) {
    var recorder = session.recorder();
    if (recorder == null || (!words.isEmpty() && words.get(0).equals("record"))) {
      return;
    }
    recorder.record(text(words), status == 0 ? "ok" : "failed (exit " + status + ")" + (error == null ? "" : ": " + error));
  }

  static String text(List<String> words) {
    StringBuilder text = new StringBuilder();
    for (String w : words) {
      text.append(text.length() == 0 ? "" : " ").append(CommandText.quote(w));
    }
    return text.toString();
  }
}
