package dev.tufsh.shell;

import dev.tufsh.cli.CancelledException;
import dev.tufsh.cli.Interaction;
import dev.tufsh.crypto.Secret;
import java.io.Console;
import java.util.Arrays;

/**
 * Answers a one-shot command's questions ({@code tufsh init}, {@code tufsh revoke ...}) on the
 * terminal it was started from: passphrases without echo, confirmations as y/N. The JDK console
 * costs nothing at start-up, unlike a line editor, and a one-shot command has no history to keep
 * answers out of.
 */
public final class ConsoleInteraction implements Interaction {
  private final Console console;
  private final ProgressBar bar;

  public ConsoleInteraction(Console console) {
    this.console = console;
    this.bar = new ProgressBar(console.writer());
  }

  @Override
  public boolean interactive() {
    return true;
  }

  @Override
  public boolean confirm(String question) {
    return Interaction.isYes(console.readLine("%s [y/N] ", question));
  }

  @Override
  public Secret readSecret(String prompt) {
    char[] chars = console.readPassword("%s: ", prompt);
    if (chars == null) {
      throw new CancelledException("no " + prompt + " given");
    }
    try {
      return new Secret(chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  @Override
  public String readLine(String prompt) {
    return console.readLine("%s", prompt);
  }

  @Override
  public void tell(String line) {
    console.writer().println(line);
    console.writer().flush();
  }

  @Override
  public void progress(String task, long done, long total) {
    bar.draw(task, done, total);
  }
}
