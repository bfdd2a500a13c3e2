package dev.tufsh.cli.commands;

import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.CommandLines;
import dev.tufsh.cli.CommandText;
import dev.tufsh.errors.TufshException;
import dev.tufsh.runbook.Runbook;
import dev.tufsh.runbook.RunbookRunner;
import dev.tufsh.runbook.ThrowawayCopy;
import dev.tufsh.runbook.jsh.JavaScript;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run FILE}: replay a runbook, stopping at the first failing line. With {@code --dry-run}
 * the runbook runs against a throwaway copy of the workspace, {@code publish} lines are skipped,
 * and the resulting plan is printed; the workspace is not touched.
 */
@Command(
    name = "run",
    description = "Replay a runbook (.tufsh) or a Java script (.jsh); --dry-run shows the plan it would produce.")
public final class RunCommand extends BaseCommand {
  @Parameters(paramLabel = "FILE", description = "The runbook: one command a line, # comments, $${VAR} variables.")
  Path file;

  @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Set a runbook variable (repeatable).")
  List<String> vars = new ArrayList<>();

  @Option(names = "--dry-run", description = "Run on a throwaway copy, skip publish, print the resulting plan.")
  boolean dryRun;

  @Override
  public Access access() {
    // Each line is checked on its own when it runs.
    return Access.read();
  }

  @Override
  protected int execute() {
    try {
      return replay();
    } finally {
      if (dryRun) {
        // Set last: the lines replayed on the copy audit there; the workspace must stay byte for byte.
        session().skipAudit();
      }
    }
  }

  private int replay() {
    if (file.toString().endsWith(".jsh")) {
      return runJava();
    }
    Runbook book = Runbook.read(file, parseVars(), System.getenv());
    // Every line is parsed before the first one runs: a typo on line 19 must not leave 18 done.
    for (Runbook.Step step : book.steps()) {
      try {
        CommandLines.check(session(), CommandText.words(step.text()));
      } catch (TufshException e) {
        throw new dev.tufsh.errors.UsageError(file + ":" + step.line() + ": " + e.getMessage() + "; nothing ran");
      }
    }
    if (!dryRun) {
      RunbookRunner.Result r;
      try {
        r = RunbookRunner.run(book, line -> runLine(root().repo(), line));
      } finally {
        if (root().json()) {
          stepsJson(book);
        }
      }
      int n = r.stepsRun();
      print(stepsJson(book).put("lines", n), () -> out().println("runbook " + file + ": " + n + " line(s) run"));
      return 0;
    }
    try (ThrowawayCopy copy = ThrowawayCopy.of(root().repo())) {
      RunbookRunner.run(book, line -> {
        List<String> words = CommandText.words(line);
        if (!words.isEmpty() && words.get(0).equals("publish")) {
          out().println("# dry run: skipping '" + line + "'");
          return 0;
        }
        return runLine(copy.dir(), line);
      });
      out().println("# dry run of " + file + ": the plan it would publish");
      return runLine(copy.dir(), "plan");
    }
  }

  /** A Java script: evaluated through JShell with {@code tufsh} bound; dry runs use a copy. */
  private int runJava() {
    if (!dryRun) {
      JavaScript.runFile(file, new CommandHost(session(), root().repo(), globals()), out());
      return 0;
    }
    try (ThrowawayCopy copy = ThrowawayCopy.of(root().repo())) {
      JavaScript.runFile(file, new CommandHost(session(), copy.dir(), globals()), out());
      out().println("# dry run of " + file + ": the plan after the script (publish lines ran on the copy only)");
      return runLine(copy.dir(), "plan");
    }
  }

  private com.fasterxml.jackson.databind.node.ObjectNode steps;

  /** The runbook's result under --json: its lines' own envelopes, in order (kept if it fails). */
  private com.fasterxml.jackson.databind.node.ObjectNode stepsJson(Runbook book) {
    if (steps == null) {
      steps = dev.tufsh.json.Json.object();
      steps.put("runbook", file.toString());
      steps.putArray("steps");
    }
    session().takeNestedJson().forEach(((com.fasterxml.jackson.databind.node.ArrayNode) steps.get("steps"))::add);
    if (!steps.has("lines")) {
      session().noteJson(steps); // a failed runbook still shows what ran
    }
    return steps;
  }

  private List<String> globals() {
    return root().asArgs();
  }

  private int runLine(Path repo, String line) {
    List<String> args = new ArrayList<>(List.of("--repo", repo.toString()));
    args.addAll(globals());
    args.addAll(CommandText.words(line));
    return CommandLines.execute(session(), args);
  }

  private Map<String, String> parseVars() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String v : vars) {
      int eq = v.indexOf('=');
      if (eq <= 0) {
        throw new TufshException("--var " + v + ": expected NAME=VALUE");
      }
      out.put(v.substring(0, eq), v.substring(eq + 1));
    }
    return out;
  }
}
