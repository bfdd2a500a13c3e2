package dev.tufsh.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A signature found valid once is taken again only over the very same bytes and key: whatever a
 * fresh check refuses after it (another message, another key, a bad signature, a large message) is
 * refused, as {@link Key#verifies} refuses it.
 */
class RepeatedSignaturesTest {
  static final LocalSigner KEY = KeyPairs.generate(Scheme.ED25519);
  static final LocalSigner OTHER = KeyPairs.generate(Scheme.ED25519);
  static final byte[] EMPTY_BIN = bytes("{\"_type\":\"targets\",\"targets\":{},\"version\":2}");
  static final byte[] SIG = KEY.sign(EMPTY_BIN);

  /** After the valid (KEY, SIG, EMPTY_BIN) was checked: another check, and what a fresh check answers. */
  record Case(String name, Key key, byte[] message, byte[] signature, boolean valid) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    byte[] changed = EMPTY_BIN.clone();
    changed[changed.length - 2] = '3'; // same length, version 3
    byte[] large = new byte[RepeatedSignatures.MAX_MESSAGE + 1];
    byte[] bad = SIG.clone();
    bad[0] ^= 1;
    return Stream.of(
        new Case("the same bytes, key and signature", KEY.key(), EMPTY_BIN, SIG, true),
        new Case("the same signature over other bytes", KEY.key(), changed, SIG, false),
        new Case("the same signature and bytes, another key", OTHER.key(), EMPTY_BIN, SIG, false),
        new Case("a damaged signature", KEY.key(), EMPTY_BIN, bad, false),
        new Case("a large message, validly signed", KEY.key(), large, KEY.sign(large), true),
        new Case("a large message, signed over other bytes", KEY.key(), large, SIG, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answers_as_a_fresh_check(Case c) {
    RepeatedSignatures memo = new RepeatedSignatures();
    assertEquals(true, memo.verifies(KEY.key(), EMPTY_BIN, SIG));
    for (int i = 0; i < 2; i++) {
      assertEquals(c.valid, c.key.verifies(c.message, c.signature), "fresh check");
      assertEquals(c.valid, memo.verifies(c.key, c.message.clone(), c.signature), "check " + i);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
