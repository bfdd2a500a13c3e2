package dev.tufsh.keys.pkcs11;

import dev.tufsh.keys.KeyStoreError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A key on a token as an RFC 7512 URI, with the attributes tufsh uses:
 * {@code pkcs11:token=tuf;object=root-1?module-path=/usr/lib/softhsm/libsofthsm2.so}, or
 * {@code slot-id=N} in place of (or beside) {@code token}. Values are percent-encoded.
 */
public record Pkcs11Uri(String modulePath, String token, Long slotId, String object) {
  public Pkcs11Uri {
    if (modulePath == null || modulePath.isBlank()) {
      throw new KeyStoreError("a PKCS#11 key needs the module path (the token's .so library)");
    }
    if ((token == null || token.isEmpty()) && slotId == null) {
      throw new KeyStoreError("a PKCS#11 key needs a token label or a slot id");
    }
    if (object == null || object.isEmpty()) {
      throw new KeyStoreError("a PKCS#11 key needs the key's label (object)");
    }
  }

  public static Pkcs11Uri parse(String uri) {
    if (!uri.startsWith("pkcs11:")) {
      throw new KeyStoreError("'" + uri + "' is not a PKCS#11 URI (pkcs11:token=...;object=...?module-path=...)");
    }
    String rest = uri.substring("pkcs11:".length());
    int q = rest.indexOf('?');
    Map<String, String> path = attributes(q < 0 ? rest : rest.substring(0, q), ";", uri);
    Map<String, String> query = q < 0 ? Map.of() : attributes(rest.substring(q + 1), "&", uri);
    Long slot = null;
    if (path.containsKey("slot-id")) {
      try {
        slot = Long.parseLong(path.get("slot-id"));
      } catch (NumberFormatException e) {
        throw new KeyStoreError("'" + uri + "': slot-id '" + path.get("slot-id") + "' is not a number");
      }
    }
    return new Pkcs11Uri(query.get("module-path"), path.get("token"), slot, path.get("object"));
  }

  public String uri() {
    StringBuilder sb = new StringBuilder("pkcs11:");
    if (token != null && !token.isEmpty()) {
      sb.append("token=").append(encode(token)).append(';');
    }
    if (slotId != null) {
      sb.append("slot-id=").append(slotId).append(';');
    }
    sb.append("object=").append(encode(object));
    sb.append("?module-path=").append(encode(modulePath));
    return sb.toString();
  }

  /** How to name the token to a person. */
  String tokenName() {
    return token != null && !token.isEmpty() ? "token '" + token + "'" : "slot " + slotId;
  }

  @Override
  public String toString() {
    return uri();
  }

  private static Map<String, String> attributes(String text, String sep, String uri) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return out;
    }
    for (String part : text.split(sep)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new KeyStoreError("'" + uri + "': attribute '" + part + "' has no value");
      }
      out.put(part.substring(0, eq).toLowerCase(Locale.ROOT), decode(part.substring(eq + 1), uri));
    }
    return out;
  }

  private static String encode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/:".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append(String.format(Locale.ROOT, "%%%02X", c));
      }
    }
    return sb.toString();
  }

  private static String decode(String s, String uri) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new KeyStoreError("'" + uri + "': a '%' escape is cut short");
        }
        try {
          out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        } catch (NumberFormatException e) {
          throw new KeyStoreError("'" + uri + "': '%" + s.substring(i + 1, i + 3) + "' is not a hex escape");
        }
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
