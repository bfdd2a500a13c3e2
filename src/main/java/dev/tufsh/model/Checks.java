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
    // A loop, not split and a stream a part: this runs for every role decoded or scanned (a build's
    // 16,384 bins, several times each), 175 ms of a full-size build's CPU.
    int parts = 1;
    boolean numeric = !spec.isEmpty();
    for (int i = 0; i < spec.length() && numeric; i++) {
      char c = spec.charAt(i);
      if (c == '.') {
        numeric = i > 0 && spec.charAt(i - 1) != '.' && i < spec.length() - 1 && ++parts <= 3;
      } else {
        numeric = Character.isDigit(c);
      }
    }
    if (!numeric) {
      throw MetadataError.field("spec_version", "'" + spec + "' is not a version number");
    }
    if (!spec.equals("1") && !spec.startsWith("1.")) { // its first part is not 1
      throw MetadataError.field(
          "spec_version", "unsupported specification version " + spec + " (tufsh reads 1.x)");
    }
  }
}
