package dev.tufsh.repo;

import dev.tufsh.errors.ThresholdError;
import java.util.List;
import java.util.Map;

/**
 * What publishing would do: every role that changes (delegated roles first, timestamp last), the
 * target files to copy, and the exact bytes of every new metadata file in write order.
 */
public record Plan(List<PlanEntry> entries, List<StagedFile> files, Map<String, byte[]> newFiles) {
  public Plan {
    entries = List.copyOf(entries);
    files = List.copyOf(files);
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
