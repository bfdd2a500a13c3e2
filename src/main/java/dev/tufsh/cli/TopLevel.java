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
        return new Choice(lean(c, root, args.subList(i + 1, args.size())), false);
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

  /**
   * Command {@code c} for the words after its name, {@code rest}: a group ({@code target},
   * {@code key}) with only the subcommand the first of them names (inherited options may come
   * before it), itself built the same way; else {@code c} itself, whole (not a group, its own page,
   * no subcommand named, an unknown one: its error lists the others). A group's other subcommands
   * took a fifth of a one-shot upload's command-line start-up (picocli reflects each one's options).
   */
  static Object lean(Class<?> c, CommandSpec root, List<String> rest) {
    CommandLine.Command a = c.getAnnotation(CommandLine.Command.class);
    if (a == null || a.subcommands().length == 0 || rest.contains("-h") || rest.contains("--help")
        || rest.contains("--") || hasOwnOptions(c)) {
      return c;
    }
    for (int i = 0; i < rest.size(); i++) {
      String w = rest.get(i);
      if (w.startsWith("-") && w.length() > 1) {
        int eq = w.indexOf('=');
        OptionSpec o = root.findOption(eq > 0 ? w.substring(0, eq) : w);
        if (o == null || o.scopeType() != CommandLine.ScopeType.INHERIT) {
          return c; // not an option the group has: its error is the whole group's
        }
        if (eq < 0 && o.arity().max() > 0) {
          i++;
        }
        continue;
      }
      for (Class<?> sub : a.subcommands()) {
        if (names(sub).contains(w)) {
          CommandSpec group;
          try {
            group = CommandSpec.wrapWithoutInspection(CommandLine.defaultFactory().create(c));
          } catch (Exception e) {
            return c; // picocli reports it as it would for the whole group
          }
          group.name(a.name()).aliases(a.aliases());
          group.usageMessage().description(a.description()).hidden(a.hidden());
          Object only = lean(sub, root, rest.subList(i + 1, rest.size()));
          CommandLine line = new CommandLine(group);
          line.addSubcommand(only instanceof CommandLine l ? l : new CommandLine(only));
          return line;
        }
      }
      return c;
    }
    return c;
  }

  /**
   * Whether command {@code c} (or a class it extends) declares options, parameters or mixins of its
   * own ({@code sign FILE --key NAME} is a group too): a lean group would lack them.
   */
  static boolean hasOwnOptions(Class<?> c) {
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      List<java.lang.reflect.AccessibleObject> members = new java.util.ArrayList<>(List.of(k.getDeclaredFields()));
      members.addAll(List.of(k.getDeclaredMethods()));
      for (java.lang.reflect.AccessibleObject m : members) {
        if (m.isAnnotationPresent(CommandLine.Option.class) || m.isAnnotationPresent(CommandLine.Parameters.class)
            || m.isAnnotationPresent(CommandLine.Mixin.class) || m.isAnnotationPresent(CommandLine.ArgGroup.class)) {
          return true;
        }
      }
    }
    return false;
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
