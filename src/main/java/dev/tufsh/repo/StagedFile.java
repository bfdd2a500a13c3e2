package dev.tufsh.repo;

/** A target file to copy into {@code targets/} at publish: where it is now and its digests. */
public record StagedFile(String path, String source, long length, java.util.Map<String, String> hashes) {
  public StagedFile {
    hashes = java.util.Map.copyOf(hashes);
  }
}
