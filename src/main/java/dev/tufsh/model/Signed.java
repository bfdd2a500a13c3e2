package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The {@code signed} part of a metadata file: one of the four role types. */
public sealed interface Signed permits Root, Targets, Snapshot, Timestamp {
  String SPEC_VERSION = "1.0.31";

  RoleType type();

  String specVersion();

  int version();

  Expiry expires();

  /** Members tufsh does not know, kept and written back unchanged. */
  Map<String, JsonNode> extras();

  Signed withVersion(int version);

  Signed withExpires(Expiry expires);

  /** The next version with a new expiry: what every re-signing edit does first. */
  default Signed bumped(Expiry expires) {
    return withVersion(version() + 1).withExpires(expires);
  }
}
