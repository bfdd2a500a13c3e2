package dev.tufsh.cli.render;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** An aligned text table: a header row and left-aligned columns, two spaces apart. */
public final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  public Table(String... header) {
    this.columns = header.length;
    rows.add(header);
  }

  public Table row(Object... cells) {
    String[] r = new String[columns];
    for (int i = 0; i < columns; i++) {
      r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
    }
    rows.add(r);
    return this;
  }

  public int size() {
    return rows.size() - 1;
  }

  public void print(PrintWriter out) {
    int[] widths = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], Style.width(r[i]));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      sb.setLength(0);
      for (int i = 0; i < columns; i++) {
        sb.append(r[i]);
        if (i < columns - 1) {
          sb.append(" ".repeat(widths[i] - Style.width(r[i]) + 2));
        }
      }
      out.println(sb.toString().stripTrailing());
    }
    out.flush();
  }
}
