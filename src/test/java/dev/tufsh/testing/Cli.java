package dev.tufsh.testing;

import dev.tufsh.app.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Runs tufsh's main entry point in this JVM, capturing its output, as a script would see it. */
public final class Cli {
  private Cli() {}

  /** What one run printed and returned. */
  public record Result(int status, String out, String err) {
    public Result assertOk() {
      if (status != 0) {
        throw new AssertionError("exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err);
      }
      return this;
    }
  }

  public static Result run(String... args) {
    return runWithInput("", args);
  }

  public static Result runWithInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, err, false);
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
