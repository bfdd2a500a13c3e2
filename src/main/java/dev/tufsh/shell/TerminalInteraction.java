package dev.tufsh.shell;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * Answers a command's questions through the shell's terminal. Answers and secrets are read by a
 * separate reader with history disabled (secrets with a mask), so they never echo and never reach
 * the history file; Ctrl-C or Ctrl-D there gives no answer.
 */
public final class TerminalInteraction extends PromptInteraction {
  private final LineReader reader;
  private final LineReader secretReader;

  TerminalInteraction(Terminal terminal, LineReader reader) {
    super(terminal.writer());
    this.reader = reader;
    this.secretReader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .variable(LineReader.DISABLE_HISTORY, true)
            .build();
  }

  @Override
  String answer(String prompt) {
    try {
      return secretReader.readLine(prompt);
    } catch (UserInterruptException | EndOfFileException e) {
      return null;
    }
  }

  @Override
  char[] hidden(String prompt) {
    try {
      // JLine hands back a String; the caller wipes this copy once the Secret holds its own.
      return secretReader.readLine(prompt, '\0').toCharArray();
    } catch (UserInterruptException | EndOfFileException e) {
      return null;
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
}
