package dev.tufsh.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.errors.JsonError;
import java.io.IOException;
import java.util.Arrays;

/**
 * A strict streaming reader over one JSON document in memory: Jackson's parser with the limits of
 * {@link Json} (duplicate members refused, depth, document, number and string sizes capped), for
 * decoders that build their own records instead of a tree.
 *
 * <p>It can also tell whether one value's bytes are already its canonical form ({@link
 * #trackCanonical}): every token read inside the value is compared, byte by byte and with the
 * separators canonical JSON puts between them, against the input at a cursor, and members must come
 * in strictly increasing code-point order. The value's slice of the input is then exactly the
 * canonical encoding of what was read, so it can be signed or verified without encoding again; any
 * difference (whitespace, order, an escape such as {@code \u0041} or {@code \/}, a number spelled
 * otherwise) and there is no slice.
 *
 * <p>Refuses (with a {@link JsonError} or Jackson's exception) what a decoder should hand to the
 * tree path for its words: non-integer numbers are refused outright by {@link #readTree}.
 */
public final class JsonReader implements AutoCloseable {
  private final byte[] in;
  private final JsonParser p;
  /** Where the tracked value starts in {@link #in}; -1 when none is tracked. */
  private int start = -1;
  private int pos;
  private boolean canonical;
  private int depth;
  private final int[] count = new int[Json.MAX_DEPTH + 2];
  private final String[] lastName = new String[Json.MAX_DEPTH + 2];
  private boolean afterName;
  private byte[] slice;
  private final ByteSink scratch = new ByteSink(256);

  private JsonReader(byte[] in, JsonParser p) {
    this.in = in;
    this.p = p;
  }

  public static JsonReader of(byte[] bytes) {
    try {
      return new JsonReader(bytes, Json.parser(bytes));
    } catch (IOException e) {
      throw new JsonError("cannot read JSON: " + e.getMessage(), e);
    }
  }

  /** The next token, or null at the end of input. */
  public JsonToken next() throws IOException {
    JsonToken t = p.nextToken();
    if (start >= 0) {
      track(t);
    }
    return t;
  }

  /** The next token, which must be {@code want}. */
  public void expect(JsonToken want) throws IOException {
    JsonToken t = next();
    if (t != want) {
      throw new JsonError("expected " + want + ", got " + t);
    }
  }

  public String name() throws IOException {
    return p.currentName();
  }

  public String text() throws IOException {
    return p.getText();
  }

  public JsonParser.NumberType numberType() throws IOException {
    return p.getNumberType();
  }

  public long longValue() throws IOException {
    return p.getLongValue();
  }

  public int intValue() throws IOException {
    return p.getIntValue();
  }

  /**
   * Starts comparing at the current token, a {@code START_OBJECT} or {@code START_ARRAY} just read:
   * the value it opens is checked against its canonical form until it closes.
   */
  public void trackCanonical() throws IOException {
    JsonToken t = p.currentToken();
    long at = p.currentTokenLocation().getByteOffset();
    if ((t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) || at < 0 || at >= in.length) {
      throw new IllegalStateException("trackCanonical needs the start of an object or array, at " + t);
    }
    start = (int) at;
    pos = start;
    canonical = true;
    slice = null;
    depth = 0;
    count[0] = 0;
    afterName = false;
    track(t);
  }

  /** The tracked value's bytes when they were exactly canonical, or null; once the value has closed. */
  public byte[] canonicalSlice() {
    if (start >= 0) {
      throw new IllegalStateException("the tracked value has not closed");
    }
    return slice;
  }

  /**
   * The value starting at the next token as a tree (for rare members: unknown ones, {@code
   * custom}); refuses non-integer numbers, which canonical JSON cannot hold.
   */
  public JsonNode readTree() throws IOException {
    return tree(next());
  }

