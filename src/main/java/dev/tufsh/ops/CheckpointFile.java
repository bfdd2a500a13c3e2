package dev.tufsh.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Signer;
import dev.tufsh.errors.MetadataError;
import dev.tufsh.errors.SignatureError;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.TargetFile;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A known-good state of the published repository, signed, meant to be kept off the online host:
 * the root and timestamp versions, the snapshot's version and hash, and for every targets role
 * its version, the hash of its published file and its target list.
 *
 * <p>The target lists travel in the file, so {@code diff} and {@code restore} need nothing the
 * online host keeps: after a compromise that host cannot be trusted to have kept (or not pruned)
 * the old consistent-snapshot files. The cost is the size of the bins' target lists (PEP 458 at
 * 2.27 M targets: about the size of the bin files, a few hundred MB). The target files themselves
 * stay in {@code targets/}: {@code gc} keeps the checkpointed snapshot live for them.
 *
 * <p>Wire form: {@code {"signed": {...}, "signatures": [{"keyid", "sig"}]}}, the signature over
 * the canonical JSON of {@code signed}, as TUF metadata is signed.
 */
public record CheckpointFile(String created, String createdBy, int rootVersion, int timestampVersion,
    int snapshotVersion, String snapshotSha256, Map<String, RoleState> roles) {
  public static final String TYPE = "tufsh-checkpoint";
  public static final int FORMAT = 1;

  public CheckpointFile {
    roles = java.util.Collections.unmodifiableMap(new TreeMap<>(roles));
  }

  /** One targets role as it was published. */
  public record RoleState(int version, String sha256, Map<String, TargetFile> targets) {
    public RoleState {
      targets = java.util.Collections.unmodifiableMap(new TreeMap<>(targets));
    }
  }

  /** The signed file: canonical {@code signed} part, signed by {@code signer}. */
  public byte[] sign(Signer signer) {
    ObjectNode signed = signedJson();
    byte[] sig = signer.sign(CanonicalJson.encode(signed));
    ObjectNode doc = Json.object();
    doc.set("signed", signed);
    doc.putArray("signatures").addObject().put("keyid", signer.keyId()).put("sig", Hex.encode(sig));
    // Compact, as metadata files are: the target lists make up nearly all of it.
    return CanonicalJson.encodeFile(doc);
  }

  private ObjectNode signedJson() {
    ObjectNode s = Json.object();
    s.put("_type", TYPE);
    s.put("format", FORMAT);
    s.put("created", created);
    s.put("created_by", createdBy);
    s.put("root_version", rootVersion);
    s.put("timestamp_version", timestampVersion);
    s.putObject("snapshot").put("version", snapshotVersion).put("sha256", snapshotSha256);
    ObjectNode rs = s.putObject("roles");
    roles.forEach((name, r) -> {
      ObjectNode n = rs.putObject(name);
      n.put("version", r.version());
      n.put("sha256", r.sha256());
      ObjectNode t = n.putObject("targets");
      r.targets().forEach((path, f) -> t.set(path, MetadataCodec.encodeTarget(f)));
    });
    return s;
  }

  /**
   * Reads {@code bytes} (named {@code file} in errors) and checks it is signed by {@code trusted};
   * a checkpoint signed by any other key, or altered after signing, is refused.
   */
  public static CheckpointFile read(byte[] bytes, String file, Key trusted) {
    JsonNode doc = Json.parse(bytes, file);
    JsonNode signed = doc.get("signed");
    if (signed == null || !signed.isObject() || !TYPE.equals(signed.path("_type").asText())) {
      throw MetadataError.field(file + ": signed._type", "not a tufsh checkpoint (expected '" + TYPE + "')");
    }
    if (signed.path("format").asInt() != FORMAT) {
      throw MetadataError.field(file + ": signed.format", "format " + signed.path("format") + " is not " + FORMAT);
    }
    byte[] message = CanonicalJson.encode(signed);
    boolean ok = false;
    for (JsonNode s : doc.path("signatures")) {
      if (trusted.keyId().equals(s.path("keyid").asText())) {
        try {
          ok |= trusted.verifies(message, Hex.decode(s.path("sig").asText(), "signature"));
        } catch (RuntimeException e) {
          ok = false;
        }
      }
    }
    if (!ok) {
      throw new SignatureError(file + " is not signed by key " + trusted.shortId() + " (or was changed after it"
          + " was signed)");
    }
    Map<String, RoleState> roles = new LinkedHashMap<>();
    signed.path("roles").fields().forEachRemaining(e -> {
      JsonNode r = e.getValue();
      Map<String, TargetFile> targets = new LinkedHashMap<>();
      r.path("targets").fields().forEachRemaining(t ->
          targets.put(t.getKey(), MetadataCodec.decodeTarget(t.getValue(), "roles." + e.getKey() + ".targets."
              + t.getKey())));
      roles.put(e.getKey(), new RoleState(r.path("version").asInt(), r.path("sha256").asText(), targets));
    });
    JsonNode snap = signed.path("snapshot");
    return new CheckpointFile(signed.path("created").asText(), signed.path("created_by").asText(),
        signed.path("root_version").asInt(), signed.path("timestamp_version").asInt(), snap.path("version").asInt(),
        snap.path("sha256").asText(), roles);
  }
}
