package dev.tufsh.ssh;

import dev.tufsh.errors.UsageError;
import java.util.List;

/**
 * The limits on a remote command line before anything parses it: its length, its number of words,
 * and no control or invisible formatting characters (NUL, escape sequences, bidirectional
 * overrides), which could hide what a line does from the person reading the audit log.
 */
final class RemoteLine {
  static final int MAX_CHARS = 4096;
  static final int MAX_WORDS = 256;

  private RemoteLine() {}

  /** Throws naming the first limit {@code text} breaks. */
  static void checkText(String text) {
    if (text.length() > MAX_CHARS) {
      throw new UsageError("command line refused: " + text.length() + " characters; at most " + MAX_CHARS);
    }
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (c != '\n' && c != '\t' && unprintable(c)) {
        throw new UsageError(String.format(java.util.Locale.ROOT,
            "command line refused: character U+%04X at position %d is a control or formatting character", c, i + 1));
      }
      i += Character.charCount(c);
    }
  }

  /** Throws naming the first limit the words of one command break. */
  static void checkWords(List<String> words) {
    if (words.size() > MAX_WORDS) {
      throw new UsageError("command refused: " + words.size() + " words; at most " + MAX_WORDS);
    }
    checkText(String.join(" ", words));
  }

  static boolean unprintable(int c) {
    int t = Character.getType(c);
    return t == Character.CONTROL || t == Character.FORMAT || t == Character.LINE_SEPARATOR
        || t == Character.PARAGRAPH_SEPARATOR || t == Character.UNASSIGNED || t == Character.PRIVATE_USE
        || t == Character.SURROGATE;
  }
}
