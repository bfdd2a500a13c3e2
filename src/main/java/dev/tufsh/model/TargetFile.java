package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.errors.MetadataError;
import java.util.Map;

/** A target's length, hashes and optional opaque {@code custom} data. */
public record TargetFile(
    long length, Map<String, String> hashes, JsonNode custom, Map<String, JsonNode> extras) {
  public TargetFile {
    if (length < 0) {
      throw MetadataError.field("length", "must not be negative");
    }
    if (hashes.isEmpty()) {
      throw MetadataError.field("hashes", "must name at least one hash");
    }
    hashes = Map.copyOf(hashes);
    extras = Map.copyOf(extras);
  }

  public TargetFile(long length, Map<String, String> hashes) {
    this(length, hashes, null, Map.of());
  }
}
