package dev.tufsh.model;

import java.util.List;

/**
 * How a role's signatures fared against the keys its delegator names: which keys signed validly,
 * which did not, and whether the threshold is met.
 */
public record VerificationResult(
    String role, int threshold, List<String> validKeyIds, List<String> missingKeyIds) {
  public VerificationResult {
    validKeyIds = List.copyOf(validKeyIds);
    missingKeyIds = List.copyOf(missingKeyIds);
  }

  public boolean thresholdMet() {
    return validKeyIds.size() >= threshold;
  }
}
