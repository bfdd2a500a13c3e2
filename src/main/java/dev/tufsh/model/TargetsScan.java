package dev.tufsh.model;

import dev.tufsh.errors.TufshException;
import dev.tufsh.json.CanonicalScan;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a client's check of a targets role that delegates nothing needs, read in one pass over the
 * file's bytes with nothing made per target: who signed which bytes, version, expiry, how many
 * targets, and that every target path is valid ({@link Names#checkTargetPath}) and in the scope the
 * caller gives. A 16,384-bin publish or verify otherwise decodes 2.27 M target entries into records
 * only to check them and drop them.
 *
 * <p>It reads exactly one layout, the canonical one tufsh and python-tuf write for such a role:
 *
 * <pre>{"signatures":[{"keyid":K,"sig":S},...],"signed":{"_type":"targets","expires":E,
 * "spec_version":V,"targets":{PATH:{"hashes":{ALG:HEX,...},"length":N},...},"version":I}}</pre>
 *
 * with no whitespace, members in code-point order, no escape in any string, strings of printable
 * ASCII but for paths (well-formed UTF-8), integers in their shortest form. Such bytes are their own
 * canonical form, so the {@code signed} slice is what the signatures cover, and {@link
 * MetadataCodec#decodeForVerification} decodes them to a role with the same facts. Anything else (an
 * escape, custom data, an unknown member, delegations, a signature with more members, a path or a
 * value either reader might refuse, a path out of scope) answers null: the caller decodes the file
 * in full, which accepts it or says what is wrong, so no verdict or message depends on this pass.
 */
public final class TargetsScan {
  /** Longer strings are not read here (the parser caps names at 50,000 chars; paths at 4,096 bytes). */
  private static final int MAX_STRING_BYTES = Names.MAX_TARGET_PATH_BYTES;

  /** Whether the role may list the target whose path is the UTF-8 bytes {@code b[from, to)}. */
  @FunctionalInterface
  public interface Scope {
    boolean covers(byte[] b, int from, int to);
  }

  /**
   * The facts read: the signatures, the {@code signed} value's bytes {@code [signedFrom, signedTo)}
   * of the file (canonical), its version and expiry, and how many targets it lists.
   */
  public record Result(List<Signature> signatures, int signedFrom, int signedTo, int version, Expiry expires,
      int targets) {
    /** A copy of the signed bytes, as the signatures are checked over them. */
    public byte[] signedBytes(byte[] file) {
      return Arrays.copyOfRange(file, signedFrom, signedTo);
    }
  }

  private static final class NotThisLayout extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final NotThisLayout INSTANCE = new NotThisLayout();

    private NotThisLayout() {
      super(null, null, false, false);
    }
  }

  private final byte[] b;
  private int at;

  private TargetsScan(byte[] b) {
    this.b = b;
  }

  /** The facts of {@code file}, or null when it is not in the one layout read here (see the class). */
  public static Result of(byte[] file, Scope scope) {
    try {
      return new TargetsScan(file).role(scope);
    } catch (NotThisLayout | ArrayIndexOutOfBoundsException | TufshException e) {
      return null; // a MetadataError from a field check: the full decode reports it in its words
    }
  }

  private static NotThisLayout no() {
    return NotThisLayout.INSTANCE;
  }

  private Result role(Scope scope) {
    literal("{\"signatures\":[");
    List<Signature> sigs = new ArrayList<>(2);
    if (b[at] != ']') {
      do {
        literal("{\"keyid\":");
        String keyid = ascii();
        literal(",\"sig\":");
        String sig = ascii();
        literal("}");
        for (Signature s : sigs) {
          if (s.keyid().equals(keyid)) {
            throw no(); // the decoder refuses a key's second signature
          }
        }
        sigs.add(new Signature(keyid, sig, Map.of()));
      } while (comma());
    }
    literal("],\"signed\":");
    int signedFrom = at;
    literal("{\"_type\":\"targets\",\"expires\":");
    Expiry expires = Expiry.parse(ascii());
    literal(",\"spec_version\":");
    Checks.specVersion(ascii());
    literal(",\"targets\":{");
    int targets = 0;
    if (b[at] != '}') {
      int prevFrom = -1;
      int prevTo = -1;
      do {
        int from = at + 1;
        path();
        int to = at - 1;
        if (prevFrom >= 0 && Arrays.compareUnsigned(b, prevFrom, prevTo, b, from, to) >= 0) {
          throw no(); // out of code-point order, or a path listed twice
        }
        if (!validPath(from, to) || !scope.covers(b, from, to)) {
          throw no();
        }
        prevFrom = from;
        prevTo = to;
        literal(":{\"hashes\":{");
        hashes();
        literal(",\"length\":");
        integer(16, (1L << 53) - 1);
        literal("}");
        targets++;
      } while (comma());
    }
    literal("},\"version\":");
    int version = (int) integer(10, Integer.MAX_VALUE);
    if (version < 1) {
      throw no();
    }
    literal("}");
    int signedTo = at;
    literal("}");
    if (at != b.length) {
      throw no();
    }
    return new Result(List.copyOf(sigs), signedFrom, signedTo, version, expires, targets);
  }

  /** Lowercase hex digits, by byte: one load a digit, not four compares (2.27 M digests of 64 a build). */
  private static final boolean[] LOWER_HEX = new boolean[256];

  static {
    for (char c : "0123456789abcdef".toCharArray()) {
      LOWER_HEX[c] = true;
    }
  }

  /** {@code ALG:HEX} pairs, at least one, names in code-point order; digests lowercase hex, as the decoder wants. */
  private void hashes() {
    int prevFrom = -1;
    int prevTo = -1;
    do {
      int from = at + 1;
      asciiSpan();
      int to = at - 1;
      if (prevFrom >= 0 && Arrays.compareUnsigned(b, prevFrom, prevTo, b, from, to) >= 0) {
        throw no();
      }
      prevFrom = from;
      prevTo = to;
      literal(":\"");
      int digest = at;
      while (b[at] != '"') {
        if (!LOWER_HEX[b[at++] & 0xff]) {
          throw no();
        }
      }
      if (at == digest || at - digest > MAX_STRING_BYTES) {
        throw no();
      }
      at++;
    } while (comma());
    literal("}");
  }

  /** After a list or object item: true at a comma (another follows); false when the closing byte is next. */
  private boolean comma() {
    if (b[at] == ',') {
      at++;
      return true;
    }
    return false;
  }

  private void literal(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (b[at++] != s.charAt(i)) {
        throw no();
      }
    }
  }

  /** A quoted string of printable ASCII other than quote and backslash (no escapes), as a String. */
  private String ascii() {
    int from = at + 1;
    asciiSpan();
    return new String(b, from, at - 1 - from, StandardCharsets.US_ASCII);
  }

  private void asciiSpan() {
    if (b[at++] != '"') {
      throw no();
    }
    int from = at;
    while (true) {
      byte c = b[at++];
      if (c == '"') {
        break;
      }
      if (c < 0x20 || c > 0x7e || c == '\\') {
        throw no(); // a control, DEL, an escape or non-ASCII: left to the decoder
      }
    }
    if (at - 1 - from > MAX_STRING_BYTES) {
      throw no();
    }
  }

  /** A quoted path: printable ASCII but quote and backslash, or well-formed UTF-8 of U+0080 and above. */
  private void path() {
    if (b[at++] != '"') {
      throw no();
    }
    int from = at;
    while (true) {
      int c = b[at++] & 0xFF;
      if (c == '"') {
        break;
      }
      if (c >= 0x80) {
        utf8();
      } else if (c < 0x20 || c == 0x7f || c == '\\') {
        throw no();
      }
    }
    if (at - 1 - from > MAX_STRING_BYTES) {
      throw no();
    }
  }

  /** The rest of the UTF-8 sequence whose lead byte was just read, as {@link CanonicalScan#utf8End} accepts it. */
  private void utf8() {
    int after = CanonicalScan.utf8End(b, at - 1, b.length);
    if (after < 0) {
      throw no();
    }
    at = after;
  }

  /**
   * {@link Names#checkTargetPath} on the path's bytes (controls, DEL, backslash and over-long paths
   * were refused while reading it): not empty or absolute, no drive, no empty, '.' or '..' segment.
   * A path whose first character is not ASCII and is followed by ':' is left to the decoder.
   */
  private boolean validPath(int from, int to) {
    if (from == to || b[from] == '/') {
      return false;
    }
    int first = b[from] & 0xFF;
    int second = first < 0x80 ? from + 1 : first < 0xE0 ? from + 2 : first < 0xF0 ? from + 3 : -1;
    if (second > 0 && second < to && b[second] == ':'
        && (first >= 0x80 || (first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z'))) {
      return false;
    }
    int segment = from;
    for (int i = from; i < to; i++) {
      if (b[i] == '/') {
        if (!Names.plainSegment(b, segment, i)) {
          return false;
        }
        segment = i + 1;
      }
    }
    return Names.plainSegment(b, segment, to);
  }

  /** A non-negative integer of at most {@code digits} digits and at most {@code max}, in its shortest form. */
  private long integer(int digits, long max) {
    int from = at;
    long v = 0;
    while (b[at] >= '0' && b[at] <= '9') {
      v = v * 10 + (b[at++] - '0');
      if (at - from > digits) {
        throw no();
      }
    }
    if (at == from || (b[from] == '0' && at - from > 1) || v > max) {
      throw no();
    }
    return v;
  }
}
