package dev.tufsh.model;

import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Signer;
import dev.tufsh.errors.ThresholdError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Signing a role and checking a role's signatures against a threshold. */
public final class Signatures {
  private Signatures() {}

  /** Signs {@code signed} with every signer (one signature per distinct key). */
  public static <T extends Signed> Metadata<T> sign(T signed, Collection<? extends Signer> signers) {
    byte[] bytes = MetadataCodec.canonicalSigned(signed);
    return new Metadata<>(signed, signAll(bytes, signers));
  }

  /** Signatures over already-canonical {@code bytes}, one per distinct key id. */
  public static List<Signature> signAll(byte[] bytes, Collection<? extends Signer> signers) {
    Map<String, Signature> byKey = new java.util.LinkedHashMap<>();
    for (Signer s : signers) {
      byKey.computeIfAbsent(s.keyId(), id -> new Signature(id, Hex.encode(s.sign(bytes))));
    }
    return new ArrayList<>(byKey.values());
  }

  /**
   * Checks {@code md}'s signatures against {@code role}'s keys (looked up in {@code keys}). A key
   * counts once, even when the role lists its material under two key ids (python-tuf and go-tuf
   * count distinct keys too); a signature from a key the role does not list is ignored, and a
   * signature that fails to verify is ignored (as clients do).
   */
  public static VerificationResult check(
      String roleName, Metadata<?> md, byte[] signedBytes, Map<String, Key> keys, Role role) {
    return check(roleName, md.signatures(), signedBytes, keys, role);
  }

  /** As {@link #check(String, Metadata, byte[], Map, Role)}, over signatures read without their metadata. */
  public static VerificationResult check(
      String roleName, List<Signature> signatures, byte[] signedBytes, Map<String, Key> keys, Role role) {
    return check(roleName, signatures, signedBytes, keys, role, Key::verifies);
  }

  /** How one signature is checked: {@link Key#verifies}, or a caller's memo of it (see the trust package). */
  @FunctionalInterface
  public interface Check {
    boolean verifies(Key key, byte[] message, byte[] signature);
  }

  /** As above, each signature checked by {@code verify}. */
  public static VerificationResult check(String roleName, List<Signature> signatures, byte[] signedBytes,
      Map<String, Key> keys, Role role, Check verify) {
    Map<String, String> sigByKey = new HashMap<>();
    for (Signature s : signatures) {
      sigByKey.putIfAbsent(s.keyid(), s.sig());
    }
    List<String> valid = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    java.util.Set<String> counted = new java.util.HashSet<>();
    for (String id : role.keyids()) {
      Key key = keys.get(id);
      if (key != null && counted.contains(material(key))) {
        continue; // this key already counted under another id
      }
      String sig = sigByKey.get(id);
      boolean ok = false;
      if (key != null && sig != null) {
        try {
          ok = verify.verifies(key, signedBytes, Hex.decode(sig, "signature"));
        } catch (RuntimeException e) {
          ok = false;
        }
      }
      (ok ? valid : missing).add(id);
      if (ok) {
        counted.add(material(key));
      }
    }
    if (!missing.isEmpty() && !counted.isEmpty()) {
      // A duplicate listed before the id that signed is not missing.
      missing.removeIf(id -> keys.get(id) != null && counted.contains(material(keys.get(id))));
    }
    return new VerificationResult(roleName, role.threshold(), valid, missing);
  }

  /** What makes two key entries the same key: the public value, whatever the id or spelling of the type. */
  private static String material(Key key) {
    return key.publicValue().strip();
  }

  public static VerificationResult check(String roleName, Metadata<?> md, Map<String, Key> keys, Role role) {
    return check(roleName, md, md.signedBytes(), keys, role);
  }

  /** Like {@link #check} but throws a {@link ThresholdError} naming the missing keys. */
  public static void require(
      String file, String roleName, Metadata<?> md, byte[] signedBytes, Map<String, Key> keys, Role role) {
    VerificationResult r = check(roleName, md, signedBytes, keys, role);
    if (!r.thresholdMet()) {
      throw new ThresholdError(file, roleName, r.validKeyIds().size(), r.threshold(), r.missingKeyIds());
    }
  }
}
