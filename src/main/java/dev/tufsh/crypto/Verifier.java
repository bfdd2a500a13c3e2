package dev.tufsh.crypto;

/** Checks signatures of one public key. Implementations are thread-safe. */
public interface Verifier {
  /** True when {@code signature} (TUF's encoding for the scheme) signs {@code message}. */
  boolean verify(byte[] message, byte[] signature);
}
