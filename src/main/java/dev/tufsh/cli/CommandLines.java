package dev.tufsh.cli;

import java.util.List;
import picocli.CommandLine;

/**
 * Builds a fresh {@link CommandLine} for every command executed: picocli does not reset options
 * between runs, so a reused instance would leak one command's flags into the next.
 */
public final class CommandLines {
  private CommandLines() {}

  public static CommandLine create(Session session) {
    TufshCommand root = new TufshCommand(session);
    CommandLine cmd = new CommandLine(root);
    cmd.setOut(session.out());
    cmd.setErr(session.err());
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setUsageHelpAutoWidth(true);
    Errors errors = new Errors(session.err(), false);
    cmd.setParameterExceptionHandler(errors);
    cmd.setExecutionExceptionHandler(
        (ex, c, parsed) -> new Errors(session.err(), root.debug()).handleExecutionException(ex, c, parsed));
    return cmd;
  }

  /** Runs one command given as words; returns its exit status. */
  public static int execute(Session session, List<String> words) {
    CommandLine cmd = create(session);
    int status = cmd.execute(words.toArray(String[]::new));
    session.out().flush();
    session.err().flush();
    return status;
  }
}
