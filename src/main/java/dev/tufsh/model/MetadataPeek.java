package dev.tufsh.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.json.CanonicalScan;
import dev.tufsh.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a plan needs of a targets-type role's file (version, expiry, who signed it, how many
 * targets it lists), read by one streaming pass that skips over the targets instead of decoding
 * and validating each: a 16 384-bin daily plan would otherwise decode every bin once more before
 * publish's client verification decodes and checks each in full. Not a validation: a file this
 * cannot read yields nothing, and the caller decodes it (and reports what is wrong).
 */
public record MetadataPeek(int version, Expiry expires, List<String> keyids, int targets) {
  public MetadataPeek {
    keyids = List.copyOf(keyids);
  }

  /** The peek of {@code bytes}, or empty when they are not a well-formed targets-type file. */
  public static Optional<MetadataPeek> of(byte[] bytes) {
    MetadataPeek fast = scanned(bytes);
    return fast != null ? Optional.of(fast) : parsed(bytes);
  }

  /**
   * The peek of canonical bytes (what tufsh stages and publishes), found by {@link CanonicalScan},
   * which counts the targets without making a string of each name as the parser does (the plan
   * of the daily job peeks 16 384 bins); null for anything else, which {@link #parsed} reads.
   */
  private static MetadataPeek scanned(byte[] b) {
    Map<String, CanonicalScan.Span> m = CanonicalScan.members(b, 0, b.length, "signed");
    if (m == null) {
      return null;
    }
    CanonicalScan.Span type = m.get("signed._type");
    CanonicalScan.Span version = m.get("signed.version");
    CanonicalScan.Span expires = m.get("signed.expires");
    CanonicalScan.Span targets = m.get("signed.targets");
    CanonicalScan.Span sigs = m.get("signatures");
    if (type == null || version == null || expires == null || targets == null || targets.members() < 0 || sigs == null
        || !text(b, type).equals("\"targets\"")) {
      return null;
    }
    String v = text(b, version);
    String e = text(b, expires);
    if (v.isEmpty() || v.length() > 9 || v.charAt(0) < '1' || v.charAt(0) > '9' || e.length() < 2
        || e.charAt(0) != '"' || e.indexOf('\\') >= 0) {
      return null;
    }
    try {
      Expiry at = Expiry.parse(e.substring(1, e.length() - 1));
      JsonNode a = Json.parse(java.util.Arrays.copyOfRange(b, sigs.from(), sigs.to()), "signatures");
      if (!a.isArray()) {
        return null;
      }
      List<String> keyids = new ArrayList<>();
      for (JsonNode s : a) {
        if (!s.isObject()) {
          return null;
        }
        JsonNode id = s.get("keyid");
        if (id != null && id.isTextual()) {
          keyids.add(id.textValue());
        }
      }
      return new MetadataPeek(Integer.parseInt(v), at, keyids, targets.members());
    } catch (RuntimeException bad) {
      return null;
    }
  }

  private static String text(byte[] b, CanonicalScan.Span s) {
    return new String(b, s.from(), s.to() - s.from(), StandardCharsets.UTF_8);
  }

  private static Optional<MetadataPeek> parsed(byte[] bytes) {
    try (JsonParser p = Json.parser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      int version = -1;
      String expires = null;
      String type = null;
      int targets = -1;
      List<String> keyids = new ArrayList<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String top = p.currentName();
        JsonToken t = p.nextToken();
        if (top.equals("signatures") && t == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              if (p.nextToken() == JsonToken.VALUE_STRING && f.equals("keyid")) {
                keyids.add(p.getText());
              } else {
                p.skipChildren();
              }
            }
          }
        } else if (top.equals("signed") && t == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
              case "version" -> version = v == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
              case "expires" -> expires = v == JsonToken.VALUE_STRING ? p.getText() : null;
              case "_type" -> type = v == JsonToken.VALUE_STRING ? p.getText() : null;
              case "targets" -> {
                if (v != JsonToken.START_OBJECT) {
                  return Optional.empty();
                }
                targets = 0;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                  p.nextToken();
                  p.skipChildren();
                  targets++;
                }
              }
              default -> p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
      if (!"targets".equals(type) || version < 1 || expires == null || targets < 0) {
        return Optional.empty();
      }
      return Optional.of(new MetadataPeek(version, Expiry.parse(expires), keyids, targets));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
