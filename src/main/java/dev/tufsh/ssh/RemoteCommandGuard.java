package dev.tufsh.ssh;

import dev.tufsh.cli.CommandLines;
import dev.tufsh.cli.Session;
import dev.tufsh.errors.TufshException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.ParseResult;

/**
 * What a remote key holder may not do even with every role: choose the workspace or the passphrase
 * file (the server fixes both), run code or scripts on the server ({@code jshell}, {@code run}),
 * write runbooks there ({@code record}), start another server ({@code serve}), or name files outside
 * the workspace (every path argument must resolve inside it).
 */
final class RemoteCommandGuard {
  private static final Set<String> SERVER_OPTIONS = Set.of("--repo", "--passphrase-file", "--keystore");
  private static final Set<String> LOCAL_ONLY = Set.of("jshell", "run", "record", "serve");

  /**
   * One command line, reused only to parse: building picocli's model costs as much as a small
   * command, and the guard reads nothing but this parse's matched arguments. Parses are serialised.
   */
  private static CommandLine parser;

  private RemoteCommandGuard() {}

  /** Throws naming what is refused; returns quietly for anything else (usage errors included). */
  static void check(Session session, List<String> words) {
    synchronized (RemoteCommandGuard.class) {
      if (parser == null) {
        parser = CommandLines.create(session);
      }
      ParseResult parsed;
      try {
        parsed = parser.parseArgs(words.toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        return; // the command itself reports the usage error
      }
      check(parsed, session.repo());
    }
  }

  private static void check(ParseResult parsed, Path repo) {
    for (ParseResult r = parsed; r != null; r = r.subcommand()) {
      String name = r.commandSpec().name();
      if (r != parsed && r.commandSpec().parent() == parsed.commandSpec() && LOCAL_ONLY.contains(name)) {
        throw new Refused("'" + name + "' runs only on the server's own console, not over SSH");
      }
      for (var o : r.matchedOptions()) {
        if (SERVER_OPTIONS.contains(o.longestName())) {
          throw new Refused(o.longestName() + " is set by the server; it cannot be given over SSH");
        }
      }
      for (ArgSpec a : r.matchedArgs()) {
        checkPaths(a, repo);
      }
    }
  }

  private static void checkPaths(ArgSpec a, Path repo) {
    Object v = a.getValue();
    if (v instanceof Path p) {
      inside(p, repo, a);
    } else if (v instanceof Collection<?> c) {
      for (Object x : c) {
        if (x instanceof Path p) {
          inside(p, repo, a);
        }
      }
    } else if (v instanceof Path[] ps) {
      for (Path p : ps) {
        inside(p, repo, a);
      }
    }
  }

  private static void inside(Path p, Path repo, ArgSpec a) {
    // Checked as the command will open it: relative to the server's working folder.
    Path abs = p.toAbsolutePath().normalize();
    boolean ok = abs.startsWith(repo);
    if (ok && Files.exists(abs)) {
      try {
        ok = abs.toRealPath().startsWith(repo.toRealPath());
      } catch (IOException e) {
        ok = false;
      }
    }
    if (!ok) {
      throw new Refused("over SSH, files must be inside the workspace " + repo + "; " + a.paramLabel() + " '" + p
          + "' is not");
    }
  }

  /** A command the SSH frontend does not allow. */
  static final class Refused extends TufshException {
    Refused(String message) {
      super(message);
    }
  }
}
