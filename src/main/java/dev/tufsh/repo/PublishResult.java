package dev.tufsh.repo;

import java.util.Map;

/** What a publish wrote: each changed role's new version, and how many files. */
public record PublishResult(Map<String, Integer> versions, int metadataFiles, int targetFiles) {
  public PublishResult {
    versions = Map.copyOf(versions);
  }
}
