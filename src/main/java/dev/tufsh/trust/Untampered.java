package dev.tufsh.trust;

import dev.tufsh.model.Root;

/**
 * The two ways a publisher knows that a published role's file is still what was signed, before it
 * signs a new version carrying what the file holds: the file is byte for byte the one an earlier
 * verification vouched for ({@link KnownRole}: version, length, SHA-256), or, failing that, it
 * carries a threshold of signatures of the keys clients trust for it, as a client checks it (the
 * threshold itself is {@link dev.tufsh.model.Signatures#check}; the root chain is here). Pure: the
 * repository reads the files.
 */
public final class Untampered {
  private Untampered() {}

  /**
   * Whether a file of {@code length} whose SHA-256 (hex) is {@code sha256} is the file of {@code
   * version} that {@code known} vouches for (null: none).
   */
  public static boolean isKnown(long length, String sha256, int version, KnownRole known) {
    return known != null && known.version() == version && known.sha256() != null && length == known.length()
        && sha256.equals(known.sha256());
  }

  /**
   * The newest root, reached from {@code trustedRoot} (self-signed) through every {@code N.root.json}
   * in {@code meta}, each signed by a threshold of the previous root's keys and of its own (spec
   * 5.3.4); its expiry is not judged (an expired root is still renewed). Throws {@link
   * VerificationError} naming the first file that fails.
   */
  public static Root rootChain(byte[] trustedRoot, MetadataSource meta) {
    return RootChain.chain(trustedRoot, meta).current().signed();
  }
}
