package dev.tufsh.shell;

import dev.tufsh.cli.CancelledException;
import dev.tufsh.cli.Interaction;
import dev.tufsh.crypto.Secret;
import java.io.PrintWriter;
import java.util.Arrays;

/**
 * A person at a terminal, whatever reads their keys: confirmations as y/N, passphrases without echo
 * (wiped once the {@link Secret} holds its own copy), lines told and progress drawn on the same
 * terminal. Subclasses only read: the JDK console for one-shot commands, JLine in the shell.
 */
abstract class PromptInteraction implements Interaction {
  private final PrintWriter writer;
  private final ProgressBar bar;

  PromptInteraction(PrintWriter writer) {
    this.writer = writer;
    this.bar = new ProgressBar(writer);
  }

  /** An answer typed after {@code prompt}, kept out of history; null when the person gave none. */
  abstract String answer(String prompt);

  /** A line typed with no echo after {@code prompt}; null when the person gave none. */
  abstract char[] hidden(String prompt);

  @Override
  public final boolean interactive() {
    return true;
  }

  @Override
  public final boolean confirm(String question) {
    return Interaction.isYes(answer(question + " [y/N] "));
  }

  @Override
  public final Secret readSecret(String prompt) {
    char[] chars = hidden(prompt + ": ");
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
  public final void tell(String line) {
    writer.println(line);
    writer.flush();
  }

  @Override
  public final void progress(String task, long done, long total) {
    bar.draw(task, done, total);
  }
}
