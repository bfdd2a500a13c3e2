package dev.tufsh.trust;

/** Published file names (spec 5.3.3, 5.5.1, 5.6.1, 5.7; layout in spec 6.2.1). */
final class FileNames {
  private FileNames() {}

  /** Root is always fetched by version, with or without consistent snapshots (spec 5.3.3). */
  static String root(int version) {
    return version + ".root.json";
  }

  static String timestamp() {
    return "timestamp.json";
  }

  /** {@code V.ROLE.json} with consistent snapshots, else {@code ROLE.json}. */
  static String metadata(String role, int version, boolean consistent) {
    return consistent ? version + "." + role + ".json" : role + ".json";
  }

  /** {@code dir/HASH.basename} with consistent snapshots (the hash goes on the file name), else the path. */
  static String target(String path, String hashHex, boolean consistent) {
    if (!consistent) {
      return path;
    }
    int slash = path.lastIndexOf('/');
    return path.substring(0, slash + 1) + hashHex + "." + path.substring(slash + 1);
  }
}
