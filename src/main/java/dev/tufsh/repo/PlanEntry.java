package dev.tufsh.repo;

import dev.tufsh.model.Expiry;
import java.util.List;

/**
 * One role in a plan: its version now and after publishing, its new expiry, and how its
 * signatures stand. For root, {@code previousRoot} tells how the previous root's keys stand too
 * (clients check both thresholds).
 */
public record PlanEntry(
    String role,
    int oldVersion,
    int newVersion,
    Expiry expires,
    int signatures,
    int threshold,
    List<String> missingKeyIds,
    String previousRoot,
    boolean previousRootMet) {
  public PlanEntry {
    missingKeyIds = List.copyOf(missingKeyIds);
  }

  public boolean thresholdMet() {
    return signatures >= threshold && (previousRoot == null || previousRootMet);
  }
}
