package dev.tufsh.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.jcajce.provider.digest.Blake2b;

/**
 * The hash algorithms tufsh writes into and checks in target and metadata entries, by their TUF
 * names. {@code sha256} is the one every client checks; python-tuf (hashlib) also checks
 * {@code sha512} and {@code blake2b-256}, the hash PyPI's Warehouse names files by and the only one
 * RSTUF's target payload accepts.
 */
public enum HashAlgorithm {
  SHA256("sha256", 32),
  SHA512("sha512", 64),
  BLAKE2B_256("blake2b-256", 32);

  private final String tufName;
  private final int bytes;

  HashAlgorithm(String tufName, int bytes) {
    this.tufName = tufName;
    this.bytes = bytes;
  }

  /** The name in TUF metadata ({@code "blake2b-256"}). */
  public String tufName() {
    return tufName;
  }

  /** Digest length in lowercase hex digits. */
  public int hexLength() {
    return 2 * bytes;
  }

  public MessageDigest newDigest() {
    return switch (this) {
      case SHA256 -> Crypto.digest("SHA-256");
      case SHA512 -> Crypto.digest("SHA-512");
      // BouncyCastle's class directly: no provider lookup, and BLAKE2b is not in the JDK.
      case BLAKE2B_256 -> new Blake2b.Blake2b256();
    };
  }

  public String hex(byte[] data) {
    return Hex.encode(newDigest().digest(data));
  }

  private static final HashAlgorithm[] ALL = values();

  public static Optional<HashAlgorithm> byName(String tufName) {
    for (HashAlgorithm a : ALL) { // a loop, not a stream: called for every target of a list of millions
      if (a.tufName.equals(tufName)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** The algorithm named {@code tufName}, or an error listing the known ones. */
  public static HashAlgorithm require(String tufName) {
    return byName(tufName).orElseThrow(() -> new dev.tufsh.errors.TufshException(
        "unsupported hash algorithm '" + tufName + "' (known: " + names() + ")"));
  }

  /** The known names, comma-separated, for messages. */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(HashAlgorithm::tufName).toList());
  }

  public static List<String> allNames() {
    return Arrays.stream(values()).map(HashAlgorithm::tufName).toList();
  }

  @Override
  public String toString() {
    return tufName.toLowerCase(Locale.ROOT);
  }
}
