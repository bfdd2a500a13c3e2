package dev.tufsh.model;

import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.JsonError;
import dev.tufsh.json.Json;
import dev.tufsh.json.JsonReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fast path of {@link MetadataCodec#decode(byte[], String)}: one streaming pass from bytes to
 * records, with no tree of the target entries or snapshot meta (the bulk of a bin or snapshot);
 * the few small members (keys, roles, delegations, unknown members, {@code custom}) become trees
 * and go through the tree decoder's own field readers. When asked, and {@code signed} is already
 * canonical, its bytes are kept, so verifying the signatures needs no encoding.
 *
 * <p>It accepts only what the tree path accepts, and builds the same records: anything it is not
 * sure of (a number out of range, a non-integer number anywhere, a missing or mistyped field, any
 * JSON error) makes it throw, and the caller decodes the file with the tree path, which reports the
 * problem in its exact words or, for what only this path is strict about, accepts it.
 */
final class MetadataReader {
  private static final String[] SIGNED_KNOWN = {"_type", "spec_version", "version", "expires"};

  private MetadataReader() {}

  /** Thrown for anything the tree path must decide. */
  static final class NotFast extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFast(String why) {
      super(why, null, false, false);
    }
  }

  /**
   * The metadata in {@code bytes}; with {@code keep}, also {@code signed}'s own bytes when they are
   * canonical (checked while reading, at some cost, and held as long as the metadata is).
   */
  static Metadata<? extends Signed> read(byte[] bytes, boolean keep) {
    try (JsonReader r = JsonReader.of(bytes)) {
      r.expect(JsonToken.START_OBJECT);
      List<Signature> sigs = null;
      Signed signed = null;
      byte[] canonical = null;
      Map<String, JsonNode> extras = Map.of();
      while (r.next() == JsonToken.FIELD_NAME) {
        String name = r.name();
        switch (name) {
          case "signatures" -> sigs = signatures(r);
          case "signed" -> {
            r.expect(JsonToken.START_OBJECT);
            if (keep) {
              r.trackCanonical();
            }
            signed = signed(r);
            canonical = keep ? r.canonicalSlice() : null;
          }
          default -> {
            if (extras.isEmpty()) {
              extras = new LinkedHashMap<>();
            }
            extras.put(name, r.readTree());
          }
        }
      }
      r.expectEnd();
      if (sigs == null || signed == null) {
        throw new NotFast("signed or signatures missing");
      }
      return new Metadata<>(signed, sigs, extras, canonical);
    } catch (IOException e) {
      throw new JsonError("malformed JSON", e);
    }
  }

  private static List<Signature> signatures(JsonReader r) throws IOException {
    r.expect(JsonToken.START_ARRAY);
    List<Signature> out = new ArrayList<>(2);
    Set<String> seen = new HashSet<>(4);
    for (JsonToken t = r.next(); t != JsonToken.END_ARRAY; t = r.next()) {
      if (t != JsonToken.START_OBJECT) {
        throw new NotFast("signature not an object");
      }
      String keyid = null;
      String sig = null;
      Map<String, JsonNode> extras = Map.of();
      while (r.next() == JsonToken.FIELD_NAME) {
        String f = r.name();
        if (f.equals("keyid")) {
          keyid = string(r);
        } else if (f.equals("sig")) {
          sig = string(r);
        } else {
          extras = put(extras, f, r.readTree());
        }
      }
      if (keyid == null || sig == null || !seen.add(keyid)) {
        throw new NotFast("signature keyid or sig");
      }
      out.add(new Signature(keyid, sig, extras));
    }
    return out;
  }

  /**
   * The members of {@code signed}: {@code targets} and {@code meta} are streamed into records once
   * {@code _type} has said which they are (canonical order puts {@code _type} first); everything
   * else is collected into a small tree for the tree decoder's readers.
   */
  private static Signed signed(JsonReader r) throws IOException {
    ObjectNode rest = Json.object();
    RoleType type = null;
    Map<String, TargetFile> targets = null;
    Map<String, MetaFile> meta = null;
    while (r.next() == JsonToken.FIELD_NAME) {
      String f = r.name();
      if (type == RoleType.TARGETS && f.equals("targets")) {
        targets = targets(r);
      } else if ((type == RoleType.SNAPSHOT || type == RoleType.TIMESTAMP) && f.equals("meta")) {
        meta = metaFiles(r);
      } else {
        JsonNode v = r.readTree();
        rest.set(f, v);
        if (f.equals("_type") && v.isTextual()) {
          type = RoleType.fromWire(v.textValue()).orElse(null);
        }
      }
    }
    if (type == null) {
      throw new NotFast("no known _type");
    }
    String spec = MetadataCodec.str(rest, "spec_version", null);
    int version = MetadataCodec.intField(rest, "version", null);
    Expiry expires = Expiry.parse(MetadataCodec.str(rest, "expires", null));
    return switch (type) {
      case ROOT -> MetadataCodec.decodeRoot(rest, spec, version, expires);
      case TARGETS -> {
        if (targets == null) {
          throw new NotFast("targets missing or before _type");
        }
        JsonNode dn = rest.get("delegations");
        yield new Targets(spec, version, expires, targets, dn == null ? null : MetadataCodec.decodeDelegations(dn),
            MetadataCodec.extras(rest, "_type", "spec_version", "version", "expires", "delegations"));
      }
      case SNAPSHOT -> new Snapshot(spec, version, expires, need(meta), MetadataCodec.extras(rest, SIGNED_KNOWN));
      case TIMESTAMP -> {
        Map<String, MetaFile> m = need(meta);
        if (m.size() != 1 || !m.containsKey(Timestamp.SNAPSHOT_JSON)) {
          throw new NotFast("timestamp meta");
        }
        yield new Timestamp(spec, version, expires, m.get(Timestamp.SNAPSHOT_JSON),
            MetadataCodec.extras(rest, SIGNED_KNOWN));
      }
    };
  }

  private static <V> V need(V v) {
    if (v == null) {
      throw new NotFast("meta missing or before _type");
    }
    return v;
  }

  private static Map<String, TargetFile> targets(JsonReader r) throws IOException {
    r.expect(JsonToken.START_OBJECT);
    Map<String, TargetFile> out = new HashMap<>(256);
    while (r.next() == JsonToken.FIELD_NAME) {
      String path = r.name(); // checked by the Targets record, as on the tree path
      out.put(path, target(r));
    }
    return out;
  }

  private static TargetFile target(JsonReader r) throws IOException {
    r.expect(JsonToken.START_OBJECT);
    long length = -1;
    Map<String, String> hashes = null;
    JsonNode custom = null;
    Map<String, JsonNode> extras = Map.of();
    while (r.next() == JsonToken.FIELD_NAME) {
      String f = r.name();
      switch (f) {
        case "length" -> length = safeLong(r);
        case "hashes" -> hashes = hashes(r);
        case "custom" -> custom = r.readTree();
        default -> extras = put(extras, f, r.readTree());
      }
    }
    if (length < 0 || hashes == null) {
      throw new NotFast("target length or hashes");
    }
    return new TargetFile(length, hashes, custom, extras);
  }

  private static Map<String, MetaFile> metaFiles(JsonReader r) throws IOException {
    r.expect(JsonToken.START_OBJECT);
    Map<String, MetaFile> out = new HashMap<>(256);
    while (r.next() == JsonToken.FIELD_NAME) {
      String name = r.name();
      r.expect(JsonToken.START_OBJECT);
      int version = 0;
      Long length = null;
      Map<String, String> hashes = null;
      Map<String, JsonNode> extras = Map.of();
      while (r.next() == JsonToken.FIELD_NAME) {
        String f = r.name();
        switch (f) {
          case "version" -> {
            if (r.next() != JsonToken.VALUE_NUMBER_INT || r.numberType() != NumberType.INT) {
              throw new NotFast("meta version");
            }
            version = r.intValue();
          }
          case "length" -> length = safeLong(r);
          case "hashes" -> hashes = hashes(r);
          default -> extras = put(extras, f, r.readTree());
        }
      }
      if (version < 1) {
        throw new NotFast("meta version");
      }
      out.put(name, new MetaFile(version, length, hashes, extras));
    }
    return out;
  }

  /** A non-negative integer below 2^53, as the tree path's length reader and record accept. */
  private static long safeLong(JsonReader r) throws IOException {
    if (r.next() != JsonToken.VALUE_NUMBER_INT || r.numberType() == NumberType.BIG_INTEGER) {
      throw new NotFast("not a long");
    }
    long v = r.longValue();
    if (v < 0 || v >= (1L << 53)) {
      throw new NotFast("length out of range");
    }
    return v;
  }

  private static Map<String, String> hashes(JsonReader r) throws IOException {
    r.expect(JsonToken.START_OBJECT);
    Map<String, String> out = new HashMap<>(4);
    while (r.next() == JsonToken.FIELD_NAME) {
      String alg = r.name();
      String digest = string(r);
      if (!Hex.isLowerHex(digest)) {
        throw new NotFast("digest not lowercase hex");
      }
      out.put(alg, digest);
    }
    if (out.isEmpty()) {
      throw new NotFast("no hashes");
    }
    return out;
  }

  private static String string(JsonReader r) throws IOException {
    if (r.next() != JsonToken.VALUE_STRING) {
      throw new NotFast("not a string");
    }
    return r.text();
  }

  private static Map<String, JsonNode> put(Map<String, JsonNode> m, String k, JsonNode v) {
    Map<String, JsonNode> out = m.isEmpty() ? new LinkedHashMap<>() : m;
    out.put(k, v);
    return out;
  }
}
