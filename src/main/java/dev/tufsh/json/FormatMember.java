package dev.tufsh.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.errors.NewerFormatError;

/**
 * The format version of a JSON state file under {@code .tufsh/}. Format 1 is every such file as
 * tufsh has always written it, with no member for it; a writer of a later format puts {@code
 * "format": N} (and {@code "written_by": "tufsh VERSION"}) in the file's top-level object, so that
 * this tufsh refuses the file as a newer tufsh's instead of misreading or rewriting it.
 */
public final class FormatMember {
  private FormatMember() {}

  /** Throws {@link NewerFormatError} when {@code root} says it is of a format newer than {@code known}. */
  public static void check(JsonNode root, String file, String what, int known) {
    JsonNode f = root == null || !root.isObject() ? null : root.get("format");
    if (f != null && f.canConvertToLong() && f.asLong() > known) {
      JsonNode w = root.get("written_by");
      throw new NewerFormatError(file, what, f.asLong(), known, w != null && w.isTextual() ? w.asText() : null);
    }
  }
}
