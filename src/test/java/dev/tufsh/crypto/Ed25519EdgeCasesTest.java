package dev.tufsh.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each engine accepts, case by case: the 12 vectors of "Taming the many EdDSAs" (see
 * resources/ed25519/README.md), RFC 8032's, and cases made here (S + L, a non-canonical R, R the
 * identity signed by the key's owner). tufsh's verifier must give BouncyCastle's answer under
 * either engine; AWS-LC's own answers are asserted too, as the evidence for NativeEd25519's checks
 * (they differ from BouncyCastle's on four vectors: AWS-LC accepts small-order keys' 0 and 1 and
 * refuses mixed-order keys' 4 and 5, which cofactored BouncyCastle accepts).
 */
class Ed25519EdgeCasesTest {
  /** BouncyCastle 1.87 (cofactored; small-order keys refused) and AWS-LC (cofactorless; no key check). */
  private static final boolean[] BC = {false, false, true, true, true, true, false, false, false, false, false, false};
  private static final boolean[] AWS_LC = {true, true, true, true, false, false, false, false, false, false, false, false};

  private static NativeEd25519 engine;

  @BeforeAll
  static void load() {
    Ed25519Engine.mode("native");
    engine = Ed25519Engine.forOne();
    assertNotNull(engine, "AWS-LC did not load here: " + Ed25519Engine.describe());
  }

  @AfterAll
  static void reset() {
    Ed25519Engine.mode("auto");
  }

  record Case(String name, byte[] message, byte[] key, byte[] sig) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> speccheck() throws IOException {
    List<String> lines;
    try (InputStream in = Ed25519EdgeCasesTest.class.getResourceAsStream("/ed25519/speccheck-cases.txt")) {
      lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
    }
    assertEquals(12, Integer.parseInt(lines.get(0)));
    List<Arguments> out = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      int at = 1 + 3 * i;
      out.add(Arguments.of(i, new Case("speccheck " + i, hex(lines.get(at), "msg="), hex(lines.get(at + 1), "pbk="),
          hex(lines.get(at + 2), "sig="))));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("speccheck")
  void tufsh_accepts_what_bouncycastle_accepts_on_either_engine(int i, Case c) {
    assertEquals(BC[i], bouncyCastle(c), "BouncyCastle");
    assertEquals(AWS_LC[i], awsLc(c), "AWS-LC alone");
    assertEquals(BC[i], tufsh(c, "native"), "tufsh on AWS-LC");
    assertEquals(BC[i], tufsh(c, "bc"), "tufsh on BouncyCastle");
  }

  static Stream<Case> made() throws Exception {
    LocalSigner s = KeyPairs.ed25519FromSeed(hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    byte[] key = Hex.decode(s.key().publicValue(), "key");
    byte[] m = "made here".getBytes(StandardCharsets.US_ASCII);
    byte[] good = s.sign(m);
    byte[] plusL = good.clone();
    writeScalar(plusL, scalar(good).add(L));
    byte[] tampered = good.clone();
    tampered[5] ^= 4;
    // R's y with p added (2^255 - 19 + y fits when y < 19): a non-canonical R; here y = 1 (the identity) + p.
    byte[] nonCanonicalR = good.clone();
    System.arraycopy(hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), 0, nonCanonicalR, 0, 32);
    return Stream.of(
        new Case("a good signature", m, key, good),
        new Case("S + L", m, key, plusL),
        new Case("another message", "made there".getBytes(StandardCharsets.US_ASCII), key, good),
        new Case("a flipped bit in R", m, key, tampered),
        new Case("R non-canonical (p + 1)", m, key, nonCanonicalR),
        new Case("R the identity, S = k a (only the key's owner can make it)", m, key, identityR(s, key, m)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("made")
  void made_cases_agree(Case c) {
    boolean bc = bouncyCastle(c);
    assertEquals(bc, tufsh(c, "native"), "tufsh on AWS-LC");
    assertEquals(bc, tufsh(c, "bc"), "tufsh on BouncyCastle");
  }

  @Test
  void both_engines_accept_the_owners_identity_r() throws Exception {
    // Not a forgery (it needs the private scalar), and a small-order R: both accept it, so R needs no
    // order check before AWS-LC is asked.
    Case c = made().filter(x -> x.name().startsWith("R the identity")).findFirst().orElseThrow();
    assertTrue(bouncyCastle(c), "BouncyCastle");
    assertTrue(awsLc(c), "AWS-LC");
  }

  @ParameterizedTest(name = "RFC 8032 key {1}")
  @MethodSource("dev.tufsh.crypto.Ed25519CrossCheckTest#rfc8032")
  void rfc8032_signs_and_verifies_the_same_on_aws_lc(String secret, String pub, String message, String signature)
      throws Exception {
    byte[] m = hex(message);
    assertEquals(signature, Hex.encode(engine.signing(hex(secret)).sign(m)));
    Case c = new Case("rfc", m, hex(pub), hex(signature));
    assertTrue(awsLc(c));
    assertTrue(tufsh(c, "native"));
  }

  @Test
  void signing_hands_aws_lc_a_seed_it_then_zeroes() throws Exception {
    byte[] seed = hex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
    engine.signing(seed);
    assertArrayEquals(new byte[32], seed);
  }

  private static boolean bouncyCastle(Case c) {
    try {
      return Ed25519.verify(c.sig(), 0, c.key(), 0, c.message(), 0, c.message().length);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean awsLc(Case c) {
    try {
      return engine.verifying(c.key()).verify(c.message(), c.sig());
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean tufsh(Case c, String mode) {
    Ed25519Engine.mode(mode);
    try {
      Verifier v;
      try {
        v = new Ed25519Verifier(c.key());
      } catch (dev.tufsh.errors.SignatureError e) {
        return false; // a key BouncyCastle cannot decode verifies nothing
      }
      return v.verify(c.message(), c.sig());
    } finally {
      Ed25519Engine.mode("native");
    }
  }

  private static final BigInteger L =
      BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

  /** R = the identity, S = k a mod L, k = SHA-512(R || A || M): SB = kA holds, so R + kA = SB. */
  private static byte[] identityR(LocalSigner s, byte[] key, byte[] m) throws Exception {
    byte[] seed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
    h[0] &= (byte) 248;
    h[31] &= 127;
    h[31] |= 64;
    BigInteger a = littleEndian(h, 0, 32);
    byte[] r = hex("01" + "00".repeat(31));
    MessageDigest d = MessageDigest.getInstance("SHA-512");
    d.update(r);
    d.update(key);
    d.update(m);
    BigInteger k = littleEndian(d.digest(), 0, 64).mod(L);
    byte[] sig = new byte[64];
    System.arraycopy(r, 0, sig, 0, 32);
    writeScalar(sig, k.multiply(a).mod(L));
    return sig;
  }

  private static BigInteger littleEndian(byte[] b, int off, int len) {
    byte[] be = new byte[len];
    for (int i = 0; i < len; i++) {
      be[i] = b[off + len - 1 - i];
    }
    return new BigInteger(1, be);
  }

  private static BigInteger scalar(byte[] sig) {
    return littleEndian(sig, 32, 32);
  }

  private static void writeScalar(byte[] sig, BigInteger s) {
    byte[] be = s.toByteArray();
    java.util.Arrays.fill(sig, 32, 64, (byte) 0);
    for (int i = 0; i < be.length && i < 32; i++) {
      sig[32 + i] = be[be.length - 1 - i];
    }
  }

  private static byte[] hex(String line, String prefix) {
    assertTrue(line.startsWith(prefix), line);
    return hex(line.substring(prefix.length()));
  }

  private static byte[] hex(String s) {
    return Hex.decode(s, "vector");
  }
}
