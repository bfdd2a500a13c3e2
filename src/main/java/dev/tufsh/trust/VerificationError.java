package dev.tufsh.trust;

import dev.tufsh.errors.TufshException;

/**
 * A repository that a client would refuse. The message is one line: the file, the role (when one
 * is known) and what is wrong, e.g. {@code 3.bin-0a.json: role 'bin-0a': signed by 0 of 1 required
 * keys (missing 9f86d081...)}.
 */
public final class VerificationError extends TufshException {
  private final String file;
  private final String role;
  private final String problem;

  public VerificationError(String file, String role, String problem) {
    super(format(file, role, problem));
    this.file = file;
    this.role = role;
    this.problem = problem;
  }

  public VerificationError(String file, String role, String problem, Throwable cause) {
    super(format(file, role, problem), cause);
    this.file = file;
    this.role = role;
    this.problem = problem;
  }

  /** The metadata file or target path at fault; null when none applies. */
  public String file() {
    return file;
  }

  /** The role at fault; null when none applies. */
  public String role() {
    return role;
  }

  /** The problem without file and role. */
  public String problem() {
    return problem;
  }

  private static String format(String file, String role, String problem) {
    StringBuilder sb = new StringBuilder();
    if (file != null) {
      sb.append(file).append(": ");
    }
    if (role != null) {
      sb.append("role '").append(role).append("': ");
    }
    return sb.append(problem).toString();
  }
}
