package dev.tufsh.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.errors.MetadataError;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A public key as TUF metadata carries it: {@code keytype}, {@code scheme}, {@code keyval.public},
 * and any other members, which are kept because other tools' key ids and signatures cover them
 * (legacy {@code keyid_hash_algorithms}, for one).
 */
public final class Key {
  private final String keyType;
  private final String scheme;
  private final String publicValue;
  private final Map<String, JsonNode> keyvalExtras;
  private final Map<String, JsonNode> extras;
  private final String keyId;
  private volatile Verifier verifier;

  public Key(
      String keyType,
      String scheme,
      String publicValue,
      Map<String, JsonNode> keyvalExtras,
      Map<String, JsonNode> extras) {
    this.keyType = Objects.requireNonNull(keyType, "keytype");
    this.scheme = Objects.requireNonNull(scheme, "scheme");
    this.publicValue = Objects.requireNonNull(publicValue, "public");
    this.keyvalExtras = Map.copyOf(keyvalExtras);
    this.extras = Map.copyOf(extras);
    this.keyId = Hex.encode(Crypto.sha256(CanonicalJson.encode(toJson())));
  }

  /** A new key of {@code scheme} with no extra members. */
  public static Key of(Scheme scheme, String publicValue) {
    return new Key(scheme.keyType(), scheme.wireName(), publicValue, Map.of(), Map.of());
  }

  /** Reads a key object; errors name the field below {@code path}. */
  public static Key fromJson(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw MetadataError.field(path, "expected a key object");
    }
    String keyType = text(node, "keytype", path);
    String scheme = text(node, "scheme", path);
    JsonNode keyval = node.get("keyval");
    if (keyval == null || !keyval.isObject()) {
      throw MetadataError.field(path + ".keyval", "missing or not an object");
    }
    String pub = text(keyval, "public", path + ".keyval");
    Map<String, JsonNode> kvExtras = new LinkedHashMap<>();
    keyval.fields().forEachRemaining(e -> {
      if (!e.getKey().equals("public")) {
        kvExtras.put(e.getKey(), e.getValue());
      }
    });
    Map<String, JsonNode> extras = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      String k = e.getKey();
      if (!k.equals("keytype") && !k.equals("scheme") && !k.equals("keyval")) {
        extras.put(k, e.getValue());
      }
    });
    return new Key(keyType, scheme, pub, kvExtras, extras);
  }

  private static String text(JsonNode node, String name, String path) {
    JsonNode v = node.get(name);
    if (v == null || !v.isTextual()) {
      throw MetadataError.field(path + "." + name, "missing or not a string");
    }
    return v.textValue();
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    extras.forEach(o::set);
    o.put("keytype", keyType);
    o.put("scheme", scheme);
    ObjectNode kv = o.putObject("keyval");
    keyvalExtras.forEach(kv::set);
    kv.put("public", publicValue);
    return o;
  }

  /** SHA-256 over the canonical key object, as securesystemslib and go-tuf compute it. */
  public String keyId() {
    return keyId;
  }

  public String keyType() {
    return keyType;
  }

  public String scheme() {
    return scheme;
  }

  public String publicValue() {
    return publicValue;
  }

  public Map<String, JsonNode> keyvalExtras() {
    return keyvalExtras;
  }

  public Map<String, JsonNode> extras() {
    return extras;
  }

  /** The scheme, if it is one tufsh supports and the key type matches it. */
  public java.util.Optional<Scheme> supportedScheme() {
    return Scheme.fromWire(scheme).filter(s -> s.acceptsKeyType(keyType));
  }

  /** The verifier for this key, parsed once. Throws if the key material is unusable. */
  public Verifier verifier() {
    Verifier v = verifier;
    if (v == null) {
      v = Verifiers.forKey(this);
      verifier = v;
    }
    return v;
  }

  /** Verifies without throwing: false for a bad signature or unusable key material. */
  public boolean verifies(byte[] message, byte[] signature) {
    try {
      return verifier().verify(message, signature);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A short fingerprint for people: the first 16 hex digits of the key id. */
  public String shortId() {
    return keyId.substring(0, 16);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Key k && k.keyId.equals(keyId);
  }

  @Override
  public int hashCode() {
    return keyId.hashCode();
  }

  @Override
  public String toString() {
    return scheme + " key " + shortId();
  }
}
