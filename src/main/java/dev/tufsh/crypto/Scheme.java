package dev.tufsh.crypto;

import java.util.Locale;
import java.util.Optional;

/**
 * The signature schemes every TUF client understands. Others exist in securesystemslib but are not
 * accepted everywhere, so tufsh neither writes nor trusts them.
 */
public enum Scheme {
  ED25519("ed25519", "ed25519"),
  /** Key type {@code ecdsa} (spec 1.0.32); {@code ecdsa-sha2-nistp256} is accepted as a key type too. */
  ECDSA_P256("ecdsa", "ecdsa-sha2-nistp256"),
  RSA_PSS_SHA256("rsa", "rsassa-pss-sha256");

  private final String keyType;
  private final String wireName;

  Scheme(String keyType, String wireName) {
    this.keyType = keyType;
    this.wireName = wireName;
  }

  /** The key type written for new keys. */
  public String keyType() {
    return keyType;
  }

  /** The scheme name as it appears in metadata. */
  public String wireName() {
    return wireName;
  }

  /** Whether {@code type} is a key type spelling this scheme accepts. */
  public boolean acceptsKeyType(String type) {
    return keyType.equals(type) || (this == ECDSA_P256 && "ecdsa-sha2-nistp256".equals(type));
  }

  public static Optional<Scheme> fromWire(String scheme) {
    for (Scheme s : values()) {
      if (s.wireName.equals(scheme)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** Parses a user's spelling: the wire name or a short form such as {@code ecdsa} or {@code rsa}. */
  public static Optional<Scheme> fromUser(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return switch (n) {
      case "ed25519" -> Optional.of(ED25519);
      case "ecdsa", "ecdsa-p256", "p256", "ecdsa-sha2-nistp256" -> Optional.of(ECDSA_P256);
      case "rsa", "rsa-pss", "rsassa-pss-sha256" -> Optional.of(RSA_PSS_SHA256);
      default -> Optional.empty();
    };
  }
}
