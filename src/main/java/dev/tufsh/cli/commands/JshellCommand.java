package dev.tufsh.cli.commands;

import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.errors.TufshException;
import dev.tufsh.runbook.jsh.JavaScript;
import picocli.CommandLine.Command;

/** {@code jshell}: Java snippets with {@code tufsh} bound, interactively; {@code /exit} returns. */
@Command(name = "jshell", description = "Evaluate Java snippets with the 'tufsh' scripting API bound (/exit to return).")
public final class JshellCommand extends BaseCommand {
  @Override
  public Access access() {
    return Access.read();
  }

  @Override
  protected int execute() {
    if (!session().interaction().interactive()) {
      throw new TufshException("jshell needs a terminal; use 'run FILE.jsh' for scripts");
    }
    out().println("Java snippets; 'tufsh' is bound (try: tufsh.json(\"status\")). /exit to return.");
    try (JavaScript js = new JavaScript(new CommandHost(session(), root().repo(), root().asArgs()), out())) {
      while (true) {
        String line = session().interaction().readLine("jshell> ");
        if (line == null || line.strip().equals("/exit")) {
          return 0;
        }
        if (line.isBlank()) {
          continue;
        }
        // An unfinished snippet continues on the next line, as in JShell itself.
        StringBuilder snippet = new StringBuilder(line);
        while (js.incomplete(snippet.toString())) {
          String more = session().interaction().readLine("   ...> ");
          if (more == null) {
            return 0;
          }
          snippet.append('\n').append(more);
        }
        line = snippet.toString();
        try {
          String value = js.evalInteractive(line);
          if (value != null) {
            out().println(value);
          }
        } catch (TufshException e) {
          out().println("error: " + e.getMessage());
        }
        out().flush();
      }
    }
  }
}
