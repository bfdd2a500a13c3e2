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

  /** {@code tufsh --repo REPO --passphrase-file PASS WORDS...}. */
  public static Result inRepo(java.nio.file.Path repo, java.nio.file.Path passphraseFile, String... words) {
    String[] args = new String[words.length + 4];
    args[0] = "--repo";
    args[1] = repo.toString();
    args[2] = "--passphrase-file";
    args[3] = passphraseFile.toString();
    System.arraycopy(words, 0, args, 4, words.length);
    return run(args);
  }

  public static Result runWithInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, err, false);
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
