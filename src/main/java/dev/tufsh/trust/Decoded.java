package dev.tufsh.trust;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.errors.JsonError;
import dev.tufsh.errors.MetadataError;
import dev.tufsh.errors.TufshException;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Signed;
import java.util.Locale;

/**
 * One metadata file parsed once: the record, and the canonical bytes its signatures cover. The
 * canonical bytes come from the parsed {@code signed} tree, so nothing is encoded twice and the
 * signed bytes are exactly what the file holds, unknown members included.
 */
record Decoded<T extends Signed>(String file, Metadata<T> metadata, byte[] signedBytes) {

  T signed() {
    return metadata.signed();
  }

  /** Parses {@code bytes} as metadata of {@code type}; {@code role} names the expected role in errors. */
  static <T extends Signed> Decoded<T> of(byte[] bytes, String file, String role, Class<T> type) {
    JsonNode tree;
    try {
      tree = Json.parse(bytes, file);
    } catch (JsonError e) {
      throw new VerificationError(file, role, stripPrefix(e.getMessage(), file), e);
    }
    Metadata<? extends Signed> md;
    byte[] signedBytes;
    try {
      md = MetadataCodec.decode(tree, file);
      signedBytes = CanonicalJson.encode(tree.get("signed"));
    } catch (MetadataError e) {
      String problem = (e.field() == null ? "" : "field '" + e.field() + "': ") + e.problem();
      throw new VerificationError(file, role, problem, e);
    } catch (TufshException e) {
      throw new VerificationError(file, role, stripPrefix(e.getMessage(), file), e);
    }
    if (!type.isInstance(md.signed())) {
      throw new VerificationError(
          file, role,
          "expected " + type.getSimpleName().toLowerCase(Locale.ROOT) + " metadata, got "
              + md.signed().type().wire());
    }
    @SuppressWarnings("unchecked")
    Metadata<T> typed = (Metadata<T>) md;
    return new Decoded<>(file, typed, signedBytes);
  }

  private static String stripPrefix(String message, String file) {
    String p = file + ": ";
    return message.startsWith(p) ? message.substring(p.length()) : message;
  }
}
