package dev.tufsh.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.errors.JsonError;
import java.io.IOException;

/**
 * Bounded, strict JSON reading with Jackson: duplicate member names are refused (two parsers could
 * otherwise disagree about what was signed), and nesting depth and sizes are capped so hostile
 * input cannot exhaust memory or stack.
 */
public final class Json {
  /** Deeper than any TUF document; deep enough for reasonable {@code custom} data. */
  public static final int MAX_DEPTH = 64;

  public static final long MAX_DOCUMENT_BYTES = 512L * 1024 * 1024;

  /**
   * Far above any string TUF metadata, key files or staged state hold (a PEM RSA-4096 public key is
   * under 1 KiB); a 50 MB string is refused while it is read instead of held and copied.
   */
  public static final int MAX_STRING_CHARS = 1024 * 1024;

  /**
   * Built on first use only ({@code --json} output, writing settings and key files, the Vault
   * client): building Jackson's ObjectMapper costs a one-shot command more than the trees it
   * reads, and {@link #parse} does not need it.
   */
  private static final class Mapper {
    static final ObjectMapper MAPPER = buildMapper();
  }

  /**
   * The parser factory for streaming decoders: the same limits and strictness as the mapper, but
   * member names are not interned (every target path is a member name: String.intern of 2.3 M
   * unique paths costs more than it saves). Names stay canonicalized: without that Jackson reads
   * bytes through a char reader, slower and with no byte offsets.
   */
  private static final JsonFactory STREAMING =
      JsonFactory.builder()
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .streamReadConstraints(constraints())
          .build();

  private Json() {}

  private static ObjectMapper buildMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            constraints());
    return mapper;
  }

  private static StreamReadConstraints constraints() {
    return StreamReadConstraints.builder()
        .maxNestingDepth(MAX_DEPTH)
        .maxDocumentLength(MAX_DOCUMENT_BYTES)
        .maxNumberLength(64)
        .maxStringLength(MAX_STRING_CHARS)
        .build();
  }

  /** A streaming parser over {@code bytes} with the limits and strictness of {@link #parse}. */
  public static JsonParser parser(byte[] bytes) throws IOException {
    return STREAMING.createParser(bytes);
  }

  /**
   * Parses {@code bytes}; {@code source} names the input in errors (a file name, say). The tree is
   * the one the mapper's {@code readTree} gives, built by {@link JsonTrees} over the streaming
   * parser, with the same limits, duplicate check and refusal of trailing content.
   */
  public static JsonNode parse(byte[] bytes, String source) {
    try (JsonParser p = STREAMING.createParser(bytes)) {
      if (p.nextToken() == null) {
        throw new JsonError(source + ": empty input, expected a JSON document");
      }
      JsonNode node = JsonTrees.read(p);
      JsonToken extra = p.nextToken();
      if (extra != null) {
        throw new JsonError(source + ": malformed JSON: trailing token (" + extra + ") after the document"
            + where(p.currentTokenLocation()));
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new JsonError(source + ": malformed JSON: " + describe(e), e);
    } catch (IOException e) {
      throw new JsonError(source + ": cannot read JSON: " + e.getMessage(), e);
    }
  }

  public static JsonNode parse(String text, String source) {
    return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), source);
  }

  private static String describe(JsonProcessingException e) {
    String msg = e.getOriginalMessage();
    // Jackson names its own setting ("64, from `StreamReadConstraints.getMaxNestingDepth()`"); people need the number.
    return TrimOneLine.of(msg).replaceAll(", from `[^`]*`", "") + where(e.getLocation());
  }

  private static String where(com.fasterxml.jackson.core.JsonLocation loc) {
    return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  public static JsonNodeFactory nodes() {
    return JsonNodeFactory.instance;
  }

  /** Human-readable pretty JSON (for {@code --json} output, not for signing). */
  public static String pretty(JsonNode node) {
    try {
      return Mapper.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new JsonError("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static ObjectMapper mapper() {
    return Mapper.MAPPER;
  }

  private static final class TrimOneLine {
    static String of(String s) {
      if (s == null) {
        return "";
      }
      int nl = s.indexOf('\n');
      return (nl >= 0 ? s.substring(0, nl) : s).trim();
    }
  }
}
