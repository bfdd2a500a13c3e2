package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** A top-level role's key ids and threshold, as root lists them. */
public record Role(List<String> keyids, int threshold, Map<String, JsonNode> extras) {
  public Role {
    keyids = List.copyOf(keyids);
    extras = Map.copyOf(extras);
  }

  public Role(List<String> keyids, int threshold) {
    this(keyids, threshold, Map.of());
  }

  public Role withKeyids(List<String> ids) {
    return new Role(ids, threshold, extras);
  }

  public Role withThreshold(int t) {
    return new Role(keyids, t, extras);
  }
}
