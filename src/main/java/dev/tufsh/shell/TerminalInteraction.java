package dev.tufsh.shell;

import dev.tufsh.cli.CancelledException;
import dev.tufsh.cli.Interaction;
import dev.tufsh.crypto.Secret;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * Answers a command's questions through the terminal. Secrets are read by a separate reader with
 * history disabled and a mask, so they never echo and never reach the history file.
 */
public final class TerminalInteraction implements Interaction {
  private final Terminal terminal;
  private final LineReader reader;
  private final LineReader secretReader;
  private final ProgressBar bar;

  TerminalInteraction(Terminal terminal, LineReader reader) {
    this.terminal = terminal;
    this.reader = reader;
    this.secretReader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .variable(LineReader.DISABLE_HISTORY, true)
            .build();
    this.bar = new ProgressBar(terminal.writer());
  }

  @Override
  public boolean interactive() {
    return true;
  }

  @Override
  public boolean confirm(String question) {
    try {
      return Interaction.isYes(secretReader.readLine(question + " [y/N] "));
    } catch (UserInterruptException | EndOfFileException e) {
      return false;
    }
  }

  @Override
  public Secret readSecret(String prompt) {
    try {
      // JLine hands back a String; the char[] copy is wiped once the Secret holds its own.
      char[] chars = secretReader.readLine(prompt + ": ", '\0').toCharArray();
      try {
        return new Secret(chars);
      } finally {
        java.util.Arrays.fill(chars, '\0');
      }
    } catch (UserInterruptException | EndOfFileException e) {
      throw new CancelledException("no " + prompt + " given");
    }
  }

  @Override
  public String readLine(String prompt) {
    try {
      return reader.readLine(prompt);
    } catch (UserInterruptException e) {
      return "";
    } catch (EndOfFileException e) {
      return null;
    }
  }

  @Override
  public void tell(String line) {
    terminal.writer().println(line);
    terminal.writer().flush();
  }

  @Override
  public void progress(String task, long done, long total) {
    bar.draw(task, done, total);
  }
}
