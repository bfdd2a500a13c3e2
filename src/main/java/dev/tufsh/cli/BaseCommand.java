package dev.tufsh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.json.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: the session, the global options, JSON or human output, and
 * confirmation. Commands stay thin: parse, build a request, call one operation, print the result.
 */
public abstract class BaseCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  @picocli.CommandLine.Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show help for this command.")
  boolean helpRequested;

  protected TufshCommand root() {
    return (TufshCommand) spec.root().userObject();
  }

  protected Session session() {
    return root().session();
  }

  /**
   * What this command will do, checked against the session's permissions before it runs. The
   * default is the strictest (admin); read-only commands and role-scoped commands override it.
   */
  public Access access() {
    return Access.admin(spec.qualifiedName(" ").replaceFirst("^tufsh ", ""));
  }

  /**
   * Whether this command creates the workspace it runs in ({@code init}): its intent record goes
   * into the new workspace's audit log, made first.
   */
  protected boolean createsWorkspace() {
    return false;
  }

  /**
   * Checks permissions, then, for a command that changes anything, appends its intent to the audit
   * log before it runs: if that fails, the command does not run.
   */
  @Override
  public final Integer call() throws Exception {
    Access access = access();
    session().permissions().check(access);
    if (access.writes()) {
      session().audit().intent(session(), root().repo(), createsWorkspace());
    }
    return execute();
  }

  protected abstract int execute() throws Exception;

  /** Prints {@code result} as JSON with {@code --json}, else runs {@code human}. */
  protected void print(Object result, Runnable human) {
    if (root().json()) {
      JsonNode node = result instanceof JsonNode n ? n : Json.mapper().valueToTree(result);
      session().out().println(Json.pretty(node));
    } else {
      human.run();
    }
    session().out().flush();
  }

  /**
   * Asks before something destructive. {@code --yes} answers for scripts; without a person and
   * without {@code --yes} the command is refused.
   */
  protected void confirm(String question) {
    if (root().yes()) {
      return;
    }
    Interaction in = session().interaction();
    if (!in.interactive()) {
      throw new CancelledException(question.replaceAll("\\?$", "") + ": refused without --yes");
    }
    if (!in.confirm(question)) {
      throw new CancelledException("not confirmed");
    }
  }

  private dev.tufsh.crypto.SecretSource secrets;

  /** The repository for this command, with passphrases from the file, environment or a prompt. */
  protected dev.tufsh.ops.Workbench bench() {
    Interaction in = session().interaction();
    return session().workbench(root().repo(), secrets(), root().clock())
        .progress(root().json() ? dev.tufsh.repo.Progress.NONE : in::progress);
  }

  /** Where this command's passphrases and PINs come from; one source per command, so it asks once. */
  protected dev.tufsh.crypto.SecretSource secrets() {
    if (secrets == null) {
      Path file = root().passphraseFile() != null ? root().passphraseFile() : session().passphraseFile();
      secrets = new Secrets(file, session().interaction());
    }
    return secrets;
  }

  protected dev.tufsh.cli.render.Style style() {
    return new dev.tufsh.cli.render.Style(root().color());
  }

  /** {@link #print} for helpers outside the command class. */
  public void printResult(Object result, Runnable human) {
    print(result, human);
  }

  /** A one-line warning on standard error; the command goes on. */
  public void warn(String line) {
    session().err().println("warning: " + line);
    session().err().flush();
  }

  public java.io.PrintWriter output() {
    return out();
  }

  protected java.io.PrintWriter out() {
    return session().out();
  }
}
