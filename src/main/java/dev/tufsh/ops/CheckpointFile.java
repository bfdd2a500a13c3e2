package dev.tufsh.ops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.errors.MetadataError;
import dev.tufsh.errors.SignatureError;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.TargetFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A known-good state of the published repository, signed, meant to be kept off the online host:
 * the root and timestamp versions, the snapshot's version and hash, and for every targets role
 * its version, the hash of its published file and its target list.
 *
 * <p>The target lists travel in the file, so {@code diff} and {@code restore} need nothing the
 * online host keeps: after a compromise that host cannot be trusted to have kept (or not pruned)
 * the old consistent-snapshot files. The target files themselves stay in {@code targets/}: {@code
 * gc} keeps the checkpointed snapshot live for them.
 *
 * <p>Wire form 2: {@code {"signatures": [{"keyid", "sig"}], "signed": {...}, "targets": {ROLE:
 * {PATH: TARGET}}}} in canonical layout. The signature is over the canonical JSON of {@code
 * signed}, as TUF metadata is signed; {@code signed.roles.ROLE.targets_sha256} is the SHA-256 of
 * the canonical JSON of {@code targets.ROLE}. So the signed part stays small (about 200 bytes a
 * role) and the target lists (PEP 458 at 2.27 M targets: about 500 MB) are written and read one
 * role at a time, never all in memory, and never signed whole (Ed25519 needs its whole message in
 * memory twice). Form 1 kept the lists inside {@code signed}; it is still read.
 */
