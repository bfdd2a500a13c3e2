package dev.tufsh.trust;

import dev.tufsh.model.Metadata;

/**
 * Metadata the caller already holds for exact file bytes, so the workflow does not parse them once
 * more: a publish of one bin otherwise decodes the 16,384-entry snapshot twice (the new one, and the
 * client's previous one for the rollback check), each far costlier than its signature check.
 *
 * <p>Sound only when what {@link #of} returns is what {@link
 * dev.tufsh.model.MetadataCodec#decodeForVerification} gives for those very bytes: metadata the
 * caller decoded from bytes equal to them, or encoded itself into exactly them. Everything else
 * the workflow checks (lengths and hashes over the bytes, every signature over the canonical
 * bytes, versions, expiry, rollback) is checked as for any file.
 */
@FunctionalInterface
public interface AlreadyDecoded {
  AlreadyDecoded NONE = bytes -> null;

  /** The metadata {@code bytes} decode to, or null when the caller does not hold it. */
  Metadata<?> of(byte[] bytes);

  /**
   * The hex digest of {@code bytes} under TUF hash {@code algorithm} when the caller computed it
   * over this very array (a publish hashed its new snapshot to sign the timestamp that names it),
   * or null: the length and hash check then compares that digest instead of hashing 500 KB again.
   * Sound only for a digest computed over these bytes, which nothing changed since.
   */
  default String digest(String algorithm, byte[] bytes) {
    return null;
  }
}
