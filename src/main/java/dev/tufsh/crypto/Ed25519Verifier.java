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
    if (prime && message.length <= NativeEd25519.MAX_MESSAGE && plainSignature(signature)) {
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

  /** Group order L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
  private static final byte[] L = Hex.decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010", "L");
  private static final byte[] P = Hex.decode("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "p");

  /**
   * A 64-byte signature whose S is below L and whose R encodes y below p: the only ones AWS-LC is
   * asked about (the others go to BouncyCastle alone, whatever AWS-LC would say).
   */
  static boolean plainSignature(byte[] sig) {
    if (sig.length != 64 || !below(sig, 32, L, false)) {
      return false;
    }
    return below(sig, 0, P, true);
  }

  /** {@code bytes[off..off+32)} as a little-endian number below {@code bound} (the sign bit masked). */
  private static boolean below(byte[] bytes, int off, byte[] bound, boolean maskTop) {
    for (int i = 31; i >= 0; i--) {
      int b = bytes[off + i] & 0xff;
      if (i == 31 && maskTop) {
        b &= 0x7f;
      }
      int c = bound[i] & 0xff;
      if (b != c) {
        return b < c;
      }
    }
    return false;
  }
}
