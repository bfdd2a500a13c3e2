package dev.tufsh.repo;

import dev.tufsh.errors.ThresholdError;
import dev.tufsh.model.Metadata;
import java.util.List;
import java.util.Map;

/**
 * What publishing would do: every role that changes (delegated roles first, timestamp last), the
 * target files to copy, and the exact bytes of every new metadata file in write order; {@code
 * encoded} holds the metadata of the new files the planner encoded itself (snapshot, timestamp),
 * each what decoding its bytes in {@code newFiles} gives; {@code sha256} the SHA-256 (hex) of the
 * new files the planner hashed itself (the snapshot, for the timestamp it signed), each over the very
 * array {@code newFiles} holds.
 */
public record Plan(
    List<PlanEntry> entries, List<StagedFile> files, Map<String, byte[]> newFiles, Map<String, Metadata<?>> encoded,
    Map<String, String> sha256) {
  public Plan {
    entries = List.copyOf(entries);
    files = List.copyOf(files);
    encoded = Map.copyOf(encoded);
    sha256 = Map.copyOf(sha256);
  }

  public Plan(List<PlanEntry> entries, List<StagedFile> files, Map<String, byte[]> newFiles) {
    this(entries, files, newFiles, Map.of(), Map.of());
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Whether every role reaches its threshold. */
  public boolean complete() {
    return entries.stream().allMatch(PlanEntry::thresholdMet);
  }

  /** Throws the first unmet threshold, naming the role and the missing keys. */
  public void requireComplete() {
    for (PlanEntry e : entries) {
      if (e.signatures() < e.threshold()) {
        throw new ThresholdError(null, e.role(), e.signatures(), e.threshold(), e.missingKeyIds());
      }
      if (!e.thresholdMet()) {
        throw new dev.tufsh.errors.TufshException(
            "role 'root': the previous root's keys have not signed version " + e.newVersion() + " ("
                + e.previousRoot().signatures() + " of the " + e.previousRoot().threshold() + " needed)");
      }
    }
  }
}
