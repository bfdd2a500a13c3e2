package dev.tufsh.app;

import dev.tufsh.cli.CommandLines;
import dev.tufsh.cli.CommandText;
import dev.tufsh.cli.EarlyUnlock;
import dev.tufsh.cli.Errors;
import dev.tufsh.cli.ExitCodes;
import dev.tufsh.cli.Interaction;
import dev.tufsh.cli.Session;
import dev.tufsh.cli.TufshCommand;
import dev.tufsh.cli.render.Style;
import dev.tufsh.shell.Repl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;

/**
 * The composition root: decides between one command, {@code -c}, commands on standard input and
 * the interactive shell, and builds the session for it.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // SIGINT (Ctrl-C, kill -INT) on a one-shot command interrupts it like Ctrl-C in the shell: the
    // command stops at its next check, releases the lock and is audited, then the JVM ends.
    Thread main = Thread.currentThread();
    Thread hook = new Thread(() -> {
      main.interrupt();
      try {
        main.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "tufsh-sigint");
    Runtime.getRuntime().addShutdownHook(hook);
    int status = run(args, System.in, System.out, System.err, System.console() != null);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      return; // the hook is waiting for this thread to end; exiting here would wait for the hook
    }
    System.exit(status);
  }

  /** Runs tufsh with {@code args}; returns the exit status. */
  public static int run(String[] args, InputStream in, OutputStream out, OutputStream err, boolean terminal) {
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    // A one-shot command on a terminal asks there (passphrases without echo, confirmations).
    Interaction person = terminal && System.console() != null
        ? new dev.tufsh.shell.ConsoleInteraction(System.console()) : Interaction.NONE;
    // The keys a publish will sign with start unlocking now, before picocli builds its model, in
    // the session the commands will run in (it keeps the key store).
    EarlyUnlock.Scan early = EarlyUnlock.scan(Arrays.asList(args));
    Session plain = session(early.repo() != null ? early.repo() : defaultRepo(), o, e, person, false);
    Runnable wipe = early.start(plain);
    try {
      return run(args, in, o, e, terminal, plain);
    } finally {
      wipe.run();
    }
  }

  private static int run(String[] args, InputStream in, PrintWriter o, PrintWriter e, boolean terminal, Session plain) {
    Extensions.registerAll();
    CommandLine probe = CommandLines.create(session(defaultRepo(), o, e, Interaction.NONE, false), Arrays.asList(args));
    CommandLine.ParseResult parsed;
    try {
      parsed = probe.parseArgs(args);
    } catch (CommandLine.ParameterException ex) {
      // Run it for real: the error is reported (as JSON under --json) and audited like any other.
      Path at = probe.<TufshCommand>getCommand().repo(); // a --repo parsed before the error counts
      return CommandLines.execute(session(at, o, e, Interaction.NONE, false), Arrays.asList(args));
    }
    TufshCommand root = probe.getCommand();
    Path repo = root.repo();
    if (!repo.equals(plain.repo())) {
      plain = session(repo, o, e, plain.interaction(), false); // the scan misread the line: the parse wins
    }
    if (parsed.hasSubcommand() || parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
      return CommandLines.execute(plain, Arrays.asList(args));
    }
    List<String> globals = root.asArgs();
    if (root.commands() != null) {
      return runAll(plain, globals, root.commands(), e);
    }
    if (terminal) {
      return repl(repo, globals);
    }
    try {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      // Standard input is a runbook too: ${NAME} comes from the environment, as in 'run'.
      StringBuilder expanded = new StringBuilder();
      String[] lines = text.split("\n", -1);
      try {
        for (int i = 0; i < lines.length; i++) {
          String line = lines[i];
          expanded.append(line.strip().startsWith("#") ? line
              : dev.tufsh.runbook.Runbook.expand(line, java.util.Map.of(), System.getenv(), Path.of("<stdin>"), i + 1))
              .append('\n');
        }
      } catch (RuntimeException ex) {
        e.println("tufsh: error: " + Errors.message(ex));
        return ExitCodes.USAGE;
      }
      return runAll(plain, globals, expanded.toString(), e);
    } catch (IOException ex) {
      e.println("tufsh: error: cannot read standard input: " + ex.getMessage());
      return ExitCodes.FAILED;
    }
  }

  /** Runs every command in {@code text}; stops at the first failure and returns its status. */
  static int runAll(Session session, List<String> globals, String text, PrintWriter err) {
    List<List<String>> commands;
    try {
      commands = CommandText.commands(text);
    } catch (RuntimeException ex) {
      err.println("tufsh: " + Errors.message(ex));
      return ExitCodes.USAGE;
    }
    for (List<String> words : commands) {
      int status = CommandLines.execute(session, globals, words);
      if (status != 0) {
        return status;
      }
    }
    return ExitCodes.OK;
  }

  private static int repl(Path repo, List<String> globals) {
    try (Terminal terminal = TerminalBuilder.builder().system(true).name("tufsh").build()) {
      boolean color = Style.allowedByEnvironment(!Terminal.TYPE_DUMB.equals(terminal.getType()));
      Session forPrompt = session(repo, terminal.writer(), terminal.writer(), Interaction.NONE, color);
      Repl repl =
          new Repl(
                  terminal,
                  interaction -> session(repo, terminal.writer(), terminal.writer(), interaction, color),
                  historyFile(),
                  globals)
              .completions(ShellWiring.completions())
              .stagedCount(() -> ShellWiring.stagedCount(forPrompt));
      return repl.run();
    } catch (IOException ex) {
      System.err.println("tufsh: error: cannot open the terminal: " + ex.getMessage());
      return ExitCodes.FAILED;
    }
  }

  static Session session(Path repo, PrintWriter out, PrintWriter err, Interaction interaction, boolean color) {
    return new Session(repo, out, err, interaction, Clock.systemUTC(), actor(), color);
  }

  static Path defaultRepo() {
    String env = System.getenv("TUFSH_REPO");
    return Path.of(env != null && !env.isBlank() ? env : ".");
  }

  static String actor() {
    String user = System.getProperty("user.name", "unknown");
    return user + "@local";
  }

  static Path historyFile() {
    String env = System.getenv("TUFSH_HISTORY");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".tufsh_history");
  }
}
