package dev.tufsh.model;

import dev.tufsh.errors.MetadataError;
import java.nio.charset.StandardCharsets;

/**
 * Rules for role names and target paths. Both become file names and URL parts, so anything that
 * could leave a folder ({@code ..}, absolute paths, NUL, backslashes) is refused outright.
 */
public final class Names {
  public static final int MAX_ROLE_NAME_BYTES = 255;
  public static final int MAX_TARGET_PATH_BYTES = 4096;

  private Names() {}

  /**
   * Checks a delegated role name read from metadata. Non-ASCII names are accepted (other tools
   * write them); anything that could escape the metadata folder is not.
   */
  public static void checkRoleName(String name, String field) {
    if (RoleType.isTopLevel(name)) {
      throw MetadataError.field(field, "'" + name + "' is a top-level role and cannot be delegated");
    }
    checkFileSafe(name, field);
  }

  /** Checks that a role name can become a file name without leaving the metadata folder. */
  public static void checkFileSafe(String name, String field) {
    if (name.isEmpty()) {
      throw MetadataError.field(field, "role name is empty");
    }
    if (name.equals(".") || name.equals("..")) {
      throw MetadataError.field(field, "role name '" + name + "' could escape the metadata folder");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\') {
        throw MetadataError.field(
            field, "role name '" + printable(name) + "' contains a path separator");
      }
      if (c < 0x20 || c == 0x7f) {
        throw MetadataError.field(
            field, "role name '" + printable(name) + "' contains a control character");
      }
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_ROLE_NAME_BYTES) {
      throw MetadataError.field(field, "role name is longer than " + MAX_ROLE_NAME_BYTES + " bytes");
    }
  }

  /** The stricter rule for names tufsh creates: {@code [A-Za-z0-9._-]}, URL-safe everywhere. */
  public static void checkNewRoleName(String name, String field) {
    checkRoleName(name, field);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
              || c == '_' || c == '-';
      if (!ok) {
        throw MetadataError.field(
            field, "role name '" + printable(name) + "' may only use letters, digits, '.', '_' and '-'");
      }
    }
  }

  /** Checks a target path: relative, '/'-separated, no '..' or '.' segment, no NUL or backslash. */
  /**
   * The characters of {@code path} that a client puts into a URL unescaped and a static server then
   * reads differently: {@code %} (an escape), {@code ?} (a query) and {@code #} (a fragment).
   * python-tuf and go-tuf do not percent-encode target paths, so such a target 404s there. Empty
   * when the path is URL-safe.
   */
  public static String urlUnsafeCharacters(String path) {
    if (path.indexOf('%') < 0 && path.indexOf('?') < 0 && path.indexOf('#') < 0) {
      return ""; // the common case, without a builder: every target of a list of millions is asked
    }
    StringBuilder found = new StringBuilder();
    for (char c : new char[] {'%', '?', '#'}) {
      if (path.indexOf(c) >= 0) {
        found.append(c);
      }
    }
    return found.toString();
  }

  public static void checkTargetPath(String path, String field) {
    if (path.isEmpty()) {
      throw MetadataError.field(field, "target path is empty");
    }
    if (path.startsWith("/")) {
      throw MetadataError.field(field, "target path '" + printable(path) + "' is absolute");
    }
    // A char is at most 3 bytes of UTF-8 (a pair of them 4): a short path is not counted.
    if (path.length() * 3L > MAX_TARGET_PATH_BYTES && utf8Length(path) > MAX_TARGET_PATH_BYTES) {
      throw MetadataError.field(field, "target path is longer than " + MAX_TARGET_PATH_BYTES + " bytes");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\') {
        throw MetadataError.field(field, "target path '" + printable(path) + "' contains a backslash");
      }
      if (c < 0x20 || c == 0x7f) {
        throw MetadataError.field(
            field, "target path '" + printable(path) + "' contains a control character");
      }
    }
    if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
      throw MetadataError.field(field, "target path '" + printable(path) + "' is a drive path");
    }
    // Segment by segment without splitting: every path of every bin passes here when it is read.
    for (int from = 0; from <= path.length(); ) {
      int slash = path.indexOf('/', from);
      int to = slash < 0 ? path.length() : slash;
      int n = to - from;
      if ((n == 1 || n == 2) && path.charAt(from) == '.' && (n == 1 || path.charAt(from + 1) == '.')) {
        throw MetadataError.field(
            field, "target path '" + printable(path) + "' has a '" + path.substring(from, to) + "' segment");
      }
      if (n == 0) {
        throw MetadataError.field(field, "target path '" + printable(path) + "' has an empty segment");
      }
      from = to + 1;
    }
  }

  /**
   * Whether the UTF-8 bytes {@code b[from, to)} are a path {@link #checkTargetPath} takes, decided
   * on the bytes for a path of printable ASCII (every byte 0x20..0x7E); false for any other path,
   * which the caller then decodes and checks as a string (same rule, same message). A list of
   * millions of paths and the bins holding them are checked here without a string a path.
   */
  public static boolean plainTargetPath(byte[] b, int from, int to) {
    int n = to - from;
    if (n == 0 || n > MAX_TARGET_PATH_BYTES || b[from] == '/') {
      return false;
    }
    if (n >= 2 && b[from + 1] == ':' && ((b[from] | 0x20) >= 'a' && (b[from] | 0x20) <= 'z')) {
      return false; // a drive path
    }
    int segment = from; // where the current segment starts
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c < 0x20 || c > 0x7E || c == '\\') {
        return false; // not printable ASCII (a byte >= 0x80 is negative), or a backslash
      }
      if (c == '/') {
        if (!plainSegment(b, segment, i)) {
          return false;
        }
        segment = i + 1;
      }
    }
    return plainSegment(b, segment, to);
  }

  /** Whether {@code b[from, to)} is a segment {@link #checkTargetPath} takes: not empty, '.' or '..'. */
  public static boolean plainSegment(byte[] b, int from, int to) {
    int n = to - from;
    return n > 2 || n == 2 && (b[from] != '.' || b[from + 1] != '.') || n == 1 && b[from] != '.';
  }

  /** The length of {@code s} in UTF-8 as {@code getBytes(UTF_8)} gives it (an unpaired surrogate: one '?'). */
  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** {@code s} with control characters shown as {@code \\uXXXX}, safe for a one-line message. */
  public static String printable(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length() && sb.length() < 200; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
