package dev.tufsh.model;

import dev.tufsh.errors.MetadataError;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Field checks shared by the records' constructors; errors name the field. */
final class Checks {
  private Checks() {}

  static void version(int version) {
    if (version < 1) {
      throw MetadataError.field("version", "must be at least 1, got " + version);
    }
  }

  static void threshold(int threshold, List<String> keyids, String field) {
    if (threshold < 1) {
      throw MetadataError.field(field + ".threshold", "must be at least 1, got " + threshold);
    }
    if (threshold > keyids.size()) {
      throw MetadataError.field(
          field + ".threshold",
          "threshold " + threshold + " exceeds the " + keyids.size() + " keys listed, so it can never be met");
    }
    Set<String> seen = new HashSet<>();
    for (String id : keyids) {
      if (!seen.add(id)) {
        throw MetadataError.field(field + ".keyids", "duplicate key id " + id);
      }
    }
  }

  static void specVersion(String spec) {
    String[] parts = spec.split("\\.", -1);
    boolean numeric = parts.length >= 1 && parts.length <= 3;
    for (String p : parts) {
      numeric &= !p.isEmpty() && p.chars().allMatch(Character::isDigit);
    }
    if (!numeric) {
      throw MetadataError.field("spec_version", "'" + spec + "' is not a version number");
    }
    if (!parts[0].equals("1")) {
      throw MetadataError.field(
          "spec_version", "unsupported specification version " + spec + " (tufsh reads 1.x)");
    }
  }
}
