package dev.tufsh.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Which top-level commands a command line needs in its model: the one its words name, none when
 * they name none (a {@code -c} line, the shell), or all of them whenever picocli might look at the
 * others (root help, {@code help}, an unknown word or option, whose error lists the nearest names).
 */
final class TopLevel {
  /** A command class or object to add alone; else every command ({@link #ALL}) or none. */
  record Choice(Object command, boolean all) {
    static final Choice ALL = new Choice(null, true);
    static final Choice NONE = new Choice(null, false);
  }

  /** Top-level names and aliases to their command classes, read from the annotations once. */
  private static final Map<String, Class<?>> BY_NAME = new ConcurrentHashMap<>();

  private TopLevel() {}

  static Choice choose(CommandSpec root, List<String> args, List<Supplier<Object>> extensions) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        return Choice.ALL;
      }
      if (a.startsWith("-") && a.length() > 1) {
        int eq = a.indexOf('=');
        OptionSpec o = root.findOption(eq > 0 ? a.substring(0, eq) : a);
        if (o == null || o.usageHelp()) {
          return Choice.ALL; // an unknown option's error, or the root's page, names every command
        }
        if (eq < 0 && o.arity().max() > 0) {
          i++; // its value, which may look like a command word ("-c status")
        }
        continue;
      }
      if (a.equals("help")) {
        return Choice.ALL;
      }
      Class<?> c = byName().get(a);
      if (c != null) {
        return new Choice(c, false);
      }
      for (Supplier<Object> ext : extensions) {
        Object e = ext.get();
        if (names(e.getClass()).contains(a)) {
          return new Choice(e, false);
        }
      }
      return Choice.ALL;
    }
    return Choice.NONE;
  }

  private static Map<String, Class<?>> byName() {
    if (BY_NAME.isEmpty()) {
      for (Class<?> c : TufshCommand.COMMANDS) {
        names(c).forEach(n -> BY_NAME.putIfAbsent(n, c));
      }
    }
    return BY_NAME;
  }

  private static List<String> names(Class<?> c) {
    CommandLine.Command a = c.getAnnotation(CommandLine.Command.class);
    if (a == null) {
      return List.of();
    }
    List<String> out = new java.util.ArrayList<>(List.of(a.aliases()));
    out.add(0, a.name());
    return out;
  }
}
