package dev.tufsh.repo;

import dev.tufsh.model.Expiry;
import java.util.List;

/**
 * One role in a plan: its version now and after publishing, its new expiry, and how its
 * signatures stand. For root, {@code previousRoot} tells how the previous root's keys stand too
 * (clients check both thresholds); null for every other role.
 */
public record PlanEntry(
    String role,
    int oldVersion,
    int newVersion,
    Expiry expires,
    int signatures,
    int threshold,
    List<String> missingKeyIds,
    PreviousRoot previousRoot) {
  /** How the published root's keys have signed a new root: signatures of theirs against their threshold. */
  public record PreviousRoot(int signatures, int threshold) {
    public boolean met() {
      return signatures >= threshold;
    }
  }

  public PlanEntry {
    missingKeyIds = List.copyOf(missingKeyIds);
  }

  public boolean thresholdMet() {
    return signatures >= threshold && (previousRoot == null || previousRoot.met());
  }
}
