package dev.tufsh.crypto;

import java.security.interfaces.RSAPublicKey;
import java.util.OptionalInt;

/** What a policy check asks of a public key: whether clients can use it, and its RSA size. */
public final class KeyFacts {
  private KeyFacts() {}

  /** Whether signatures by {@code key} can be verified at all (a known scheme, a parseable value). */
  public static boolean usable(Key key) {
    try {
      Verifiers.forKey(key);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The modulus length of an RSA key, or empty for other key types. An RSA key whose public value
   * does not parse is reported as 0 bits: no client can use it either.
   */
  public static OptionalInt rsaBits(Key key) {
    if (!"rsa".equals(key.keyType())) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(((RSAPublicKey) Verifiers.spki("RSA", key.publicValue(), "RSA public key"))
          .getModulus().bitLength());
    } catch (RuntimeException e) {
      return OptionalInt.of(0);
    }
  }
}
