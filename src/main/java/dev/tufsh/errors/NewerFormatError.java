package dev.tufsh.errors;

/**
 * A file in {@code .tufsh/} carries a format version newer than this tufsh reads: a newer tufsh
 * wrote it. Not damage, and not to be repaired or thrown away by this one: the file is left as it
 * is and the person told to upgrade. Kept apart from {@link WorkspaceError} so that no handler of
 * damage (a torn append, a cache rebuilt) ever takes it for one.
 */
public final class NewerFormatError extends TufshException {
  /**
   * {@code what} names the format ("staged log"), {@code format} is the file's, {@code known} the
   * newest this tufsh reads, {@code writer} the tufsh version the file names as its writer (null:
   * it names none).
   */
  public NewerFormatError(String file, String what, long format, int known, String writer) {
    super(file + " was written by a newer tufsh (" + printable(writer) + ", "
        + what + " format " + format + "; this tufsh reads format " + known + "): upgrade tufsh; the file was"
        + " left as it is");
  }

  /** The writer a file names, as at most 64 plain characters: the file's bytes never reach a terminal raw. */
  private static String printable(String writer) {
    String w = writer == null ? "" : writer.strip().replaceAll("[^A-Za-z0-9 ._+:/-]", "?");
    return w.isEmpty() ? "its version not recorded" : w.length() > 64 ? w.substring(0, 64) + "..." : w;
  }
}
