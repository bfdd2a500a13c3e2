package dev.tufsh.model;

/**
 * Delegation path patterns as clients match them: split on '/', equal segment counts, and each
 * segment matched with '*' (any run) and '?' (one character); a wildcard never crosses '/'.
 */
public final class PathPattern {
  private PathPattern() {}

  public static boolean matches(String pattern, String path) {
    return bySegment(pattern, path, false);
  }

  /**
   * Whether every path {@code child} matches is also matched by {@code parent}: what a delegator
   * may grant. Segment by segment, a child wildcard is covered only by a parent {@code *} (a
   * {@code ?} also by a parent {@code ?}); literals by themselves or a wildcard. Sound, not complete:
   * a pattern it refuses may still be narrower in some odd case, never the other way round.
   */
  public static boolean within(String child, String parent) {
    return bySegment(parent, child, true);
  }

  /** {@code s} read as a pattern ({@code asPattern}) or as a path, matched against {@code pattern}. */
  private static boolean bySegment(String pattern, String s, boolean asPattern) {
    String[] ps = pattern.split("/", -1);
    String[] ts = s.split("/", -1);
    if (ps.length != ts.length) {
      return false;
    }
    for (int i = 0; i < ps.length; i++) {
      if (!glob(ps[i], 0, ts[i], 0, asPattern)) {
        return false;
      }
    }
    return true;
  }

  private static boolean glob(String p, int pi, String s, int si, boolean asPattern) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      if (c == '*') {
        for (int k = si; k <= s.length(); k++) {
          if (glob(p, pi + 1, s, k, asPattern)) {
            return true;
          }
        }
        return false;
      }
      if (si >= s.length()) {
        return false;
      }
      char y = s.charAt(si);
      // a parent '?' covers one character, or a child '?', never a child '*'
      if (c == '?' ? asPattern && y == '*' : c != y) {
        return false;
      }
      pi++;
      si++;
    }
    return si == s.length();
  }
}
