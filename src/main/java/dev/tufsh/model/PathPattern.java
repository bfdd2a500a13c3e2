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

  /**
   * Whether every path {@code child} matches is also matched by {@code parent}: what a delegator
   * may grant. Segment by segment, a child wildcard is covered only by a parent {@code *} (a
   * {@code ?} also by a parent {@code ?}); literals by themselves or a wildcard. Sound, not complete:
   * a pattern it refuses may still be narrower in some odd case, never the other way round.
   */
  public static boolean within(String child, String parent) {
    String[] cs = child.split("/", -1);
    String[] ps = parent.split("/", -1);
    if (cs.length != ps.length) {
      return false;
    }
    for (int i = 0; i < cs.length; i++) {
      if (!covers(ps[i], 0, cs[i], 0)) {
        return false;
      }
    }
    return true;
  }

  private static boolean covers(String p, int pi, String c, int ci) {
    while (pi < p.length()) {
      char x = p.charAt(pi);
      if (x == '*') {
        for (int k = ci; k <= c.length(); k++) {
          if (covers(p, pi + 1, c, k)) {
            return true;
          }
        }
        return false;
      }
      if (ci >= c.length()) {
        return false;
      }
      char y = c.charAt(ci);
      boolean ok = x == '?' ? y != '*' : x == y && y != '*' && y != '?';
      if (!ok) {
        return false;
      }
      pi++;
      ci++;
    }
    return ci == c.length();
  }
}
