package dev.tufsh.bench;

import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Verifier;
import dev.tufsh.model.MetadataCodec;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;

/**
 * Signatures per second for each scheme tufsh writes, on one thread and on every core, signing the
 * canonical bytes of a 100-target bin (what re-signing bins does). Signing goes through
 * {@link LocalSigner}, verifying through {@code Key.verifier()}. Ed25519 is compared with the JDK's
 * own Ed25519 provider (one reused {@link Signature} per thread, its best case); the other schemes
 * with tufsh's Ed25519, and every parallel figure with the same operation on one thread.
 */
final class CryptoSuite implements Suite {
  @Override
  public String name() {
    return "crypto";
  }

  @Override
  public String description() {
    return "sign/s and verify/s per scheme over a 100-target bin's canonical bytes, 1 thread and all cores";
  }

  @Override
  public List<Measurement> prepare(Context ctx) throws Exception {
    byte[] message = MetadataCodec.canonicalSigned(Fixtures.bin(100, 1));
    List<Measurement> out = new ArrayList<>(jdkEd25519(message));
    for (Scheme scheme : Scheme.values()) {
      out.addAll(scheme(scheme, message, ctx.cores()));
    }
    return out;
  }

  private static String label(Scheme scheme) {
    return scheme.wireName() + (scheme == Scheme.RSA_PSS_SHA256 ? " " + KeyPairs.RSA_BITS : "");
  }

  private static final String JDK_SIGN = "ed25519 JDK provider: sign";
  private static final String JDK_VERIFY = "ed25519 JDK provider: verify";

  private static List<Measurement> jdkEd25519(byte[] message) throws Exception {
    KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Signature check = Signature.getInstance("Ed25519");
    check.initSign(kp.getPrivate());
    check.update(message);
    byte[] sig = check.sign();
    return List.of(
        Measurement.perThread(JDK_SIGN, () -> {
          Signature s = Signature.getInstance("Ed25519");
          s.initSign(kp.getPrivate());
          return () -> {
            s.update(message);
            return s.sign();
          };
        }),
        Measurement.perThread(JDK_VERIFY, () -> {
          Signature s = Signature.getInstance("Ed25519");
          s.initVerify(kp.getPublic());
          return () -> {
            s.update(message);
            return s.verify(sig);
          };
        }));
  }

  private static List<Measurement> scheme(Scheme scheme, byte[] message, int cores) {
    LocalSigner signer = KeyPairs.generate(scheme);
    Verifier verifier = signer.key().verifier();
    byte[] sig = signer.sign(message);
    if (!verifier.verify(message, sig)) {
      throw new IllegalStateException(scheme.wireName() + " signature does not verify");
    }
    String l = label(scheme);
    boolean ed = scheme == Scheme.ED25519;
    String sign1 = l + ": sign";
    String verify1 = l + ": verify";
    List<Measurement> out = new ArrayList<>();
    out.add(Measurement.of(sign1, () -> signer.sign(message))
        .baseline(ed ? JDK_SIGN : "ed25519: sign"));
    out.add(Measurement.of(verify1, () -> verifier.verify(message, sig))
        .baseline(ed ? JDK_VERIFY : "ed25519: verify"));
    if (cores > 1) {
      out.add(Measurement.of(sign1, () -> signer.sign(message)).threads(cores).baseline(sign1));
      out.add(Measurement.of(verify1, () -> verifier.verify(message, sig)).threads(cores).baseline(verify1));
    }
    return out;
  }
}
