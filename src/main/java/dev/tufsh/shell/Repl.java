package dev.tufsh.shell;

import dev.tufsh.cli.CommandLines;
import dev.tufsh.cli.CommandText;
import dev.tufsh.cli.Errors;
import dev.tufsh.cli.Session;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The interactive shell: reads a line, runs it as a tufsh command, repeats. Ctrl-C cancels the
 * running command (or the line being typed), not the shell; Ctrl-D leaves, warning first when
 * staged changes would be left unpublished. The terminal is injected, so the same loop serves a
 * local console and an SSH channel.
 */
public final class Repl {
  private final Terminal terminal;
  private final Function<TerminalInteraction, Session> sessions;
  private final Path historyFile;
  private final List<String> globalArgs;

  /** Called after each command to tell the prompt how many changes are staged (or -1). */
  private Supplier<Integer> stagedCount = () -> -1;

  private dev.tufsh.cli.Completions completions = dev.tufsh.cli.Completions.NONE;

  /** Runs one command line's words; the SSH frontend adds its own checks in front. */
  /** Runs the words a person typed; by default after the shell's start-up options. */
  private java.util.function.ToIntBiFunction<Session, List<String>> executor;

  public Repl executor(java.util.function.ToIntBiFunction<Session, List<String>> e) {
    this.executor = e;
    return this;
  }

  public Repl completions(dev.tufsh.cli.Completions c) {
    this.completions = c;
    return this;
  }

  public Repl(
      Terminal terminal,
      Function<TerminalInteraction, Session> sessions,
      Path historyFile,
      List<String> globalArgs) {
    this.terminal = terminal;
    this.sessions = sessions;
    this.historyFile = historyFile;
    this.globalArgs = List.copyOf(globalArgs);
  }

  public Repl stagedCount(Supplier<Integer> s) {
    this.stagedCount = s;
    return this;
  }

  /** Runs until Ctrl-D or {@code exit}; returns the status of the last command. */
  public int run() {
    java.util.concurrent.atomic.AtomicReference<org.jline.reader.Completer> completer =
        new java.util.concurrent.atomic.AtomicReference<>(org.jline.reader.impl.completer.NullCompleter.INSTANCE);
    java.util.concurrent.atomic.AtomicReference<Session> current = new java.util.concurrent.atomic.AtomicReference<>();
    LineReader reader = buildReader((r, l, c) -> completer.get().complete(r, l, c), () -> commandNames(current.get()));
    TerminalInteraction interaction = new TerminalInteraction(terminal, reader);
    Session session = sessions.apply(interaction).inShell(true).width(terminal::getWidth);
    current.set(session);
    completer.set(new CommandCompleter(session, completions));
    int last = 0;
    boolean warnedAboutStaged = false;
    terminal.writer().println("tufsh " + dev.tufsh.cli.Version.get() + " on " + session.repo()
        + "  (help for commands, Ctrl-D to leave)");
    while (true) {
      String line;
      try {
        line = reader.readLine(prompt(session));
      } catch (UserInterruptException e) {
        continue;
      } catch (EndOfFileException e) {
        int staged = safeStaged();
        if (staged > 0 && !warnedAboutStaged) {
          terminal.writer().println(
              staged + " staged change(s) are not published; 'publish' or 'discard' them,"
                  + " or press Ctrl-D again to leave anyway.");
          warnedAboutStaged = true;
          continue;
        }
        terminal.writer().println();
        terminal.writer().flush();
        return last;
      }
      warnedAboutStaged = false;
      List<List<String>> commands;
      try {
        commands = CommandText.commands(line);
      } catch (RuntimeException e) {
        session.err().println("tufsh: " + Errors.message(e));
        session.err().flush();
        last = 2;
        continue;
      }
      for (List<String> words : commands) {
        if (words.size() == 1 && (words.get(0).equals("exit") || words.get(0).equals("quit"))) {
          return last;
        }
        last = runInterruptibly(session, words);
      }
    }
  }

  private int runInterruptibly(Session session, List<String> words) {
    Thread worker = Thread.currentThread();
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> worker.interrupt());
    try {
      return executor != null
          ? executor.applyAsInt(session, words)
          : CommandLines.execute(session, globalArgs, words);
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
      Thread.interrupted();
    }
  }

  private int safeStaged() {
    try {
      return stagedCount.get();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private String prompt(Session session) {
    Path name = session.repo().getFileName();
    int staged = safeStaged();
    String s = "tufsh " + (name == null ? "/" : name.toString());
    if (staged > 0) {
      s += " [" + staged + " staged]";
    }
    return s + "> ";
  }

  private java.util.Set<String> names;

  /** The words a command line may start with: the model's commands, exit and quit. */
  private synchronized java.util.Set<String> commandNames(Session session) {
    if (names == null) {
      java.util.Set<String> n = new java.util.HashSet<>(List.of("exit", "quit"));
      if (session != null) {
        n.addAll(CommandLines.create(session).getSubcommands().keySet());
      }
      names = n;
    }
    return names;
  }

  private LineReader buildReader(org.jline.reader.Completer completer, Supplier<java.util.Set<String>> commands) {
    DefaultParser parser = new DefaultParser();
    parser.setEofOnUnclosedQuote(true);
    LineReaderBuilder b =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("tufsh")
            .parser(parser)
            .completer(completer)
            .variable(LineReader.HISTORY_SIZE, 5000)
            .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
            .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
            .option(LineReader.Option.AUTO_FRESH_LINE, true);
    b.history(new CommandHistory(commands));
    if (historyFile != null) {
      CommandHistory.secure(historyFile);
      b.variable(LineReader.HISTORY_FILE, historyFile);
    }
    return b.build();
  }
}
