package dev.tufsh.json;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds where the members of a JSON object are in its bytes, and checks on the way that the bytes
 * are exactly what {@link CanonicalJson#encode} writes for the document they hold: no whitespace,
 * members in code-point order without duplicates, integers in their shortest form, strings with
 * only {@code \"} and {@code \\} escaped, well-formed UTF-8. One pass over the bytes, nothing
 * decoded into a tree. Strings and nested values are skipped as whole values, so a member name
 * inside a string or deeper down (a target path holding "expires") is never taken for a member.
 *
 * <p>A file escaping a control character is valid JSON but not canonical, so it is refused here
 * (its canonical bytes differ from the file's); so is anything else this does not recognise. A
 * refusal is not an error: the caller takes the slow path, which decodes and re-encodes.
 */
public final class CanonicalScan {
  private static final int MAX_DEPTH = 128;

  /**
   * Where one member's value is: bytes {@code [from, to)}; {@code members} counts the members of a
   * value that is an object (-1 for any other value), so a caller need not scan it again to count.
   */
  public record Span(int from, int to, int members) {
    public Span(int from, int to) {
      this(from, to, -1);
    }
  }

  /**
   * The top-level members of the object held by {@code b[from, to)} and, when {@code inner} names
   * one of them whose value is an object, that object's members too ({@code inner} keyed under
   * {@code inner + "."}); null when the bytes are not canonical JSON of an object.
   */
  public static Map<String, Span> members(byte[] b, int from, int to, String inner) {
    CanonicalScan s = new CanonicalScan(b, to);
    Map<String, Span> out = new LinkedHashMap<>();
    try {
      s.at = from;
      if (s.at >= to || b[s.at] != '{') {
        return null;
      }
      s.object(0, out, inner);
      return s.at == to ? out : null;
    } catch (NotCanonical | ArrayIndexOutOfBoundsException e) {
      return null;
    }
  }

  /**
   * Where the one value that starts at {@code b[from]} ends (it must end by {@code to}), checked
   * canonical as {@link #members} checks a member's value; -1 when it is not.
   */
  public static int valueEnd(byte[] b, int from, int to) {
    CanonicalScan s = new CanonicalScan(b, to);
    try {
      s.at = from;
      s.value(0);
      return s.at;
    } catch (NotCanonical | ArrayIndexOutOfBoundsException e) {
      return -1;
    }
  }

  private static final class NotCanonical extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final NotCanonical INSTANCE = new NotCanonical();

    private NotCanonical() {
      super(null, null, false, false);
    }
  }

  private final byte[] b;
  private final int end;
  private int at;

  private CanonicalScan(byte[] b, int end) {
    this.b = b;
    this.end = end;
  }

  private static NotCanonical no() {
    return NotCanonical.INSTANCE;
  }

  private byte next() {
    if (at >= end) {
      throw no();
    }
    return b[at++];
  }

  /** A value at {@code at}; the number of its members when it is an object, else -1. */
  private int value(int depth) {
    if (at >= end) {
      throw no();
    }
    switch (b[at]) {
      case '{' -> {
        return object(depth + 1, null, null);
      }
      case '[' -> array(depth + 1);
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
    return -1;
  }

  /**
   * An object at {@code at}; records its members' value spans in {@code out} when not null.
   * Returns how many members it has.
   */
  private int object(int depth, Map<String, Span> out, String inner) {
    if (depth > MAX_DEPTH) {
      throw no();
    }
    at++; // '{'
    if (at < end && b[at] == '}') {
      at++;
      return 0;
    }
    int prevFrom = -1;
    int prevTo = -1;
    boolean prevEscaped = false;
    int count = 0;
    while (true) {
      int nameFrom = at;
      boolean escaped = string();
      int nameTo = at;
      if (prevFrom >= 0 && compareNames(prevFrom, prevTo, prevEscaped, nameFrom, nameTo, escaped) >= 0) {
        throw no(); // out of order, or a duplicate
      }
      prevFrom = nameFrom;
      prevTo = nameTo;
      prevEscaped = escaped;
      count++;
      if (next() != ':') {
        throw no();
      }
      int valueFrom = at;
      String name = null;
      if (out != null) {
        name = escaped ? unescaped(nameFrom, nameTo) : new String(b, nameFrom + 1, nameTo - nameFrom - 2,
            java.nio.charset.StandardCharsets.UTF_8);
      }
      int members;
      if (out != null && name.equals(inner) && at < end && b[at] == '{') {
        Map<String, Span> nested = new LinkedHashMap<>();
        members = object(depth + 1, nested, null);
        nested.forEach((k, v) -> out.put(inner + "." + k, v));
      } else {
        members = value(depth);
      }
      if (out != null) {
        out.put(name, new Span(valueFrom, at, members));
      }
      byte c = next();
      if (c == '}') {
        return count;
      }
      if (c != ',') {
        throw no();
      }
    }
  }

  private void array(int depth) {
    if (depth > MAX_DEPTH) {
      throw no();
    }
    at++; // '['
    if (at < end && b[at] == ']') {
      at++;
      return;
    }
    while (true) {
      value(depth);
      byte c = next();
      if (c == ']') {
        return;
      }
      if (c != ',') {
        throw no();
      }
    }
  }

  /** A string at {@code at}; true when it holds an escape. */
  private boolean string() {
    if (next() != '"') {
      throw no();
    }
    boolean escaped = false;
    while (true) {
      // Printable ASCII other than '"' and '\\' is most of every file (target paths and hashes):
      // skipped in a tight loop, one comparison a byte.
      int i = at;
      while (i < end) {
        byte x = b[i];
        if (x <= '"' || x == '\\') {
          break; // '"', a control character, a space or '!', a backslash, or a byte >= 0x80 (negative)
        }
        i++;
      }
      at = i;
      int c = next() & 0xFF;
      if (c == '"') {
        return escaped;
      }
      if (c == '\\') {
        byte e = next();
        if (e != '"' && e != '\\') {
          throw no(); // canonical JSON escapes nothing else
        }
        escaped = true;
      } else if (c < 0x20) {
        throw no();
      } else if (c >= 0x80) {
        utf8();
      }
    }
  }

  /** The continuation of the multi-byte UTF-8 sequence whose lead byte was just read. */
  private void utf8() {
    int after = utf8End(b, at - 1, end);
    if (after < 0) {
      throw no();
    }
    at = after;
  }

  /**
   * Where the UTF-8 sequence led by {@code b[at]} (a byte of 0x80 or above) ends, within {@code end}:
   * -1 unless it is well-formed, in its shortest form, no surrogate and at most U+10FFFF.
   */
  public static int utf8End(byte[] b, int at, int end) {
    int c = b[at] & 0xFF;
    int more;
    int lo = 0x80;
    int hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      more = 2;
      lo = c == 0xE0 ? 0xA0 : 0x80;
      hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
      more = 3;
      lo = c == 0xF0 ? 0x90 : 0x80;
      hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
      return -1;
    }
    if (at + more >= end) {
      return -1;
    }
    for (int i = 1; i <= more; i++) {
      int x = b[at + i] & 0xFF;
      if (x < (i == 1 ? lo : 0x80) || x > (i == 1 ? hi : 0xBF)) {
        return -1;
      }
    }
    return at + more + 1;
  }

  private void literal(String word) {
    for (int i = 0; i < word.length(); i++) {
      if (next() != word.charAt(i)) {
        throw no();
      }
    }
  }

  /** An integer as canonical JSON writes it: {@code -?(0|[1-9][0-9]*)}, never {@code -0}. */
  private void number() {
    boolean negative = at < end && b[at] == '-';
    if (negative) {
      at++;
    }
    byte first = next();
    if (first == '0') {
      if (negative) {
        throw no();
      }
    } else if (first < '1' || first > '9') {
      throw no();
    } else {
      while (at < end && b[at] >= '0' && b[at] <= '9') {
        at++;
      }
    }
    if (at < end && (b[at] == '.' || b[at] == 'e' || b[at] == 'E')) {
      throw no();
    }
  }

  /**
   * Code-point order of two member names given as their quoted bytes (UTF-8 byte order is
   * code-point order); {@code aEscaped}, {@code bEscaped}: whether each holds an escape.
   */
  private int compareNames(int aFrom, int aTo, boolean aEscaped, int bFrom, int bTo, boolean bEscaped) {
    if (!aEscaped && !bEscaped) {
      return Arrays.compareUnsigned(b, aFrom + 1, aTo - 1, b, bFrom + 1, bTo - 1);
    }
    byte[] x = aEscaped ? unescapedBytes(aFrom, aTo) : null;
    byte[] y = bEscaped ? unescapedBytes(bFrom, bTo) : null;
    if (x == null && y == null) {
      return Arrays.compareUnsigned(b, aFrom + 1, aTo - 1, b, bFrom + 1, bTo - 1);
    }
    if (x == null) {
      x = Arrays.copyOfRange(b, aFrom + 1, aTo - 1);
    }
    if (y == null) {
      y = Arrays.copyOfRange(b, bFrom + 1, bTo - 1);
    }
    return Arrays.compareUnsigned(x, y);
  }

  /** The bytes of a quoted string without its escapes, or null when it has none. */
  private byte[] unescapedBytes(int from, int to) {
    int i = from + 1;
    while (i < to - 1 && b[i] != '\\') {
      i++;
    }
    if (i == to - 1) {
      return null;
    }
    byte[] out = new byte[to - from - 2];
    int n = 0;
    for (int j = from + 1; j < to - 1; j++) {
      if (b[j] == '\\') {
        j++;
      }
      out[n++] = b[j];
    }
    return Arrays.copyOf(out, n);
  }

  private String unescaped(int from, int to) {
    return new String(unescapedBytes(from, to), java.nio.charset.StandardCharsets.UTF_8);
  }
}
