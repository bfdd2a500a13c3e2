package dev.tufsh.errors;

/**
 * Metadata that is malformed or violates the TUF specification. Names the file, the role and the
 * field so that an operator can find the problem without a stack trace.
 */
public final class MetadataError extends TufshException {
  private final String file;
  private final String role;
  private final String field;
  private final String problem;

  public MetadataError(String file, String role, String field, String problem) {
    super(format(file, role, field, problem));
    this.file = file;
    this.role = role;
    this.field = field;
    this.problem = problem;
  }

  /** An error found where the file and role are not known yet; the decoder adds them. */
  public static MetadataError field(String field, String problem) {
    return new MetadataError(null, null, field, problem);
  }

  /** The same error with the file and role filled in where they were unknown. */
  public MetadataError in(String file, String role) {
    return new MetadataError(
        this.file != null ? this.file : file,
        this.role != null ? this.role : role,
        field,
        problem);
  }

  /** The same error with {@code prefix} put before the field path. */
  public MetadataError under(String prefix) {
    String f = field == null ? prefix : prefix + "." + field;
    return new MetadataError(file, role, f, problem);
  }

  public String file() {
    return file;
  }

  public String role() {
    return role;
  }

  public String field() {
    return field;
  }

  public String problem() {
    return problem;
  }

  private static String format(String file, String role, String field, String problem) {
    StringBuilder sb = new StringBuilder();
    if (file != null) {
      sb.append(file).append(": ");
    }
    if (role != null) {
      sb.append("role '").append(role).append("': ");
    }
    if (field != null) {
      sb.append("field '").append(field).append("': ");
    }
    return sb.append(problem).toString();
  }
}
