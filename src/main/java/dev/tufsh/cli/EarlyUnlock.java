package dev.tufsh.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Starts unlocking the snapshot and timestamp keys of a one-shot command line that publishes,
 * before picocli has even built its model: a look at the words alone, no parse. Their scrypt run
 * (a third of a one-shot upload's CPU) then runs beside the JVM's and picocli's start-up instead of
 * after them. Only when no one could be asked for a passphrase (no terminal: a passphrase file or
 * the environment answers, or nothing does); the command itself asks the same source for the same
 * keys, and a failure here is met again, and reported as always, by the signature that needs the
 * key ({@link dev.tufsh.ops.UnlockAhead}). A misread line costs only the CPU of a needless unlock.
 */
public final class EarlyUnlock {
  /** The root's options that take a value (kept equal to the model's by a test). */
  static final Set<String> VALUED = Set.of("--repo", "--passphrase-file", "--wait", "--now", "-c");

  /** What a publish signs whatever it publishes. */
  static final List<String> ROLES = List.of("snapshot", "timestamp");

  private EarlyUnlock() {}

  /**
   * What the words of a command line name: the repository and passphrase file its global options
   * give (null: the defaults), and those a {@code publish} among its commands runs with, if one does.
   */
  public record Scan(Path repo, Path passphraseFile, boolean publishes, Path publishRepo, Path publishFile) {
    /**
     * Starts the unlock in {@code session} (the one the commands will run in: the key store it
     * keeps is theirs) when a command publishes and no one may be asked; returns what wipes the
     * passphrases read for it, to run when the command line is done.
     */
    public Runnable start(Session session) {
      if (!publishes || session.interaction().interactive()) {
        return () -> {};
      }
      Path dir = publishRepo != null ? publishRepo.toAbsolutePath().normalize() : session.repo();
      Secrets secrets = new Secrets(publishFile != null ? publishFile : session.passphraseFile(), session.interaction());
      dev.tufsh.ops.UnlockAhead.early(session.workbench(dir, secrets), ROLES);
      return secrets::close;
    }
  }

  /** Reads {@code args} as picocli would, roughly: options anywhere, then a command or {@code -c} text. */
  public static Scan scan(List<String> args) {
    Path[] globals = options(args, null, null);
    Scan none = new Scan(globals[0], globals[1], false, null, null);
    String text = null;
    List<String> words = List.of();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("-c") && i + 1 < args.size()) {
        text = args.get(++i);
      } else if (VALUED.contains(a)) {
        i++;
      } else if (!a.startsWith("-")) {
        words = args.subList(i, args.size());
        break;
      }
    }
    List<List<String>> commands;
    try {
      commands = text != null ? CommandText.commands(text) : List.of(words);
    } catch (RuntimeException e) {
      return none; // the parse reports it
    }
    for (List<String> c : commands) {
      if (!c.isEmpty() && c.get(0).equals("publish") && !c.contains("-h") && !c.contains("--help")) {
        Path[] own = options(c, globals[0], globals[1]); // a -c line's own --repo or --passphrase-file wins
        return new Scan(globals[0], globals[1], true, own[0], own[1]);
      }
    }
    return none;
  }

  /** The last {@code --repo} and {@code --passphrase-file} of {@code words}, else {@code repo} and {@code file}. */
  private static Path[] options(List<String> words, Path repo, Path file) {
    for (int i = 0; i < words.size(); i++) {
      String a = words.get(i);
      String value = null;
      String name = a;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else if (VALUED.contains(a) && i + 1 < words.size()) {
        value = words.get(++i);
      }
      try {
        if (value != null && name.equals("--repo")) {
          repo = Path.of(value);
        } else if (value != null && name.equals("--passphrase-file")) {
          file = Path.of(value);
        }
      } catch (java.nio.file.InvalidPathException e) {
        // the parse reports it
      }
    }
    return new Path[] {repo, file};
  }
}
