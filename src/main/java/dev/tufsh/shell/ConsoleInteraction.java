package dev.tufsh.shell;

import java.io.Console;

/**
 * Answers a one-shot command's questions ({@code tufsh init}, {@code tufsh revoke ...}) on the
 * terminal it was started from. The JDK console costs nothing at start-up, unlike a line editor,
 * and a one-shot command has no history to keep answers out of.
 */
public final class ConsoleInteraction extends PromptInteraction {
  private final Console console;

  public ConsoleInteraction(Console console) {
    super(console.writer());
    this.console = console;
  }

  @Override
  String answer(String prompt) {
    return console.readLine("%s", prompt);
  }

  @Override
  char[] hidden(String prompt) {
    return console.readPassword("%s", prompt);
  }

  @Override
  public String readLine(String prompt) {
    return console.readLine("%s", prompt);
  }
}
