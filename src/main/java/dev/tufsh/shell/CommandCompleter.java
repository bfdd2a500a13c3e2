package dev.tufsh.shell;

import dev.tufsh.cli.CommandLines;
import dev.tufsh.cli.Completions;
import dev.tufsh.cli.Session;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Tab completion from the picocli model: command names, options, and for parameters the live
 * candidates of {@link Completions} by label (role names, key names), or file names.
 */
final class CommandCompleter implements Completer {
  private final Session session;
  private final Completions completions;
  private CommandSpec spec;
  private final Completer files = new org.jline.reader.impl.completer.FileNameCompleter();

  CommandCompleter(Session session, Completions completions) {
    this.session = session;
    this.completions = completions;
  }

  /** The command model, built at the first Tab rather than before the first prompt. */
  private synchronized CommandSpec spec() {
    if (spec == null) {
      spec = CommandLines.create(session).getCommandSpec();
    }
    return spec;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    List<String> words = line.words();
    int index = line.wordIndex();
    String current = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
    CommandSpec spec = spec();
    CommandSpec cmd = spec;
    int i = 0;
    for (; i < index; i++) {
      CommandLine sub = cmd.subcommands().get(words.get(i));
      if (sub == null) {
        break;
      }
      cmd = sub.getCommandSpec();
    }
    ArgSpec param = parameterAt(cmd, words, i, index);
    if (param != null && !current.startsWith("-")) {
      String label = param.paramLabel().replaceAll("[<>.\\[\\]]", "");
      if (label.equals("FILE") || label.equals("DIR") || label.endsWith("FILE")) {
        // A remote key holder must not list the server's folders with Tab; remote files are named
        // relative to the workspace's exchange folders, which the operator fills.
        if (!session.isRemote()) {
          files.complete(reader, line, candidates);
        }
        return;
      }
      List<String> live = completions.candidates(label, session);
      if (!live.isEmpty()) {
        live.forEach(c -> candidates.add(new Candidate(c)));
        return;
      }
    }
    List<CharSequence> found = new ArrayList<>();
    String[] args = words.subList(0, Math.min(words.size(), index + 1)).toArray(String[]::new);
    if (args.length == 0) {
      args = new String[] {""};
    }
    AutoComplete.complete(spec, args, index, current.length(), line.cursor(), found);
    for (CharSequence c : found) {
      String full = current + c;
      candidates.add(new Candidate(full, full, null, null, null, null, true));
    }
  }

  /** The parameter the word at {@code index} fills, if it is not an option or command name. */
  private static ArgSpec parameterAt(CommandSpec cmd, List<String> words, int first, int index) {
    if (index > 0) {
      OptionSpec prev = cmd.findOption(words.get(index - 1));
      if (prev != null && prev.arity().max() > 0) {
        return prev;
      }
    }
    if (!cmd.subcommands().isEmpty() && index == first) {
      return null;
    }
    int position = 0;
    for (int k = first; k < index; k++) {
      String w = words.get(k);
      if (w.startsWith("-")) {
        OptionSpec o = cmd.findOption(w);
        if (o != null && o.arity().max() > 0 && !w.contains("=")) {
          k++;
        }
      } else {
        position++;
      }
    }
    for (PositionalParamSpec p : cmd.positionalParameters()) {
      if (p.index().contains(position)) {
        return p;
      }
    }
    return null;
  }
}
