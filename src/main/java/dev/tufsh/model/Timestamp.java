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

  /** This timestamp with the unknown member {@code key} set to {@code value} (kept by every client). */
  public Timestamp withExtra(String key, JsonNode value) {
    Map<String, JsonNode> more = new java.util.TreeMap<>(extras);
    more.put(key, value);
    return new Timestamp(specVersion, version, expires, snapshot, more);
  }

  public Timestamp withSnapshot(MetaFile m) {
    return new Timestamp(specVersion, version, expires, m, extras);
  }
}
