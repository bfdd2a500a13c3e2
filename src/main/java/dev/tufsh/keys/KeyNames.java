package dev.tufsh.keys;

import java.util.regex.Pattern;

/**
 * Key names become file names, so they are kept to a portable alphabet: letters, digits, dot,
 * underscore and hyphen; no {@code ..}, no leading dot (hidden files, temp files) and no path
 * separators.
 */
public final class KeyNames {
  public static final int MAX_LENGTH = 100;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private KeyNames() {}

  /** Returns {@code name} when it is a valid key name, else throws naming the problem. */
  public static String check(String name) {
    if (name == null || name.isEmpty()) {
      throw new KeyStoreError("key name is empty");
    }
    if (name.length() > MAX_LENGTH) {
      throw new KeyStoreError("key name '" + name.substring(0, 20) + "...' is longer than "
          + MAX_LENGTH + " characters");
    }
    if (!NAME.matcher(name).matches()) {
      throw new KeyStoreError("key name '" + printable(name)
          + "' may hold only letters, digits, '.', '_' and '-'");
    }
    if (name.contains("..") || name.startsWith(".")) {
      throw new KeyStoreError("key name '" + name + "' may not start with '.' or contain '..'");
    }
    return name;
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", c));
      } else {
        sb.appendCodePoint(c);
      }
    });
    return sb.toString();
  }
}
