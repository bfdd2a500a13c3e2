package dev.tufsh.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Sign and verify for every scheme over random messages: signatures verify, and flipping any one
 * bit of the message or of the signature makes verification fail (no malleable encodings).
 */
class SignatureProperties {
  /** One key per scheme for the whole class: RSA-3072 generation is too slow to do per try. */
  private static final Map<Scheme, LocalSigner> SIGNERS = new EnumMap<>(Scheme.class);

  private static synchronized LocalSigner signer(Scheme scheme) {
    return SIGNERS.computeIfAbsent(scheme, KeyPairs::generate);
  }

  @Property(tries = 300)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void signatures_verify(@ForAll Scheme scheme, @ForAll @Size(max = 2048) byte[] message) {
    Statistics.collect(scheme);
    LocalSigner s = signer(scheme);
    assertTrue(s.key().verifies(message, s.sign(message)), scheme + " over " + message.length + " bytes");
    Statistics.coverage(c -> {
      for (Scheme each : Scheme.values()) {
        c.check(each).count(n -> n >= 30);
      }
    });
  }

  @Property(tries = 200)
  void a_flipped_message_bit_fails(
      @ForAll Scheme scheme, @ForAll @Size(min = 1, max = 512) byte[] message, @ForAll @IntRange(min = 0) int bit) {
    LocalSigner s = signer(scheme);
    byte[] sig = s.sign(message);
    byte[] changed = message.clone();
    flip(changed, bit);
    assertFalse(s.key().verifies(changed, sig), scheme + ": bit " + (bit % (message.length * 8)) + " of the message");
    assertTrue(s.key().verifies(message, sig), scheme + ": the original still verifies");
  }

  @Property(tries = 200)
  void a_flipped_signature_bit_fails(
      @ForAll Scheme scheme, @ForAll @Size(max = 512) byte[] message, @ForAll @IntRange(min = 0) int bit) {
    LocalSigner s = signer(scheme);
    byte[] sig = s.sign(message);
    byte[] changed = sig.clone();
    flip(changed, bit);
    assertFalse(s.key().verifies(message, changed), scheme + ": bit " + (bit % (sig.length * 8)) + " of the signature");
  }

  @Property(tries = 5)
  void every_bit_of_an_ecdsa_signature_matters(@ForAll @Size(max = 64) byte[] message) {
    // DER-encoded ECDSA signatures have tags and lengths a lax decoder might ignore; try every bit.
    Scheme scheme = Scheme.ECDSA_P256;
    LocalSigner s = signer(scheme);
    byte[] sig = s.sign(message);
    for (int bit = 0; bit < sig.length * 8; bit++) {
      byte[] changed = sig.clone();
      flip(changed, bit);
      assertFalse(s.key().verifies(message, changed), scheme + ": bit " + bit + " of " + Hex.encode(sig));
    }
  }

  private static void flip(byte[] bytes, int bit) {
    int i = bit % (bytes.length * 8);
    bytes[i / 8] ^= (byte) (1 << (i % 8));
  }
}