public record CheckpointFile(String created, String createdBy, int rootVersion, int timestampVersion,
    int snapshotVersion, String snapshotSha256, Map<String, RoleState> roles) {
  public static final String TYPE = "tufsh-checkpoint";
  public static final int FORMAT = 2;

  public CheckpointFile {
    roles = java.util.Collections.unmodifiableMap(new TreeMap<>(roles));
  }

  /** One targets role as it was published: {@code targetsSha256} is null in form 1 files. */
  public record RoleState(int version, String sha256, int targets, String targetsSha256) {}

  /**
   * Sees each role's target list once it is verified; {@code targets} decodes it when asked. Called
   * from several threads at once.
   */
  public interface RoleVisitor {
    void role(String role, RoleState state, Supplier<Map<String, TargetFile>> targets);
  }

  /** Keeps member names, depth and strings bounded as {@link Json} does, but not the document: it streams. */
  private static final JsonFactory STREAMING = streaming();

  /** One value at a time: the parser goes on after it (the whole document is not one tree). */
  private static final ObjectReader TREES = Json.mapper().reader()
      .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static JsonFactory streaming() {
    JsonFactory f = Json.mapper().getFactory().copy();
    f.setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Json.MAX_DEPTH)
        .maxDocumentLength(-1).maxNumberLength(64).maxStringLength(Json.MAX_STRING_CHARS).build());
    return f;
  }

  /**
   * Reads the checkpoint at {@code path} (named {@code file} in errors), checks it is signed by
   * {@code trusted}, and hands {@code visitor} each role's target list as it is read, after
   * checking it against the signed hash. A checkpoint signed by any other key, or altered after
   * signing, is refused: before any role is seen if its signed part is wrong, else by the
   * exception this throws once the altered list is reached (so a caller acts on the roles only
   * after this returns).
   */
  public static CheckpointFile read(Path path, String file, Key trusted, RoleVisitor visitor) {
    try (InputStream in = Files.newInputStream(path); JsonParser p = STREAMING.createParser(in)) {
      expect(p, JsonToken.START_OBJECT, file, "a JSON object");
      expectField(p, "signatures", file);
      JsonNode signatures = TREES.readTree(p);
      expectField(p, "signed", file);
      JsonNode signed = TREES.readTree(p);
      CheckpointFile cp = header(signed, signatures, file, trusted);
      int format = signed.path("format").asInt();
      if (format == 1) {
        if (Files.size(path) > dev.tufsh.repo.AtomicFiles.MAX_READ) {
          throw new WorkspaceError(file + " is a form 1 checkpoint larger than " + dev.tufsh.repo.AtomicFiles.MAX_READ
              + " bytes, more than tufsh reads whole");
        }
        expect(p, JsonToken.END_OBJECT, file, "the end of the checkpoint after 'signed'");
        signed.path("roles").fields().forEachRemaining(e ->
            visitor.role(e.getKey(), cp.roles().get(e.getKey()),
                () -> decode(e.getKey(), e.getValue().path("targets"))));
        return cp;
      }
      expectField(p, "targets", file);
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw MetadataError.field(file + ": targets", "expected an object of target lists");
      }
      Set<String> seen = new HashSet<>();
      List<Map.Entry<String, JsonNode>> batch = new ArrayList<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String role = p.currentName();
        p.nextToken();
        JsonNode list = TREES.readTree(p);
        RoleState state = cp.roles().get(role);
        if (state == null || !seen.add(role)) {
          throw MetadataError.field(file + ": targets." + role, state == null ? "a role the signed part does not list"
              : "listed twice");
        }
        batch.add(Map.entry(role, list));
        if (batch.size() == BATCH) {
          visit(batch, cp, file, visitor);
          batch.clear();
        }
      }
      visit(batch, cp, file, visitor);
      if (seen.size() != cp.roles().size()) {
        String missing = cp.roles().keySet().stream().filter(r -> !seen.contains(r)).findFirst().orElseThrow();
        throw MetadataError.field(file + ": targets." + missing, "missing: the signed part lists this role");
      }
      expect(p, JsonToken.END_OBJECT, file, "the end of the checkpoint after 'targets'");
      if (p.nextToken() != null) {
        throw MetadataError.field(file, "trailing data after the checkpoint");
      }
      return cp;
    } catch (JsonProcessingException e) {
      throw MetadataError.field(file, "malformed JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new WorkspaceError("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Lists read, then checked and visited on all cores: a few dozen in memory at a time. */
  private static final int BATCH = 32;

  private static void visit(List<Map.Entry<String, JsonNode>> batch, CheckpointFile cp, String file,
      RoleVisitor visitor) {
    batch.parallelStream().forEach(e -> {
      String role = e.getKey();
      JsonNode list = e.getValue();
      RoleState state = cp.roles().get(role);
      if (!list.isObject() || !state.targetsSha256().equals(HashAlgorithm.SHA256.hex(CanonicalJson.encode(list)))) {
        throw new SignatureError(file + ": the target list of " + role + " is not the one signed (it was changed"
            + " after it was signed)");
      }
      visitor.role(role, state, () -> decode(role, list));
    });
  }

  /** The signed part, checked against {@code trusted} and its form; form 1 roles carry their lists inline. */
  private static CheckpointFile header(JsonNode signed, JsonNode signatures, String file, Key trusted) {
    if (signed == null || !signed.isObject() || !TYPE.equals(signed.path("_type").asText())) {
      throw MetadataError.field(file + ": signed._type", "not a tufsh checkpoint (expected '" + TYPE + "')");
    }
    int format = signed.path("format").asInt();
    if (format != 1 && format != FORMAT) {
      throw MetadataError.field(file + ": signed.format", "format " + signed.path("format") + " is not 1 or " + FORMAT);
    }
    byte[] message = CanonicalJson.encode(signed);
    boolean ok = false;
    for (JsonNode s : signatures) {
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
      if (format == 1) {
        roles.put(e.getKey(), new RoleState(r.path("version").asInt(), r.path("sha256").asText(),
            r.path("targets").size(), null));
      } else {
        String th = r.path("targets_sha256").asText();
        if (th.length() != 64) {
          throw MetadataError.field(file + ": signed.roles." + e.getKey() + ".targets_sha256", "not a SHA-256");
        }
        roles.put(e.getKey(), new RoleState(r.path("version").asInt(), r.path("sha256").asText(),
            r.path("targets").asInt(), th));
      }
    });
    JsonNode snap = signed.path("snapshot");
    return new CheckpointFile(signed.path("created").asText(), signed.path("created_by").asText(),
        signed.path("root_version").asInt(), signed.path("timestamp_version").asInt(), snap.path("version").asInt(),
        snap.path("sha256").asText(), roles);
  }

  private static Map<String, TargetFile> decode(String role, JsonNode list) {
    Map<String, TargetFile> targets = new LinkedHashMap<>();
    list.fields().forEachRemaining(t ->
        targets.put(t.getKey(), MetadataCodec.decodeTarget(t.getValue(), "roles." + role + ".targets." + t.getKey())));
    return targets;
  }

  private static void expect(JsonParser p, JsonToken t, String file, String what) throws IOException {
    if (p.nextToken() != t) {
      throw MetadataError.field(file, "expected " + what + " (a checkpoint is written in canonical layout)");
    }
  }

  private static void expectField(JsonParser p, String name, String file) throws IOException {
    if (p.nextToken() != JsonToken.FIELD_NAME || !name.equals(p.currentName())) {
      throw MetadataError.field(file, "expected member '" + name + "' here (a checkpoint is written in canonical"
          + " layout)");
    }
    p.nextToken();
  }
}
