package dev.tufsh.runbook;

import dev.tufsh.errors.TufshException;

/**
 * Replays a runbook line by line and stops at the first failing line. Every change in tufsh is
 * staged until a {@code publish} line, so a runbook that stops early has published nothing.
 */
public final class RunbookRunner {
  private RunbookRunner() {}

  /** The outcome: lines run, and whether all succeeded. */
  public record Result(int stepsRun, int totalSteps) {}

  /** Thrown when a line fails; names the file and the line. */
  public static final class StepFailed extends TufshException {
    private final int line;
    private final int status;

    public StepFailed(String file, int line, String text, int status) {
      super(file + ":" + line + ": '" + text + "' failed (exit " + status + "); nothing after it ran");
      this.line = line;
      this.status = status;
    }

    public int line() {
      return line;
    }

    public int status() {
      return status;
    }
  }

  public static Result run(Runbook book, LineExecutor executor) {
    int n = 0;
    for (Runbook.Step step : book.steps()) {
      if (Thread.currentThread().isInterrupted()) {
        throw new TufshException(book.file() + ":" + step.line() + ": cancelled before this line");
      }
      int status = executor.execute(step.text());
      n++;
      if (status != 0) {
        throw new StepFailed(book.file().toString(), step.line(), step.text(), status);
      }
    }
    return new Result(n, book.steps().size());
  }
}
