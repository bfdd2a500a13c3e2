package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.errors.JsonError;
import dev.tufsh.errors.MetadataError;
import dev.tufsh.json.ByteSink;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps JSON trees to the metadata records and back. Decoding is strict and every error names the
 * file, the role and the field; members tufsh does not know are kept in {@code extras}.
 */
public final class MetadataCodec {
  private MetadataCodec() {}

  // ---------------------------------------------------------------- decoding

  /**
   * Parses a metadata file. {@code file} names it in errors. One streaming pass builds the records;
   * a file that pass does not accept is decoded again from a tree, which reports what is wrong.
   */
  public static Metadata<? extends Signed> decode(byte[] bytes, String file) {
    return decode(bytes, file, false);
  }

  /**
   * As {@link #decode(byte[], String)}, and when the file's {@code signed} is exactly canonical its
   * bytes are kept for {@link Metadata#signedBytes}: a signature check right after hashes them
   * without encoding the role again. For metadata about to be verified and dropped; metadata held
   * long (a staging cache of 16,384 bins) is decoded without, so it does not hold its bytes twice.
   */
  public static Metadata<? extends Signed> decodeForVerification(byte[] bytes, String file) {
    return decode(bytes, file, true);
  }

  private static Metadata<? extends Signed> decode(byte[] bytes, String file, boolean keep) {
    try {
      return MetadataReader.read(bytes, keep);
    } catch (RuntimeException notFast) {
      return decodeTree(bytes, file);
    }
  }

  /** The tree path of {@link #decode(byte[], String)}: slower, and the one whose errors are reported. */
  static Metadata<? extends Signed> decodeTree(byte[] bytes, String file) {
    JsonNode root;
    try {
      root = Json.parse(bytes, file);
    } catch (JsonError e) {
      // The file is named once, by the MetadataError the caller completes, not twice.
      String m = e.getMessage();
      throw new MetadataError(file, null, null, m.startsWith(file + ": ") ? m.substring(file.length() + 2) : m);
    }
    return decode(root, file);
  }

  /** Parses a metadata file whose role type must be {@code expected}. */
  public static <T extends Signed> Metadata<T> decode(byte[] bytes, String file, Class<T> expected) {
    Metadata<? extends Signed> md = decode(bytes, file);
    if (!expected.isInstance(md.signed())) {
      throw new MetadataError(
          file, null, "signed._type",
          "expected " + expected.getSimpleName().toLowerCase(java.util.Locale.ROOT) + " metadata, got "
              + md.signed().type().wire());
    }
    @SuppressWarnings("unchecked")
    Metadata<T> typed = (Metadata<T>) md;
    return typed;
  }

  public static Metadata<? extends Signed> decode(JsonNode root, String file) {
    String role = null;
    try {
      if (!root.isObject()) {
        throw MetadataError.field(null, "a metadata file must be a JSON object");
      }
      JsonNode signedNode = root.get("signed");
      if (signedNode == null || !signedNode.isObject()) {
        throw MetadataError.field("signed", "missing or not an object");
      }
      JsonNode type = signedNode.get("_type");
      role = type != null && type.isTextual() ? type.textValue() : null;
      List<Signature> sigs = decodeSignatures(root.get("signatures"));
      // What is signed must have canonical bytes: a float anywhere (an unknown field, custom data)
      // is refused now, not when the role is later verified or re-signed.
      String bad = CanonicalJson.firstUnencodable(signedNode, "signed");
      if (bad != null) {
        throw MetadataError.field(bad, "non-integer numbers cannot be signed (canonical JSON has only integers)");
      }
      Signed signed;
      try {
        signed = decodeSigned(signedNode);
      } catch (MetadataError e) {
        throw e.under("signed");
      }
      return new Metadata<>(signed, sigs, extras(root, "signed", "signatures"));
    } catch (MetadataError e) {
      throw e.in(file, role);
    }
  }

