package dev.tufsh.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sign and verify for every scheme over random messages: signatures verify, and flipping any one
 * bit of the message or of the signature makes verification fail (no malleable encodings). Each
 * case is a scheme and a seed, so a failure names what reproduces it.
 */
class SignatureProperties {
  /** One key per scheme for the whole class: RSA-3072 generation is too slow to do per case. */
  private static final Map<Scheme, LocalSigner> SIGNERS = new EnumMap<>(Scheme.class);

  private static synchronized LocalSigner signer(Scheme scheme) {
    return SIGNERS.computeIfAbsent(scheme, KeyPairs::generate);
  }

  static Stream<Arguments> cases() {
    return Stream.of(Scheme.values()).flatMap(s -> java.util.stream.LongStream.range(0, 60)
        .mapToObj(seed -> Arguments.of(s, seed)));
  }

  private static byte[] message(Random r, int min, int max) {
    byte[] m = new byte[min + r.nextInt(max - min + 1)];
    r.nextBytes(m);
    return m;
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("cases")
  void signatures_verify(Scheme scheme, long seed) {
    byte[] message = message(new Random(seed), 0, 2048);
    LocalSigner s = signer(scheme);
    assertTrue(s.key().verifies(message, s.sign(message)), scheme + " over " + message.length + " bytes");
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("cases")
  void a_flipped_message_bit_fails(Scheme scheme, long seed) {
    Random r = new Random(seed);
    byte[] message = message(r, 1, 512);
    int bit = r.nextInt(message.length * 8);
    LocalSigner s = signer(scheme);
    byte[] sig = s.sign(message);
    byte[] changed = message.clone();
    flip(changed, bit);
    assertFalse(s.key().verifies(changed, sig), scheme + ": bit " + bit + " of the message");
    assertTrue(s.key().verifies(message, sig), scheme + ": the original still verifies");
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("cases")
  void a_flipped_signature_bit_fails(Scheme scheme, long seed) {
    Random r = new Random(seed);
    byte[] message = message(r, 0, 512);
    LocalSigner s = signer(scheme);
    byte[] sig = s.sign(message);
    int bit = r.nextInt(sig.length * 8);
    byte[] changed = sig.clone();
    flip(changed, bit);
    assertFalse(s.key().verifies(message, changed), scheme + ": bit " + bit + " of the signature");
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("ecdsaSeeds")
  void every_bit_of_an_ecdsa_signature_matters(long seed) {
    // DER-encoded ECDSA signatures have tags and lengths a lax decoder might ignore; try every bit.
    byte[] message = message(new Random(seed), 0, 64);
    LocalSigner s = signer(Scheme.ECDSA_P256);
    byte[] sig = s.sign(message);
    for (int bit = 0; bit < sig.length * 8; bit++) {
      byte[] changed = sig.clone();
      flip(changed, bit);
      assertFalse(s.key().verifies(message, changed), "ecdsa: bit " + bit + " of " + Hex.encode(sig));
    }
  }

  static java.util.stream.LongStream ecdsaSeeds() {
    return java.util.stream.LongStream.range(0, 5);
  }

  private static void flip(byte[] bytes, int bit) {
    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
  }
}