  /** The value whose first token {@code t} was just read, as a tree. */
  public JsonNode tree(JsonToken t) throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (t == null) {
      throw new JsonError("unexpected end of input");
    }
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        while (next() == JsonToken.FIELD_NAME) {
          String n = p.currentName();
          o.set(n, readTree());
        }
        return o;
      }
      case START_ARRAY -> {
        var a = f.arrayNode();
        for (JsonToken x = next(); x != JsonToken.END_ARRAY; x = next()) {
          a.add(tree(x));
        }
        return a;
      }
      case VALUE_STRING -> {
        return f.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        // The node types Jackson's own tree reader makes, so trees compare equal.
        return switch (p.getNumberType()) {
          case INT -> f.numberNode(p.getIntValue());
          case LONG -> f.numberNode(p.getLongValue());
          default -> f.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return f.booleanNode(t == JsonToken.VALUE_TRUE);
      }
      case VALUE_NULL -> {
        return f.nullNode();
      }
      default -> throw new JsonError("unexpected " + t);
    }
  }

  /** Refuses anything after the document's one value, as the tree reader does. */
  public void expectEnd() throws IOException {
    JsonToken t = p.nextToken();
    if (t != null) {
      throw new JsonError("trailing token " + t + " after the document");
    }
  }

  @Override
  public void close() throws IOException {
    p.close();
  }

  // ---------------------------------------------------------------- canonical tracking

  private void track(JsonToken t) throws IOException {
    if (t == null) {
      start = -1; // the parser would have refused a cut-short document already
      slice = null;
      return;
    }
    if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
      expectByte(t == JsonToken.END_OBJECT ? '}' : ']');
      depth--;
      if (depth == 0) {
        slice = canonical ? Arrays.copyOfRange(in, start, pos) : null;
        start = -1;
      }
      return;
    }
    if (afterName) {
      afterName = false; // a member's value: the name and ':' went before it
    } else if (depth > 0 && count[depth]++ > 0) {
      expectByte(',');
    }
    switch (t) {
      case FIELD_NAME -> {
        String n = p.currentName();
        String last = lastName[depth];
        if (last != null && CanonicalJson.compareCodePoints(last, n) >= 0) {
          canonical = false;
        }
        lastName[depth] = n;
        expectString(n);
        expectByte(':');
        afterName = true;
      }
      case START_OBJECT, START_ARRAY -> {
        expectByte(t == JsonToken.START_OBJECT ? '{' : '[');
        depth++;
        count[depth] = 0;
        lastName[depth] = null;
      }
      case VALUE_STRING -> expectString(p.getText());
      case VALUE_NUMBER_INT -> expectAscii(
          p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? p.getBigIntegerValue().toString()
              : Long.toString(p.getLongValue()));
      case VALUE_TRUE -> expectAscii("true");
      case VALUE_FALSE -> expectAscii("false");
      case VALUE_NULL -> expectAscii("null");
      default -> canonical = false; // a non-integer number has no canonical form
    }
  }

  private void expectByte(int b) {
    if (canonical) {
      if (pos < in.length && in[pos] == (byte) b) {
        pos++;
      } else {
        canonical = false;
      }
    }
  }

  private void expectAscii(String s) {
    for (int i = 0; canonical && i < s.length(); i++) {
      expectByte(s.charAt(i));
    }
  }

  /** The string as {@link CanonicalJson#writeString} writes it (no control escaped), compared in place. */
  private void expectString(String s) {
    if (!canonical) {
      return;
    }
    // ASCII without quote or backslash (hashes, key ids, most paths) is its own canonical form:
    // compared in place. Anything else, or any difference, goes through the writer below.
    int len = s.length();
    if (pos + len + 2 <= in.length && in[pos] == '"' && in[pos + len + 1] == '"') {
      int i = 0;
      while (i < len) {
        char c = s.charAt(i);
        if (c >= 0x80 || c == '"' || c == '\\' || in[pos + 1 + i] != (byte) c) {
          break;
        }
        i++;
      }
      if (i == len) {
        pos += len + 2;
        return;
      }
    }
    scratch.clear();
    try {
      CanonicalJson.writeString(s, scratch, false);
    } catch (JsonError unpairedSurrogate) {
      canonical = false; // no canonical form: encoding it refuses, in its own words
      return;
    }
    if (scratch.regionMatches(in, pos)) {
      pos += scratch.size();
    } else {
      canonical = false;
    }
  }
}