  private static List<Signature> decodeSignatures(JsonNode node) {
    if (node == null || !node.isArray()) {
      throw MetadataError.field("signatures", "missing or not a list");
    }
    List<Signature> out = new ArrayList<>(node.size());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String f = "signatures[" + i + "]";
      JsonNode s = node.get(i);
      if (!s.isObject()) {
        throw MetadataError.field(f, "not an object");
      }
      String keyid = str(s, "keyid", f);
      String sig = str(s, "sig", f);
      if (!seen.add(keyid)) {
        throw MetadataError.field(f + ".keyid", "duplicate signature from key " + keyid);
      }
      out.add(new Signature(keyid, sig, extras(s, "keyid", "sig")));
    }
    return out;
  }

  /** Decodes the value of {@code signed}. */
  public static Signed decodeSigned(JsonNode s) {
    String type = str(s, "_type", null);
    String spec = str(s, "spec_version", null);
    int version = intField(s, "version", null);
    Expiry expires = Expiry.parse(str(s, "expires", null));
    RoleType t =
        RoleType.fromWire(type)
            .orElseThrow(() -> MetadataError.field("_type", "unknown metadata type '" + Names.printable(type) + "'"));
    return switch (t) {
      case ROOT -> decodeRoot(s, spec, version, expires);
      case TARGETS -> decodeTargets(s, spec, version, expires);
      case SNAPSHOT -> new Snapshot(
          spec, version, expires, metaFiles(obj(s, "meta", null), "meta"),
          extras(s, "_type", "spec_version", "version", "expires", "meta"));
      case TIMESTAMP -> {
        Map<String, MetaFile> meta = metaFiles(obj(s, "meta", null), "meta");
        if (meta.size() != 1 || !meta.containsKey(Timestamp.SNAPSHOT_JSON)) {
          throw MetadataError.field("meta", "timestamp must describe snapshot.json and nothing else");
        }
        yield new Timestamp(
            spec, version, expires, meta.get(Timestamp.SNAPSHOT_JSON),
            extras(s, "_type", "spec_version", "version", "expires", "meta"));
      }
    };
  }

  static Root decodeRoot(JsonNode s, String spec, int version, Expiry expires) {
    Boolean cs = null;
    JsonNode csNode = s.get("consistent_snapshot");
    if (csNode != null) {
      if (!csNode.isBoolean()) {
        throw MetadataError.field("consistent_snapshot", "must be true or false");
      }
      cs = csNode.booleanValue();
    }
    Map<String, Key> keys = keys(obj(s, "keys", null), "keys");
    Map<String, Role> roles = new HashMap<>();
    JsonNode rolesNode = obj(s, "roles", null);
    var it = rolesNode.fields();
    while (it.hasNext()) {
      var e = it.next();
      String f = "roles." + e.getKey();
      JsonNode r = e.getValue();
      if (!r.isObject()) {
        throw MetadataError.field(f, "not an object");
      }
      roles.put(e.getKey(), new Role(keyids(r, f), intField(r, "threshold", f), extras(r, "keyids", "threshold")));
    }
    return new Root(
        spec, version, expires, cs, keys, roles,
        extras(s, "_type", "spec_version", "version", "expires", "consistent_snapshot", "keys", "roles"));
  }

  private static Targets decodeTargets(JsonNode s, String spec, int version, Expiry expires) {
    JsonNode tn = obj(s, "targets", null);
    Map<String, TargetFile> targets = new HashMap<>(tn.size() * 2);
    var it = tn.fields();
    while (it.hasNext()) {
      var e = it.next();
      String path = e.getKey();
      Names.checkTargetPath(path, "targets");
      targets.put(path, decodeTarget(e.getValue(), "targets." + path));
    }
    Delegations d = null;
    JsonNode dn = s.get("delegations");
    if (dn != null) {
      d = decodeDelegations(dn);
    }
    return new Targets(
        spec, version, expires, targets, d,
        extras(s, "_type", "spec_version", "version", "expires", "targets", "delegations"));
  }

  /** One target entry ({@code length}, {@code hashes}, {@code custom}); errors name {@code f}. */
  public static TargetFile decodeTarget(JsonNode t, String f) {
    if (!t.isObject()) {
      throw MetadataError.field(f, "not an object");
    }
    long length = longField(t, "length", f);
    Map<String, String> hashes = hashes(obj(t, "hashes", f), f + ".hashes");
    JsonNode custom = t.get("custom");
    try {
      return new TargetFile(length, hashes, custom, extras(t, "length", "hashes", "custom"));
    } catch (MetadataError e) {
      throw e.under(f);
    }
  }

  static Delegations decodeDelegations(JsonNode d) {
    String f = "delegations";
    if (!d.isObject()) {
      throw MetadataError.field(f, "not an object");
    }
    Map<String, Key> keys = keys(obj(d, "keys", f), f + ".keys");
    JsonNode rolesNode = d.get("roles");
    JsonNode succinctNode = d.get("succinct_roles");
    List<DelegatedRole> roles = null;
    SuccinctRoles succinct = null;
    if (rolesNode != null) {
      if (!rolesNode.isArray()) {
        throw MetadataError.field(f + ".roles", "not a list");
      }
      roles = new ArrayList<>(rolesNode.size());
      for (int i = 0; i < rolesNode.size(); i++) {
        roles.add(decodeDelegatedRole(rolesNode.get(i), f + ".roles[" + i + "]"));
      }
    }
    if (succinctNode != null) {
      String sf = f + ".succinct_roles";
      if (!succinctNode.isObject()) {
        throw MetadataError.field(sf, "not an object");
      }
      try {
        succinct = new SuccinctRoles(
            keyids(succinctNode, sf), intField(succinctNode, "threshold", sf),
            intField(succinctNode, "bit_length", sf), str(succinctNode, "name_prefix", sf),
            extras(succinctNode, "keyids", "threshold", "bit_length", "name_prefix"));
      } catch (MetadataError e) {
        throw e.field() != null && e.field().startsWith("succinct_roles") ? e.under(f) : e;
      }
    }
    return new Delegations(keys, roles, succinct, extras(d, "keys", "roles", "succinct_roles"));
  }

  private static DelegatedRole decodeDelegatedRole(JsonNode r, String f) {
    if (!r.isObject()) {
      throw MetadataError.field(f, "not an object");
    }
    JsonNode term = r.get("terminating");
    if (term == null || !term.isBoolean()) {
      throw MetadataError.field(f + ".terminating", "missing or not true/false");
    }
    try {
      return new DelegatedRole(
          str(r, "name", f), keyids(r, f), intField(r, "threshold", f), term.booleanValue(),
          stringList(r.get("paths"), f + ".paths"),
          stringList(r.get("path_hash_prefixes"), f + ".path_hash_prefixes"),
          extras(r, "name", "keyids", "threshold", "terminating", "paths", "path_hash_prefixes"));
    } catch (MetadataError e) {
      throw e.field() != null && e.field().startsWith(f) ? e : e.under(f);
    }
  }

  private static Map<String, MetaFile> metaFiles(JsonNode m, String f) {
    Map<String, MetaFile> out = new HashMap<>(m.size() * 2);
    var it = m.fields();
    while (it.hasNext()) {
      var e = it.next();
      String ef = f + "." + e.getKey();
      JsonNode v = e.getValue();
      if (!v.isObject()) {
        throw MetadataError.field(ef, "not an object");
      }
      Long length = v.has("length") ? longField(v, "length", ef) : null;
      Map<String, String> hashes = v.has("hashes") ? hashes(obj(v, "hashes", ef), ef + ".hashes") : null;
      try {
        out.put(e.getKey(), new MetaFile(intField(v, "version", ef), length, hashes, extras(v, "version", "length", "hashes")));
      } catch (MetadataError err) {
        throw err.under(ef);
      }
    }
    return out;
  }

  /**
   * Reads a key map. A key id that is not the key's computed id is accepted, as python-tuf and
   * tuf-js accept it (legacy tools computed ids differently). The same key material under two ids
   * is accepted too, as python-tuf and go-tuf accept it: {@link Signatures#check} counts it once
   * toward a threshold.
   */
  private static Map<String, Key> keys(JsonNode k, String f) {
    Map<String, Key> out = new HashMap<>();
    var it = k.fields();
    while (it.hasNext()) {
      var e = it.next();
      out.put(e.getKey(), Key.fromJson(e.getValue(), f + "." + e.getKey()));
    }
    return out;
  }

  private static Map<String, String> hashes(JsonNode h, String f) {
    if (h.isEmpty()) {
      throw MetadataError.field(f, "must name at least one hash");
    }
    Map<String, String> out = new HashMap<>(4);
    var it = h.fields();
    while (it.hasNext()) {
      var e = it.next();
      if (!e.getValue().isTextual() || !Hex.isLowerHex(e.getValue().textValue())) {
        throw MetadataError.field(f + "." + e.getKey(), "must be a lowercase hex digest");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  private static List<String> keyids(JsonNode r, String f) {
    List<String> ids = stringList(r.get("keyids"), (f == null ? "" : f + ".") + "keyids");
    if (ids == null) {
      throw MetadataError.field((f == null ? "" : f + ".") + "keyids", "missing");
    }
    return ids;
  }

  private static List<String> stringList(JsonNode n, String f) {
    if (n == null) {
      return null;
    }
    if (!n.isArray()) {
      throw MetadataError.field(f, "not a list");
    }
    List<String> out = new ArrayList<>(n.size());
    for (JsonNode x : n) {
      if (!x.isTextual()) {
        throw MetadataError.field(f, "holds a non-string");
      }
      out.add(x.textValue());
    }
    return out;
  }

  private static JsonNode obj(JsonNode n, String name, String f) {
    JsonNode v = n.get(name);
    if (v == null || !v.isObject()) {
      throw MetadataError.field(join(f, name), "missing or not an object");
    }
    return v;
  }

  static String str(JsonNode n, String name, String f) {
    JsonNode v = n.get(name);
    if (v == null || !v.isTextual()) {
      throw MetadataError.field(join(f, name), "missing or not a string");
    }
    return v.textValue();
  }

  static int intField(JsonNode n, String name, String f) {
    JsonNode v = n.get(name);
    if (v == null || !v.isIntegralNumber()) {
      throw MetadataError.field(join(f, name), "missing or not an integer");
    }
    if (!v.canConvertToInt()) {
      throw MetadataError.field(join(f, name), "integer " + v + " is out of range (below 2^31)");
    }
    return v.intValue();
  }

  private static long longField(JsonNode n, String name, String f) {
    JsonNode v = n.get(name);
    if (v == null || !v.isIntegralNumber()) {
      throw MetadataError.field(join(f, name), "missing or not an integer");
    }
    if (!v.canConvertToLong() || Math.abs(v.longValue()) >= (1L << 53)) {
      throw MetadataError.field(join(f, name), "integer " + v + " is out of range (below 2^53)");
    }
    return v.longValue();
  }

  private static String join(String f, String name) {
    return f == null ? name : f + "." + name;
  }

  static Map<String, JsonNode> extras(JsonNode n, String... known) {
    if (n.size() <= known.length) {
      boolean allKnown = true;
      var names = n.fieldNames();
      outer:
      while (names.hasNext()) {
        String name = names.next();
        for (String k : known) {
          if (k.equals(name)) {
            continue outer;
          }
        }
        allKnown = false;
        break;
      }
      if (allKnown) {
        return Map.of();
      }
    }
    Map<String, JsonNode> out = new LinkedHashMap<>();
    var it = n.fields();
    outer:
    while (it.hasNext()) {
      var e = it.next();
      for (String k : known) {
        if (k.equals(e.getKey())) {
          continue outer;
        }
      }
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  // ---------------------------------------------------------------- encoding

  /** The canonical bytes of {@code signed}: what signatures cover (written from the records, no tree). */
  public static byte[] canonicalSigned(Signed signed) {
    return CanonicalEncoder.signed(signed);
  }

  /**
   * The bytes of a metadata file: canonical layout, valid JSON. Metadata read with canonical
   * {@code signed} bytes is not encoded again: those bytes are spliced in.
   */
  public static byte[] fileBytes(Metadata<?> md) {
    if (md.hasReadSignedBytes() && md.extras().isEmpty()) {
      return fileBytes(md.signedBytes(), md.signatures(), md.signed());
    }
    return CanonicalEncoder.file(md);
  }

  /**
   * The file bytes for {@code signed} whose canonical bytes are already known, without encoding it
   * again. When the canonical bytes hold no control character they are valid JSON as they are.
   */
  public static byte[] fileBytes(byte[] canonicalSigned, List<Signature> sigs, Signed signed) {
    for (byte b : canonicalSigned) {
      if (b >= 0 && b < 0x20) {
        return fileBytes(new Metadata<>(signed, sigs));
      }
    }
    ByteSink out = new ByteSink(canonicalSigned.length + 64 + sigs.size() * 200);
    out.writeAscii("{\"signatures\":");
    CanonicalJson.write(encodeSignatures(sigs), out, true);
    out.writeAscii(",\"signed\":");
    out.write(canonicalSigned);
    out.write('}');
    return out.toByteArray();
  }

  /**
   * The metadata of {@code signed} with {@code sigs}, keeping {@code canonical} for {@link
   * Metadata#signedBytes}: what decoding the file {@code fileBytes(canonical, sigs, signed)} gives,
   * without parsing it. {@code canonical} must be {@code canonicalSigned(signed)}, as the caller
   * just encoded it (or spliced it, byte for byte the same).
   */
  public static <T extends Signed> Metadata<T> encoded(T signed, byte[] canonical, List<Signature> sigs) {
    return new Metadata<>(signed, sigs, Map.of(), canonical);
  }

  /** {@code md} as a tree: for views; files and signatures are written by {@link #fileBytes} and {@link #canonicalSigned}. */
  public static ObjectNode encode(Metadata<?> md) {
    ObjectNode o = Json.object();
    md.extras().forEach(o::set);
    o.set("signatures", encodeSignatures(md.signatures()));
    o.set("signed", encodeSigned(md.signed()));
    return o;
  }

  private static ArrayNode encodeSignatures(List<Signature> sigs) {
    ArrayNode a = Json.nodes().arrayNode(sigs.size());
    for (Signature s : sigs) {
      ObjectNode so = a.addObject();
      s.extras().forEach(so::set);
      so.put("keyid", s.keyid());
      so.put("sig", s.sig());
    }
    return a;
  }

  /** {@code s} as a tree: for views; see {@link #encode}. */
  public static ObjectNode encodeSigned(Signed s) {
    ObjectNode o = Json.object();
    s.extras().forEach(o::set);
    o.put("_type", s.type().wire());
    o.put("spec_version", s.specVersion());
    o.put("version", s.version());
    o.put("expires", s.expires().text());
    if (s instanceof Root r) {
      if (r.consistentSnapshot() != null) {
        o.put("consistent_snapshot", r.consistentSnapshot());
      }
      o.set("keys", encodeKeys(r.keys()));
      ObjectNode roles = o.putObject("roles");
      r.roles().forEach((name, role) -> {
        ObjectNode ro = roles.putObject(name);
        role.extras().forEach(ro::set);
        ro.set("keyids", strings(role.keyids()));
        ro.put("threshold", role.threshold());
      });
    } else if (s instanceof Targets t) {
      ObjectNode targets = o.putObject("targets");
      t.targets().forEach((path, tf) -> targets.set(path, encodeTarget(tf)));
      if (t.delegations() != null) {
        o.set("delegations", encodeDelegations(t.delegations()));
      }
    } else if (s instanceof Snapshot sn) {
      o.set("meta", encodeMeta(sn.meta()));
    } else if (s instanceof Timestamp ts) {
      o.set("meta", encodeMeta(Map.of(Timestamp.SNAPSHOT_JSON, ts.snapshot())));
    }
    return o;
  }

  public static ObjectNode encodeTarget(TargetFile tf) {
    ObjectNode to = Json.object();
    tf.extras().forEach(to::set);
    to.put("length", tf.length());
    ObjectNode h = to.putObject("hashes");
    tf.hashes().forEach(h::put);
    if (tf.custom() != null) {
      to.set("custom", tf.custom());
    }
    return to;
  }

  private static ObjectNode encodeDelegations(Delegations d) {
    ObjectNode o = Json.object();
    d.extras().forEach(o::set);
    o.set("keys", encodeKeys(d.keys()));
    if (d.roles() != null) {
      ArrayNode roles = o.putArray("roles");
      for (DelegatedRole r : d.roles()) {
        ObjectNode ro = roles.addObject();
        r.extras().forEach(ro::set);
        ro.put("name", r.name());
        ro.set("keyids", strings(r.keyids()));
        ro.put("threshold", r.threshold());
        ro.put("terminating", r.terminating());
        if (r.paths() != null) {
          ro.set("paths", strings(r.paths()));
        }
        if (r.pathHashPrefixes() != null) {
          ro.set("path_hash_prefixes", strings(r.pathHashPrefixes()));
        }
      }
    } else {
      SuccinctRoles s = d.succinctRoles();
      ObjectNode so = o.putObject("succinct_roles");
      s.extras().forEach(so::set);
      so.set("keyids", strings(s.keyids()));
      so.put("threshold", s.threshold());
      so.put("bit_length", s.bitLength());
      so.put("name_prefix", s.namePrefix());
    }
    return o;
  }

  private static ObjectNode encodeMeta(Map<String, MetaFile> meta) {
    ObjectNode o = Json.object();
    meta.forEach((name, m) -> {
      ObjectNode mo = o.putObject(name);
      m.extras().forEach(mo::set);
      mo.put("version", m.version());
      if (m.length() != null) {
        mo.put("length", m.length());
      }
      if (m.hashes() != null) {
        ObjectNode h = mo.putObject("hashes");
        m.hashes().forEach(h::put);
      }
    });
    return o;
  }

  private static ObjectNode encodeKeys(Map<String, Key> keys) {
    ObjectNode o = Json.object();
    keys.forEach((id, k) -> o.set(id, k.toJson()));
    return o;
  }

  private static ArrayNode strings(List<String> list) {
    ArrayNode a = Json.nodes().arrayNode(list.size());
    list.forEach(a::add);
    return a;
  }
}
