package dev.tufsh.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ed25519 as tufsh signs and verifies it agrees with RFC 8032, with pyca/cryptography (OpenSSL) and
 * with BouncyCastle's low-level signing byte for byte (Ed25519 is deterministic), over messages up
 * to a hashed bin's size; verification refuses a malleated S and keys of small order. Whatever
 * implementation sits behind {@link LocalSigner} and {@code Key.verifier()} must pass these.
 */
class Ed25519CrossCheckTest {
  @org.junit.jupiter.api.BeforeAll
  static void onBouncyCastle() {
    Ed25519Engine.mode("bc"); // Ed25519CrossCheckNativeTest runs the same on AWS-LC
  }

  @org.junit.jupiter.api.AfterAll
  static void anyEngine() {
    Ed25519Engine.mode("auto");
  }

  /** RFC 8032 section 7.1: secret key, public key, message, signature. */
  static Stream<Arguments> rfc8032() {
    return Stream.of(
        Arguments.of(
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        Arguments.of(
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
        Arguments.of(
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
                + "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"));
  }

  @ParameterizedTest(name = "RFC 8032 key {1}")
  @MethodSource("rfc8032")
  void rfc8032_vectors(String secret, String pub, String message, String signature) {
    check(secret, pub, Hex.decode(message, "message"), signature);
  }

  /** pyca-vectors.txt (see its README): one line per key and message. */
  static Stream<Arguments> pyca() {
    try (InputStream in = Ed25519CrossCheckTest.class.getResourceAsStream("/ed25519/pyca-vectors.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
          .filter(l -> !l.startsWith("#"))
          .map(l -> l.split(" "))
          .map(f -> Arguments.of(f[0], f[1], Integer.parseInt(f[2]), f[3]))
          .toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "pyca over {2} bytes")
  @MethodSource("pyca")
  void pyca_signatures_are_ours(String secret, String pub, int length, String signature) throws Exception {
    check(secret, pub, counterMode(Hex.decode(secret, "seed"), length), signature);
  }

  private static void check(String secret, String pub, byte[] message, String signature) {
    LocalSigner s = KeyPairs.ed25519FromSeed(Hex.decode(secret, "seed"));
    assertEquals(pub, s.key().publicValue());
    assertEquals(signature, Hex.encode(s.sign(message)));
    byte[] sig = Hex.decode(signature, "signature");
    assertTrue(s.key().verifies(message, sig));
    sig[63] ^= 0x10;
    assertFalse(s.key().verifies(message, sig));
  }

  private static byte[] counterMode(byte[] seed, int length) throws Exception {
    byte[] out = new byte[length];
    MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
    for (int at = 0, counter = 0; at < length; at += 64, counter++) {
      sha512.update(seed);
      sha512.update(new byte[] {(byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter});
      byte[] block = sha512.digest();
      System.arraycopy(block, 0, out, at, Math.min(64, length - at));
    }
    return out;
  }

  static LongStream seeds() {
    return LongStream.range(0, 40);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void signatures_equal_bouncycastles_and_refuse_malleated_s(long seed) {
    Random r = new Random(seed);
    byte[] secret = new byte[32];
    r.nextBytes(secret);
    // Around a hashed bin's size mostly, and short ones (SHA-512 block edges) too.
    byte[] message = new byte[seed % 4 == 0 ? r.nextInt(300) : 28_000 + r.nextInt(6_000)];
    r.nextBytes(message);
    LocalSigner s = KeyPairs.ed25519FromSeed(secret);
    byte[] ours = s.sign(message);
    byte[] bc = new byte[Ed25519.SIGNATURE_SIZE];
    new Ed25519PrivateKeyParameters(secret, 0).sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, bc, 0);
    assertArrayEquals(bc, ours, "over " + message.length + " bytes");
    assertTrue(s.key().verifies(message, ours));
    // S + L is the same scalar mod L: a verifier that reduces S accepts a second signature.
    assertFalse(s.key().verifies(message, withS(ours, s(ours).add(L))), "S + L");
  }

  private static final BigInteger L =
      BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

  @ParameterizedTest(name = "small-order key {0}")
  @MethodSource("smallOrderKeys")
  void small_order_keys_verify_nothing(String key) {
    // [k]A is the identity whenever A's order divides k, so without a check on A the signature
    // (R = identity, S = 0) would verify such messages: the identity key verifies every one.
    Key k = Key.of(Scheme.ED25519, key);
    byte[] message = "any".getBytes(StandardCharsets.US_ASCII);
    byte[] identityR = Hex.decode("01" + "00".repeat(31), "R");
    byte[] sig = new byte[64];
    System.arraycopy(identityR, 0, sig, 0, 32);
    assertFalse(k.verifies(message, sig));
  }

  static Stream<String> smallOrderKeys() {
    return Stream.of(
        "01" + "00".repeat(31), // the identity
        "ec" + "ff".repeat(30) + "7f", // order 2: y = -1
        "00".repeat(32), // order 4: y = 0
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"); // order 8
  }

  private static BigInteger s(byte[] sig) {
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = sig[63 - i];
    }
    return new BigInteger(1, be);
  }

  private static byte[] withS(byte[] sig, BigInteger s) {
    byte[] out = sig.clone();
    byte[] be = s.toByteArray();
    java.util.Arrays.fill(out, 32, 64, (byte) 0);
    for (int i = 0; i < be.length && i < 32; i++) {
      out[32 + i] = be[be.length - 1 - i];
    }
    return out;
  }
}
