package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.errors.MetadataError;
import java.util.Map;

/** timestamp.json: the version, length and hashes of the current snapshot. */
public record Timestamp(
    String specVersion, int version, Expiry expires, MetaFile snapshot, Map<String, JsonNode> extras)
    implements Signed {
  public static final String SNAPSHOT_JSON = "snapshot.json";

  public Timestamp {
    Checks.specVersion(specVersion);
    Checks.version(version);
    if (snapshot == null) {
      throw MetadataError.field("meta", "must describe snapshot.json");
    }
    extras = Map.copyOf(extras);
  }

  @Override
  public RoleType type() {
    return RoleType.TIMESTAMP;
  }

  @Override
  public Timestamp withVersion(int v) {
    return new Timestamp(specVersion, v, expires, snapshot, extras);
  }

  @Override
  public Timestamp withExpires(Expiry e) {
    return new Timestamp(specVersion, version, e, snapshot, extras);
  }

  public Timestamp withSnapshot(MetaFile m) {
    return new Timestamp(specVersion, version, expires, m, extras);
  }
}
