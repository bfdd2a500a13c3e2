package dev.tufsh.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The lines of a piped shell's input, one at a time as they arrive, each bounded: a client cannot
 * make the server hold more than one line of {@code max} characters (times UTF-8's four bytes).
 * A final line without a newline counts; {@code \r\n} ends a line too.
 */
final class PipedLines {
  private final InputStream in;
  private final int maxBytes;

  PipedLines(InputStream in, int maxChars) {
    this.in = in;
    this.maxBytes = Math.multiplyExact(maxChars, 4);
  }

  /** The next line, or null at the end of the input; throws when a line is longer than allowed. */
  String next() throws IOException {
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (line.size() == maxBytes) {
        throw new IOException("input line longer than " + maxBytes + " bytes; nothing more is read");
      }
      line.write(b);
    }
    if (b < 0 && line.size() == 0) {
      return null;
    }
    String s = line.toString(StandardCharsets.UTF_8);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }
}
