package dev.tufsh.cli.commands;

import dev.tufsh.cli.CommandLines;
import dev.tufsh.cli.CommandText;
import dev.tufsh.cli.Session;
import dev.tufsh.errors.TufshException;
import dev.tufsh.runbook.jsh.ScriptHost;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a script's command lines against one repository, through the normal command path. */
final class CommandHost implements ScriptHost {
  private final Session session;
  private final List<String> prefix;

  CommandHost(Session session, Path repo, List<String> extraGlobals) {
    this.session = session;
    this.prefix = new ArrayList<>(List.of("--repo", repo.toString()));
    this.prefix.addAll(extraGlobals);
  }

  @Override
  public int run(String commandLine) {
    List<String> args = new ArrayList<>(prefix);
    args.addAll(CommandText.words(commandLine));
    return CommandLines.execute(session, args);
  }

  @Override
  public Object result(String commandLine) {
    Session quiet = session.withOutput(new PrintWriter(java.io.Writer.nullWriter()));
    List<String> args = new ArrayList<>(prefix);
    args.addAll(CommandText.words(commandLine));
    int status = CommandLines.execute(quiet, args);
    if (status != 0) {
      throw new TufshException("'" + commandLine + "' failed (exit " + status + ")");
    }
    Object r = quiet.takeResult();
    if (r == null) {
      throw new IllegalStateException("'" + commandLine + "' gives no result to scripts");
    }
    return r;
  }

  @Override
  public String json(String commandLine) {
    StringWriter buf = new StringWriter();
    List<String> args = new ArrayList<>(prefix);
    args.add("--json");
    args.addAll(CommandText.words(commandLine));
    int status = CommandLines.execute(session.withOutput(new PrintWriter(buf)), args);
    if (status != 0) {
      throw new TufshException("'" + commandLine + "' failed (exit " + status + ")");
    }
    return buf.toString();
  }
}
