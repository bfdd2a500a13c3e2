package dev.tufsh.repo;

/** File names as clients fetch them: {@code V.ROLE.json} under consistent snapshots. */
public final class FileNames {
  public static final String TIMESTAMP = "timestamp.json";
  public static final String ROOT = "root.json";

  private FileNames() {}

  /** The versioned metadata file name of {@code role} at {@code version}. */
  public static String metadata(String role, int version) {
    return version + "." + role + ".json";
  }

  public static String root(int version) {
    return version + ".root.json";
  }

  /** The consistent-snapshot name of a target: {@code dir/HASH.basename}. */
  public static String target(String path, String hashHex) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? hashHex + "." + path : path.substring(0, slash + 1) + hashHex + "." + path.substring(slash + 1);
  }
}
