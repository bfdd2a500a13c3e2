package dev.tufsh.crypto;

/** Test support: forces an Ed25519 engine in this JVM, for tests outside the crypto package. */
public final class Ed25519Engines {
  private Ed25519Engines() {}

  /** {@code native} (loaded and waited for: AWS-LC from the next operation on), {@code bc} or {@code auto}. */
  public static void force(String mode) {
    Ed25519Engine.mode(mode);
    if (mode.equals("native")) {
      Ed25519Engine.forOne();
    }
  }

  /** Whether AWS-LC answers now. */
  public static boolean nativeInUse() {
    return Ed25519Engine.forOne() != null;
  }
}
