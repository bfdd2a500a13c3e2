package dev.tufsh.keys.file;

import dev.tufsh.crypto.Secret;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * scrypt and AES-256-GCM for key files. scrypt yields 48 bytes: the first 32 are the AES key, the
 * last 16 a check value stored in the file, which tells a wrong passphrase (check differs) apart
 * from a damaged or altered file (check matches, GCM tag fails). The check lets no one test a
 * passphrase faster than the GCM tag already does: both cost one scrypt run.
 */
final class KeyFileCipher {
  static final int SALT_BYTES = 16;
  static final int NONCE_BYTES = 12;
  static final int CHECK_BYTES = 16;
  static final int TAG_BITS = 128;
  private static final int KEY_BYTES = 32;
  /** scrypt runs in this JVM: tests count them, since saving them is the point of passphrase groups. */
  static final java.util.concurrent.atomic.AtomicLong SCRYPT_RUNS = new java.util.concurrent.atomic.AtomicLong();

  private KeyFileCipher() {}

  /** The derived AES key and check value; wipe with {@link Derived#close}. */
  static final class Derived implements AutoCloseable {
    private final byte[] bytes;

    private Derived(byte[] bytes) {
      this.bytes = bytes;
    }

    byte[] check() {
      return Arrays.copyOfRange(bytes, KEY_BYTES, KEY_BYTES + CHECK_BYTES);
    }

    boolean checks(byte[] expected) {
      return java.security.MessageDigest.isEqual(check(), expected);
    }

    SecretKeySpec aesKey() {
      return new SecretKeySpec(bytes, 0, KEY_BYTES, "AES");
    }

    @Override
    public void close() {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  static Derived derive(Secret passphrase, byte[] salt, ScryptParams params) {
    byte[] pass = utf8(passphrase);
    SCRYPT_RUNS.incrementAndGet();
    try {
      return new Derived(
          SCrypt.generate(pass, salt, params.n(), params.r(), params.p(), KEY_BYTES + CHECK_BYTES));
    } finally {
      Arrays.fill(pass, (byte) 0);
    }
  }

  static byte[] seal(Derived key, byte[] nonce, byte[] aad, byte[] plaintext) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key.aesKey(), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad);
      return c.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable: " + e.getMessage(), e);
    }
  }

  /** The plaintext, or null when the tag does not verify (altered ciphertext, nonce or aad). */
  static byte[] open(Derived key, byte[] nonce, byte[] aad, byte[] ciphertext) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key.aesKey(), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad);
      return c.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable: " + e.getMessage(), e);
    }
  }

  /** UTF-8 bytes of the passphrase without passing through an immutable String. */
  static byte[] utf8(Secret secret) {
    char[] chars = secret.chars();
    ByteBuffer bb = null;
    try {
      bb = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(chars));
      byte[] out = new byte[bb.remaining()];
      bb.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new dev.tufsh.keys.KeyStoreError("passphrase is not valid Unicode text");
    } finally {
      Arrays.fill(chars, '\0');
      if (bb != null && bb.hasArray()) {
        Arrays.fill(bb.array(), (byte) 0);
      }
    }
  }
}
