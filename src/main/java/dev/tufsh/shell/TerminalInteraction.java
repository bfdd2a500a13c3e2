package dev.tufsh.shell;

import dev.tufsh.cli.CancelledException;
import dev.tufsh.cli.Interaction;
import dev.tufsh.crypto.Secret;
import java.util.Locale;
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
  private long lastProgressDraw;

  TerminalInteraction(Terminal terminal, LineReader reader) {
    this.terminal = terminal;
    this.reader = reader;
    this.secretReader =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .variable(LineReader.DISABLE_HISTORY, true)
            .build();
  }

  @Override
  public boolean interactive() {
    return true;
  }

  @Override
  public boolean confirm(String question) {
    try {
      String answer = secretReader.readLine(question + " [y/N] ");
      String a = answer.strip().toLowerCase(Locale.ROOT);
      return a.equals("y") || a.equals("yes");
    } catch (UserInterruptException | EndOfFileException e) {
      return false;
    }
  }

  @Override
  public Secret readSecret(String prompt) {
    try {
      String s = secretReader.readLine(prompt + ": ", '\0');
      Secret secret = new Secret(s.toCharArray());
      return secret;
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

  private long lastProgressDone = -1;

  @Override
  public synchronized void progress(String task, long done, long total) {
    long now = System.nanoTime();
    // Workers report out of order; never draw backwards, and at most ten frames a second.
    if (done <= lastProgressDone && done < total || done < total && now - lastProgressDraw < 100_000_000L) {
      return;
    }
    lastProgressDone = done >= total ? -1 : done;
    lastProgressDraw = now;
    int width = 30;
    int filled = total <= 0 ? width : (int) (width * done / total);
    String bar = "#".repeat(filled) + "-".repeat(width - filled);
    terminal.writer().print("\r" + task + " [" + bar + "] " + done + "/" + total);
    if (done >= total) {
      terminal.writer().println();
    }
    terminal.writer().flush();
  }
}
