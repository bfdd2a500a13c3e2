package dev.tufsh.crypto;

import dev.tufsh.errors.SignatureError;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Checks Ed25519 signatures of one key with BouncyCastle, or with AWS-LC where {@link Ed25519Engine}
 * has it ready and the key and signature are ones on which both agree ({@link NativeEd25519}): the
 * accepted set is BouncyCastle's either way.
 */
final class Ed25519Verifier implements Verifier {
  private final byte[] raw;
  private final Ed25519PublicKeyParameters bc;
  /** Canonical, on the curve, in the prime-order subgroup: decided once per key. */
  private final boolean prime;
  private volatile NativeEd25519.Verifying nativeKey;
  private volatile boolean nativeRefused;

  Ed25519Verifier(byte[] raw) {
    try {
      this.bc = new Ed25519PublicKeyParameters(raw, 0);
    } catch (IllegalArgumentException e) {
      throw new SignatureError("ed25519 public key is not a valid curve point");
    }
    this.raw = raw.clone();
    this.prime = Ed25519.validatePublicKeyFull(raw, 0);
  }

  @Override
  public boolean verify(byte[] message, byte[] signature) {
    if (signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    if (prime && NativeEd25519.plainSignature(signature)) {
      NativeEd25519.Verifying v = nativeKey(Ed25519Engine.forOne());
      if (v != null && v.verify(message, signature)) {
        return true;
      }
    }
    return bc.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
  }

  private NativeEd25519.Verifying nativeKey(NativeEd25519 engine) {
    if (engine == null || nativeRefused) {
      return null;
    }
    NativeEd25519.Verifying v = nativeKey;
    if (v == null) {
      try {
        v = engine.verifying(raw);
        nativeKey = v;
      } catch (java.security.GeneralSecurityException | RuntimeException e) {
        nativeRefused = true; // BouncyCastle checks this key's signatures
        return null;
      }
    }
    return v;
  }
}
