package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.errors.MetadataError;
import java.util.Map;

/** An entry of snapshot or timestamp {@code meta}: version, and optionally length and hashes. */
public record MetaFile(int version, Long length, Map<String, String> hashes, Map<String, JsonNode> extras) {
  public MetaFile {
    Checks.version(version);
    if (length != null && length < 0) {
      throw MetadataError.field("length", "must not be negative");
    }
    hashes = hashes == null ? null : Map.copyOf(hashes);
    extras = Map.copyOf(extras);
  }

  public static MetaFile ofVersion(int version) {
    return new MetaFile(version, null, null, Map.of());
  }
}
