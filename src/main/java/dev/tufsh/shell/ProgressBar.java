package dev.tufsh.shell;

import java.io.PrintWriter;

/** A one-line progress bar redrawn in place, at most ten frames a second, never backwards. */
final class ProgressBar {
  private final PrintWriter out;
  private long lastDraw;
  private long lastDone = -1;

  ProgressBar(PrintWriter out) {
    this.out = out;
  }

  synchronized void draw(String task, long done, long total) {
    long now = System.nanoTime();
    // Workers report out of order; never draw backwards, and at most ten frames a second.
    if (done <= lastDone && done < total || done < total && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDone = done >= total ? -1 : done;
    lastDraw = now;
    int width = 30;
    int filled = total <= 0 ? width : (int) (width * done / total);
    String bar = "#".repeat(filled) + "-".repeat(width - filled);
    out.print("\r" + task + " [" + bar + "] " + done + "/" + total);
    if (done >= total) {
      out.println();
    }
    out.flush();
  }
}
