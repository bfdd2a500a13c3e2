package dev.tufsh.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.errors.JsonError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * OLPC canonical JSON exactly as securesystemslib's {@code encode_canonical} writes it: members
 * sorted by code point, no whitespace, only {@code "} and {@code \} escaped in strings, integers
 * only. No Java library implements this dialect, so it lives here.
 *
 * <p>{@link #encode} gives the bytes that are signed and hashed. {@link #encodeFile} gives the same
 * layout but escapes control characters, because the canonical form of a string holding one is not
 * valid JSON and clients would refuse a file written that way.
 */
public final class CanonicalJson {
  /** Orders strings by Unicode code point (= UTF-8 byte order), not by UTF-16 unit. */
  public static final Comparator<String> CODE_POINT_ORDER = CanonicalJson::compareCodePoints;

  private CanonicalJson() {}

  /** The canonical bytes of {@code node}, as signed. */
  public static byte[] encode(JsonNode node) {
    ByteSink out = new ByteSink(256);
    write(node, out, false);
    return out.toByteArray();
  }

  /** The canonical layout of {@code node} with control characters escaped: valid JSON for files. */
  public static byte[] encodeFile(JsonNode node) {
    ByteSink out = new ByteSink(256);
    write(node, out, true);
    return out.toByteArray();
  }

  /**
   * The path of the first value under {@code node} that canonical JSON cannot represent (a
   * non-integer number), or null when it can all be encoded. Lets a reader refuse such a document
   * when it is read, not later when it is signed or verified.
   */
  public static String firstUnencodable(JsonNode node, String path) {
    // Paths are spelled only on the way to a value found: every bin of 16 384 is walked.
    return encodable(node) ? null : pathOfUnencodable(node, path);
  }

  private static boolean encodable(JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT, ARRAY -> {
        for (JsonNode child : node) {
          if (!encodable(child)) {
            return false;
          }
        }
        return true;
      }
      case NUMBER -> {
        return node.isIntegralNumber();
      }
      case STRING, BOOLEAN, NULL -> {
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private static String pathOfUnencodable(JsonNode node, String path) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        for (var it = node.fields(); it.hasNext(); ) {
          var e = it.next();
          String found = pathOfUnencodable(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
          if (found != null) {
            return found;
          }
        }
        return null;
      }
      case ARRAY -> {
        for (int i = 0; i < node.size(); i++) {
          String found = pathOfUnencodable(node.get(i), path + "[" + i + "]");
          if (found != null) {
            return found;
          }
        }
        return null;
      }
      case NUMBER -> {
        return node.isIntegralNumber() ? null : path;
      }
      case STRING, BOOLEAN, NULL -> {
        return null;
      }
      default -> {
        return path;
      }
    }
  }

  /** Appends the canonical bytes of {@code node} to {@code out}. */
  public static void write(JsonNode node, ByteSink out, boolean escapeControls) {
    switch (node.getNodeType()) {
      case OBJECT -> writeObject(node, out, escapeControls);
      case ARRAY -> {
        out.write('[');
        boolean first = true;
        for (JsonNode item : node) {
          if (!first) {
            out.write(',');
          }
          first = false;
          write(item, out, escapeControls);
        }
        out.write(']');
      }
      case STRING -> writeString(node.textValue(), out, escapeControls);
      case NUMBER -> {
        if (!node.isIntegralNumber()) {
          throw new JsonError("canonical JSON cannot represent the non-integer number " + node);
        }
        out.writeAscii(
            node.canConvertToLong()
                ? Long.toString(node.longValue())
                : node.bigIntegerValue().toString());
      }
      case BOOLEAN -> out.writeAscii(node.booleanValue() ? "true" : "false");
      case NULL -> out.writeAscii("null");
      default -> throw new JsonError("canonical JSON cannot represent a " + node.getNodeType());
    }
  }

  private static void writeObject(JsonNode node, ByteSink out, boolean escapeControls) {
    int n = node.size();
    String[] names = new String[n];
    Iterator<String> it = node.fieldNames();
    for (int i = 0; i < n; i++) {
      names[i] = it.next();
    }
    if (n > 1) {
      Arrays.sort(names, CODE_POINT_ORDER);
    }
    out.write('{');
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.write(',');
      }
      writeString(names[i], out, escapeControls);
      out.write(':');
      write(node.get(names[i]), out, escapeControls);
    }
    out.write('}');
  }

  /** Members of {@code fields} in canonical order; for writers that build output by hand. */
  public static <V> List<Map.Entry<String, V>> sortedEntries(Map<String, V> fields) {
    List<Map.Entry<String, V>> entries = new ArrayList<>(fields.entrySet());
    entries.sort(Map.Entry.comparingByKey(CODE_POINT_ORDER));
    return entries;
  }

  /** Writes a JSON string: only quote and backslash escaped (plus controls when asked). */
  public static void writeString(String s, ByteSink out, boolean escapeControls) {
    out.write('"');
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c == '"' || c == '\\') {
          out.write('\\');
          out.write(c);
        } else if (c < 0x20 && escapeControls) {
          escapeControl(c, out);
        } else {
          out.write(c);
        }
      } else if (c < 0x800) {
        out.write(0xC0 | (c >> 6));
        out.write(0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out.write(0xF0 | (cp >> 18));
        out.write(0x80 | ((cp >> 12) & 0x3F));
        out.write(0x80 | ((cp >> 6) & 0x3F));
        out.write(0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        throw new JsonError("string holds an unpaired surrogate U+" + Integer.toHexString(c));
      } else {
        out.write(0xE0 | (c >> 12));
        out.write(0x80 | ((c >> 6) & 0x3F));
        out.write(0x80 | (c & 0x3F));
      }
    }
    out.write('"');
  }

  private static void escapeControl(char c, ByteSink out) {
    switch (c) {
      case '\n' -> out.writeAscii("\\n");
      case '\t' -> out.writeAscii("\\t");
      case '\r' -> out.writeAscii("\\r");
      case '\b' -> out.writeAscii("\\b");
      case '\f' -> out.writeAscii("\\f");
      default -> {
        out.writeAscii("\\u00");
        out.write(HEX[c >> 4]);
        out.write(HEX[c & 0xF]);
      }
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return fixup(x) - fixup(y);
      }
    }
    return a.length() - b.length();
  }

  // Surrogates stand for code points above U+FFFF, so move them above U+E000..U+FFFF.
  private static int fixup(char c) {
    if (c >= 0xD800) {
      return c <= 0xDFFF ? c + 0x2000 : c - 0x800;
    }
    return c;
  }
}
