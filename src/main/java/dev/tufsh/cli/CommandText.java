package dev.tufsh.cli;

import dev.tufsh.errors.TufshException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits command text the way a person expects from a shell: words separated by blanks, single
 * and double quotes group, backslash escapes the next character, {@code ;} separates commands and
 * {@code #} at the start of a word begins a comment.
 */
public final class CommandText {
  private CommandText() {}

  /** The commands in {@code text}, each a list of words; empty commands are dropped. */
  public static List<List<String>> commands(String text) {
    List<List<String>> out = new ArrayList<>();
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
          word.append(text.charAt(++i));
        } else {
          word.append(c);
        }
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (c == '\\' && i + 1 < text.length()) {
        word = word == null ? new StringBuilder() : word;
        word.append(text.charAt(++i));
      } else if (c == ';' || c == '\n') {
        word = flush(word, words);
        if (!words.isEmpty()) {
          out.add(words);
          words = new ArrayList<>();
        }
      } else if (Character.isWhitespace(c)) {
        word = flush(word, words);
      } else if (c == '#' && word == null) {
        while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
          i++;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (quote != 0) {
      throw new TufshException("unterminated " + (quote == '"' ? "double" : "single") + " quote in: " + text.strip());
    }
    flush(word, words);
    if (!words.isEmpty()) {
      out.add(words);
    }
    return out;
  }

  /** The words of one command line (a {@code ;} inside is an error). */
  public static List<String> words(String line) {
    List<List<String>> cmds = commands(line);
    if (cmds.size() > 1) {
      throw new TufshException("one command expected, found " + cmds.size() + " separated by ';'");
    }
    return cmds.isEmpty() ? List.of() : cmds.get(0);
  }

  private static StringBuilder flush(StringBuilder word, List<String> words) {
    if (word != null) {
      words.add(word.toString());
    }
    return null;
  }

  /** Quotes {@code word} so that {@link #commands} reads it back unchanged. */
  public static String quote(String word) {
    if (!word.isEmpty() && word.chars().noneMatch(c -> Character.isWhitespace(c) || "'\"\\;#".indexOf(c) >= 0)) {
      return word;
    }
    return "'" + word.replace("'", "'\"'\"'") + "'";
  }
}
