package dev.tufsh.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The one BouncyCastle provider instance, the random source, and digests. */
public final class Crypto {
  /**
   * The provider, used explicitly and never registered globally, so JDK code keeps its own
   * providers. Made on first use: building it loads some 500 classes, which commands that only
   * hash (status, audit) should not pay for at start-up.
   */
  public static Provider bc() {
    return Holder.BC;
  }

  private static final class Holder {
    static final Provider BC = new BouncyCastleProvider();
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private Crypto() {}

  public static SecureRandom random() {
    return RANDOM;
  }

  /** One per thread: looking the algorithm up costs more than hashing a target path (2.3 M of them). */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> digest("SHA-256"));

  public static byte[] sha256(byte[] data) {
    return SHA256.get().digest(data);
  }

  public static byte[] sha512(byte[] data) {
    return digest("SHA-512").digest(data);
  }

  public static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK lacks " + algorithm, e);
    }
  }

  /** A digest by its TUF name ({@code sha256}, {@code sha512}, {@code blake2b-256}). */
  public static MessageDigest tufDigest(String name) {
    return HashAlgorithm.require(name).newDigest();
  }
}
