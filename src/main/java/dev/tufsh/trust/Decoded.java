package dev.tufsh.trust;

import dev.tufsh.errors.MetadataError;
import dev.tufsh.errors.TufshException;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Signed;
import java.util.Locale;

/**
 * One metadata file parsed once: the record, and the canonical bytes its signatures cover. Those
 * are the file's own bytes of {@code signed} when they are canonical there (what tufsh publishes),
 * or else the canonical encoding of what was read, unknown members included, as clients compute it.
 */
record Decoded<T extends Signed>(String file, Metadata<T> metadata, byte[] signedBytes) {

  /** The canonical bytes the signatures cover. */
  @Override
  public byte[] signedBytes() {
    return signedBytes != null ? signedBytes : metadata.signedBytes();
  }

  T signed() {
    return metadata.signed();
  }

  /** As {@link #of(byte[], String, String, Class)}, taking the metadata {@code held} has for these bytes. */
  static <T extends Signed> Decoded<T> of(
      byte[] bytes, String file, String role, Class<T> type, AlreadyDecoded held) {
    Metadata<?> md = held.of(bytes);
    if (md != null && type.isInstance(md.signed())) {
      @SuppressWarnings("unchecked")
      Metadata<T> typed = (Metadata<T>) md;
      // Encoded only when a signature check asks (a previous snapshot's is never checked).
      return new Decoded<>(file, typed, typed.hasReadSignedBytes() ? typed.signedBytes() : null);
    }
    return of(bytes, file, role, type);
  }

  /** Parses {@code bytes} as metadata of {@code type}; {@code role} names the expected role in errors. */
  static <T extends Signed> Decoded<T> of(byte[] bytes, String file, String role, Class<T> type) {
    Metadata<? extends Signed> md;
    byte[] signedBytes;
    try {
      md = MetadataCodec.decodeForVerification(bytes, file);
      signedBytes = md.signedBytes();
    } catch (MetadataError e) {
      // A JSON error comes named by file alone, its problem the parser's words.
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
