package dev.tufsh.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * AWS-LC's Ed25519 through the Amazon Corretto Crypto Provider, asked by instance and never
 * installed as a JVM-wide provider. The only class that names the provider: the JVM loads it (and
 * its native library) only when {@link Ed25519Engine} decides a line is bulk.
 *
 * <p>Where the library goes: ACCP's Loader (2.5.0) makes {@code java.io.tmpdir/
 * amazonCorrettoCryptoProviderNativeLibraries.<16 hex digits from /dev/urandom>} with mode 0700,
 * creates the library in it with {@code CREATE_NEW} (O_EXCL: no link is followed, an existing file
 * fails), mode 0700, loads it and deletes both. Another user can neither predict the folder nor
 * enter it, so the default is kept. If that fails (a noexec tmp) it tries {@code System.loadLibrary}
 * on {@code java.library.path} (root-owned system folders by default), and failing that is
 * unavailable: BouncyCastle signs.
 *
 * <p>What is accepted: AWS-LC verifies cofactorless and accepts small-order and mixed-order public
 * keys; BouncyCastle 1.87 verifies cofactored and refuses small-order keys (see Ed25519EdgeCasesTest:
 * each accepts signatures the other refuses). So a key goes to AWS-LC only when BouncyCastle's full
 * validation passes (canonical, on the curve, in the prime-order subgroup); a signature only when S
 * is below the group order and R canonical; and a signature AWS-LC refuses is
 * asked of BouncyCastle. For such a key, SB = R + kA exactly (AWS-LC's check) implies 8SB = 8R + 8kA
 * (BouncyCastle's), so what AWS-LC accepts BouncyCastle accepts, and the accepted set is
 * BouncyCastle's.
 */
final class NativeEd25519 {
  private static final String PROPERTY = "com.amazon.corretto.crypto.provider.";
  private static final byte[] PKCS8_PREFIX = Hex.decode("302e020100300506032b657004220420", "prefix");
  /** RFC 8032 section 7.1, TEST 1: the known answer this process checks before trusting the engine. */
  private static final byte[] KAT_SEED =
      Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "kat");
  private static final byte[] KAT_PUBLIC =
      Hex.decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "kat");
  private static final byte[] KAT_SIGNATURE = Hex.decode(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
          + "d25bf5f0595bbe24655141438e7a100b", "kat");
  /**
   * The longest message AWS-LC is asked about: ACCP 2.5.0 buffers an Ed25519 message in an array it
   * caps at 1 MiB and throws IllegalArgumentException past it (a 16,384-bin snapshot with hashes is
   * larger). Longer ones go to BouncyCastle.
   */
  static final int MAX_MESSAGE = 1 << 20;
  /** Kept so the level set stays set: the JDK holds loggers weakly. Set only when loading. */
  private static Logger quiet;

  private final Provider provider;
  private final KeyFactory keys;
  private final ThreadLocal<Signature> signatures;

  private NativeEd25519(Provider provider, KeyFactory keys) {
    this.provider = provider;
    this.keys = keys;
    this.signatures = ThreadLocal.withInitial(this::newSignature);
  }

  /** Loads the provider and checks RFC 8032's known answer; throws when anything is not right. */
  static NativeEd25519 load() throws GeneralSecurityException {
    // Its own Ed25519 key factory reads PKCS#8 and X.509 in AWS-LC: the JDK's costs ~0.1 s to load.
    if (System.getProperty(PROPERTY + "registerEdKeyFactory") == null) {
      System.setProperty(PROPERTY + "registerEdKeyFactory", "true");
    }
    quiet = Logger.getLogger("AmazonCorrettoCryptoProvider");
    quiet.setLevel(Level.OFF); // a failed self test logs SEVERE on stderr; the outcome is in describe()
    AmazonCorrettoCryptoProvider p = AmazonCorrettoCryptoProvider.INSTANCE;
    Throwable error = p.getLoadingError();
    if (error != null) {
      throw new GeneralSecurityException(reason(error), error);
    }
    p.assertHealthy();
    NativeEd25519 n = new NativeEd25519(p, KeyFactory.getInstance("Ed25519", p));
    byte[] seed = KAT_SEED.clone();
    Signing s = n.signing(seed);
    byte[] made = s.sign(new byte[0]);
    Verifying v = n.verifying(KAT_PUBLIC);
    byte[] wrong = KAT_SIGNATURE.clone();
    wrong[63] ^= 1;
    if (!Arrays.equals(made, KAT_SIGNATURE) || !v.verify(new byte[0], KAT_SIGNATURE)
        || v.verify(new byte[0], wrong) || v.verify(new byte[] {0}, KAT_SIGNATURE)) {
      throw new GeneralSecurityException("RFC 8032 known answer failed");
    }
    return n;
  }

  String describe() {
    return "aws-lc (" + provider.getName() + " " + provider.getVersionStr() + ")";
  }

  static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = String.valueOf(root.getMessage());
    int nl = m.indexOf('\n');
    return root.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
  }

  private Signature newSignature() {
    try {
      return Signature.getInstance("Ed25519", provider);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A private key inside AWS-LC from its 32-byte seed, which this zeroes, as it does the PKCS#8
   * copy it builds (the JDK's key spec keeps a copy of its own that no API clears).
   */
  Signing signing(byte[] seed) throws GeneralSecurityException {
    byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + seed.length);
    System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, seed.length);
    try {
      return new Signing(keys.generatePrivate(new PKCS8EncodedKeySpec(der)));
    } finally {
      Arrays.fill(der, (byte) 0);
      Arrays.fill(seed, (byte) 0);
    }
  }

  Verifying verifying(byte[] raw) throws GeneralSecurityException {
    return new Verifying(keys.generatePublic(new X509EncodedKeySpec(Verifiers.ed25519Spki(raw))));
  }

  final class Signing {
    private final PrivateKey key;

    private Signing(PrivateKey key) {
      this.key = key;
    }

    byte[] sign(byte[] message) throws GeneralSecurityException {
      Signature s = signatures.get();
      s.initSign(key);
      s.update(message);
      return s.sign();
    }
  }

  final class Verifying {
    private final PublicKey key;

    private Verifying(PublicKey key) {
      this.key = key;
    }

    /** AWS-LC's answer alone: callers apply Ed25519Verifier.plainSignature and the key rule first. */
    boolean verify(byte[] message, byte[] signature) {
      try {
        Signature s = signatures.get();
        s.initVerify(key);
        s.update(message);
        return s.verify(signature);
      } catch (GeneralSecurityException | RuntimeException e) {
        signatures.remove(); // never reuse an object left mid-update; the caller asks BouncyCastle
        return false;
      }
    }
  }
}
