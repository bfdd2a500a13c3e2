package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** One entry of {@code signatures}: key id and lowercase hex signature. */
public record Signature(String keyid, String sig, Map<String, JsonNode> extras) {
  public Signature {
    extras = Map.copyOf(extras);
  }

  public Signature(String keyid, String sig) {
    this(keyid, sig, Map.of());
  }
}
