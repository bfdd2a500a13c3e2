package dev.tufsh.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders one suite's results as an aligned plain-text table. */
final class Table {
  private static final String[] HEAD = {"measurement", "threads", "ops/s", "s/op", "throughput", "spread", "vs baseline"};
  private static final boolean[] RIGHT = {false, true, true, true, true, true, false};

  private Table() {}

  static String render(List<Result> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEAD);
    for (Result r : results) {
      rows.add(new String[] {
        r.name(),
        Integer.toString(r.threads()),
        number(r.medianOps()),
        String.format(Locale.ROOT, "%.3g", 1 / r.medianOps()),
        r.unit() == null ? "" : number(r.medianUnits()) + " " + r.unit(),
        String.format(Locale.ROOT, "%.1f%%", r.spread() * 100),
        r.baseline() == null ? "(baseline)" : ratio(r.ratio()) + " " + shortBaseline(r)
      });
    }
    int[] width = new int[HEAD.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int n = 0; n < rows.size(); n++) {
      String[] row = rows.get(n);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        if (i > 0) {
          line.append("  ");
        }
        String pad = " ".repeat(width[i] - row[i].length());
        line.append(RIGHT[i] ? pad + row[i] : row[i] + (i == row.length - 1 ? "" : pad));
      }
      sb.append(line).append('\n');
      if (n == 0) {
        sb.append("-".repeat(line.length())).append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * The baseline as the row names it: without the "label: " both share (the row already shows it),
   * or as "1 thread" when it is the same operation on fewer threads.
   */
  static String shortBaseline(Result r) {
    String b = r.baseline();
    if (b.equals(r.name())) {
      return "1 thread";
    }
    int colon = r.name().indexOf(": ");
    String prefix = colon < 0 ? null : r.name().substring(0, colon + 2);
    return prefix != null && b.startsWith(prefix) && b.length() > prefix.length() ? b.substring(prefix.length()) : b;
  }

  /** Three significant digits at least, grouped in thousands: 1,234,567 / 12,345 / 123 / 12.3 / 1.23. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (v >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (v >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String ratio(double r) {
    return Double.isNaN(r) ? "?" : String.format(Locale.ROOT, "%.2fx", r);
  }
}
