package dev.tufsh.ops;

import dev.tufsh.errors.UsageError;
import dev.tufsh.model.Names;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code target add --list} file read as bytes, a line at a time as {@code BufferedReader.readLine}
 * splits lines ({@code \n}, {@code \r} or {@code \r\n}). The common line, {@code PATH LENGTH SHA256}
 * in printable ASCII with a plain path (one {@link Names#checkTargetPath} takes and nothing URL-unsafe),
 * a decimal length and 64 lowercase hex digits, goes to {@link Fast} as byte offsets: no string, map
 * or record a line (2.27 M lines in a PyPI-size build). Any other line is decoded as UTF-8, stripped,
 * and, unless blank or a comment, handed to the caller's {@link LineParser}, which reads it and
 * reports what is wrong as it always did; nothing the fast path takes is one it would refuse.
 */
public final class TargetList {
  /** Reads a line the fast path leaves: stripped, not blank, not a comment; {@code n} its line number. */
  @FunctionalInterface
  public interface LineParser {
    TargetSpec parse(String line, int n);
  }

  /** Takes a fast line: path {@code b[pathFrom, pathTo)}, its length, and its sha256's 64 hex digits at {@code hexFrom}. */
  @FunctionalInterface
  interface Fast {
    void take(byte[] b, int pathFrom, int pathTo, long length, int hexFrom);
  }

  /** Takes a line read by the caller's parser. */
  @FunctionalInterface
  interface Slow {
    void take(TargetSpec spec);
  }

  private final Path list;
  private final LineParser parser;

  public TargetList(Path list, LineParser parser) {
    this.list = list;
    this.parser = parser;
  }

  public Path path() {
    return list;
  }

  /** Reads every line, in order, into {@code fast} or (through the parser) {@code slow}. */
  void read(Fast fast, Slow slow) {
    try (InputStream in = Files.newInputStream(list)) {
      byte[] b = new byte[1 << 20];
      int have = 0;
      int n = 0;
      boolean afterCr = false; // the last chunk ended in '\r': a '\n' starting this one ends nothing
      while (true) {
        int got = in.read(b, have, b.length - have);
        boolean end = got < 0;
        if (!end) {
          have += got;
        }
        int from = 0;
        if (afterCr && have > 0 && b[0] == '\n') {
          from = 1;
        }
        afterCr = false;
        int i = from;
        while (i < have) {
          byte c = b[i];
          if (c == '\n' || c == '\r') {
            n++;
            line(b, from, i, n, fast, slow);
            if (c == '\r') {
              if (i + 1 < have) {
                if (b[i + 1] == '\n') {
                  i++;
                }
              } else {
                afterCr = true;
              }
            }
            from = ++i;
          } else {
            i++;
          }
        }
        if (end) {
          if (from < have) {
            n++;
            line(b, from, have, n, fast, slow);
          }
          return;
        }
        // Keep the unfinished line: at the buffer's start, in a larger buffer if it fills it.
        int rest = have - from;
        if (rest == b.length) {
          b = java.util.Arrays.copyOf(b, b.length * 2);
        } else {
          System.arraycopy(b, from, b, 0, rest);
        }
        have = rest;
      }
    } catch (IOException e) {
      throw new UsageError("cannot read " + list + ": " + e.getMessage());
    }
  }

  /** One line, {@code b[from, to)} without its end. */
  private void line(byte[] b, int from, int to, int n, Fast fast, Slow slow) {
    if (!fastLine(b, from, to, fast)) {
      String l = decode(b, from, to).strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        slow.take(parser.parse(l, n));
      }
    }
  }

  /**
   * Takes {@code b[from, to)} when it is blank, a comment, or a fast line (see the class comment):
   * printable ASCII and tabs, none of {@code ' " \ ;} nor a {@code #} after its first word's start.
   */
  static boolean fastLine(byte[] b, int from, int to, Fast fast) {
    int[] words = new int[6];
    int count = 0;
    int start = -1;
    for (int i = from; i <= to; i++) {
      int c = i == to ? ' ' : b[i];
      if (c == ' ' || c == '\t') {
        if (start >= 0) {
          if (count == 3) {
            return false;
          }
          words[2 * count] = start;
          words[2 * count + 1] = i;
          count++;
          start = -1;
        }
        continue;
      }
      if (c < 0x20 || c > 0x7e || c == '\'' || c == '"' || c == '\\' || c == ';') {
        return false;
      }
      if (c == '#') {
        if (count == 0 && start < 0) {
          return allPrintable(b, i, to); // a comment, as the slow path's strip reads it
        }
        return false;
      }
      if (start < 0) {
        start = i;
      }
    }
    if (count == 0) {
      return true; // blank
    }
    if (count != 3) {
      return false;
    }
    long length = digits(b, words[2], words[3]);
    if (length < 0 || words[5] - words[4] != 64 || !lowerHex(b, words[4], words[5])
        || !plainPath(b, words[0], words[1])) {
      return false;
    }
    fast.take(b, words[0], words[1], length, words[4]);
    return true;
  }

  /** Whether {@code b[from, to)} is printable ASCII or tabs (so stripping it is the slow path's strip). */
  private static boolean allPrintable(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if ((b[i] < 0x20 && b[i] != '\t') || b[i] > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** The value of 1 to 18 decimal digits (what {@code Long.parseLong} gives them), else -1. */
  private static long digits(byte[] b, int from, int to) {
    if (to - from < 1 || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return -1;
      }
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }

  private static boolean lowerHex(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether printable-ASCII path {@code b[from, to)} (no space) is one {@link Names#checkTargetPath}
   * accepts and {@link Names#urlUnsafeCharacters} finds nothing in; a path it refuses or warns about
   * is left to the slow path, which says so.
   */
  static boolean plainPath(byte[] b, int from, int to) {
    int n = to - from;
    if (n == 0 || n > Names.MAX_TARGET_PATH_BYTES || b[from] == '/') {
      return false;
    }
    if (n >= 2 && b[from + 1] == ':' && ((b[from] >= 'a' && b[from] <= 'z') || (b[from] >= 'A' && b[from] <= 'Z'))) {
      return false; // a drive path
    }
    int segment = from;
    for (int i = from; i <= to; i++) {
      int c = i == to ? '/' : b[i];
      if (c == '/') {
        int len = i - segment;
        if (len == 0 || (len <= 2 && b[segment] == '.' && (len == 1 || b[segment + 1] == '.'))) {
          return false;
        }
        segment = i + 1;
      } else if (c <= ' ' || c > 0x7e || c == '\\' || c == '%' || c == '?' || c == '#') {
        return false;
      }
    }
    return true;
  }

  /** {@code b[from, to)} as UTF-8, refused as the reader of the whole file refused it. */
  private String decode(byte[] b, int from, int to) {
    try {
      CharBuffer c = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, to - from));
      return c.toString();
    } catch (CharacterCodingException e) {
      throw new UsageError("cannot read " + list + ": " + e.getMessage());
    }
  }
}
