package dev.tufsh.model;

/**
 * Delegation path patterns as clients match them: split on '/', equal segment counts, and each
 * segment matched with '*' (any run) and '?' (one character); a wildcard never crosses '/'.
 */
public final class PathPattern {
  private PathPattern() {}

  public static boolean matches(String pattern, String path) {
    String[] ps = pattern.split("/", -1);
    String[] ts = path.split("/", -1);
    if (ps.length != ts.length) {
      return false;
    }
    for (int i = 0; i < ps.length; i++) {
      if (!glob(ps[i], 0, ts[i], 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean glob(String p, int pi, String s, int si) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      if (c == '*') {
        for (int k = si; k <= s.length(); k++) {
          if (glob(p, pi + 1, s, k)) {
            return true;
          }
        }
        return false;
      }
      if (si >= s.length() || (c != '?' && c != s.charAt(si))) {
        return false;
      }
      pi++;
      si++;
    }
    return si == s.length();
  }
}
