package dev.tufsh.errors;

import java.util.List;

/** A role whose valid signatures do not reach its threshold. */
public final class ThresholdError extends TufshException {
  private final String role;
  private final int have;
  private final int need;

  public ThresholdError(String file, String role, int have, int need, List<String> missingKeyIds) {
    super(
        (file == null ? "" : file + ": ")
            + "role '"
            + role
            + "' has "
            + have
            + " of "
            + need
            + " required signatures"
            + (missingKeyIds.isEmpty() ? "" : "; missing signatures from keys " + shortIds(missingKeyIds)));
    this.role = role;
    this.have = have;
    this.need = need;
  }

  private static String shortIds(List<String> ids) {
    StringBuilder sb = new StringBuilder();
    for (String id : ids) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(id.length() > 16 ? id.substring(0, 16) : id);
    }
    return sb.toString();
  }

  public String role() {
    return role;
  }

  public int have() {
    return have;
  }

  public int need() {
    return need;
  }
}
