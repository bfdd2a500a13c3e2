package dev.tufsh.cli.render;

/**
 * ANSI colour for the few things a person must not miss: expired, soon to expire, threshold not
 * met. Off when {@code NO_COLOR} is set, on dumb terminals, with {@code --no-color} and with
 * {@code --json}.
 */
public final class Style {
  private final boolean on;

  public Style(boolean on) {
    this.on = on;
  }

  public static boolean allowedByEnvironment(boolean isTerminal) {
    String noColor = System.getenv("NO_COLOR");
    String term = System.getenv("TERM");
    return isTerminal && (noColor == null || noColor.isEmpty()) && !"dumb".equals(term);
  }

  public String bad(String s) {
    return wrap("31;1", s);
  }

  public String warn(String s) {
    return wrap("33", s);
  }

  public String good(String s) {
    return wrap("32", s);
  }

  public String dim(String s) {
    return wrap("2", s);
  }

  public String bold(String s) {
    return wrap("1", s);
  }

  private String wrap(String code, String s) {
    return on ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }

  /** Display width of {@code s}, ignoring ANSI escapes. */
  static int width(String s) {
    int w = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\u001b') {
        while (i < s.length() && s.charAt(i) != 'm') {
          i++;
        }
      } else if (!Character.isLowSurrogate(c)) {
        w++;
      }
    }
    return w;
  }
}
