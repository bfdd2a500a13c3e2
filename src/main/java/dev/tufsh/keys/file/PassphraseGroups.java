package dev.tufsh.keys.file;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Secret;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The scrypt results one key store has computed, by salt and cost. Key files sealed under the same
 * passphrase share one salt (a passphrase group, {@code "shared": true} in the file), so the keys a
 * command signs with cost one scrypt run per passphrase, not one per key.
 *
 * <p>A result is reused only for the same passphrase: every key still asks its own source, and the
 * answer is compared with the one that unlocked the group by an HMAC under a random key that lives
 * and dies with this object. A different answer runs scrypt and fails as it always did. The
 * results are as secret as the decrypted keys the store already keeps, and live as long.
 */
final class PassphraseGroups {
  /** One salt and cost, unlocked by the passphrase whose HMAC is {@code mac}. */
  record Unlocked(byte[] salt, ScryptParams params, KeyFileCipher.Derived derived, byte[] mac, boolean shared) {}

  /**
   * Made at the first passphrase compared, not with the store: the random generator's start-up
   * (~0.1 s in a cold JVM) then does not delay a one-shot publish's scrypt run ahead.
   */
  private volatile byte[] macKey;
  private final Map<String, Unlocked> bySalt = new ConcurrentHashMap<>();
  /** Salt and passphrase HMAC pairs whose check failed: a wrong answer asked again costs nothing. */
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  /** The groups some answer was refused for: only there may an answer be a known wrong one. */
  private final Set<String> refusedGroups = ConcurrentHashMap.newKeySet();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  PassphraseGroups() {}

  /**
   * {@code salt} and {@code params} derived from {@code pass}, from memory when this passphrase
   * unlocked them before, else by one scrypt run; empty when {@code check} says the passphrase is
   * wrong. {@code shared} marks a group new keys may join.
   */
  Optional<Unlocked> open(Secret pass, byte[] salt, ScryptParams params, byte[] check, boolean shared) {
    String id = id(salt, params);
    // One derivation per group at a time: snapshot and timestamp unlocking side by side at publish
    // wait for one scrypt run instead of making two.
    synchronized (locks.computeIfAbsent(id, k -> new Object())) {
      Unlocked known = bySalt.get(id);
      if (known == null && !refusedGroups.contains(id)) {
        // No answer to compare this one with: scrypt first, the passphrase's HMAC after, so its JCA
        // look-up and the HMAC key's random generator (~0.1 s in a cold JVM) are not on the way.
        KeyFileCipher.Derived d = KeyFileCipher.derive(pass, salt, params);
        byte[] mac = mac(pass);
        if (!d.checks(check)) {
          d.close();
          refuse(id, mac);
          return Optional.empty();
        }
        return Optional.of(remember(id, salt.clone(), params, d, mac, shared));
      }
      byte[] mac = mac(pass);
      String attempt = id + "/" + Hex.encode(mac);
      if (known != null && MessageDigest.isEqual(known.mac(), mac)) {
        return Optional.of(known.shared() || !shared ? known : remember(id, known.salt(), params,
            known.derived(), mac, true));
      }
      if (refused.contains(attempt)) {
        return Optional.empty();
      }
      KeyFileCipher.Derived d = KeyFileCipher.derive(pass, salt, params);
      if (!d.checks(check)) {
        d.close();
        refuse(id, mac);
        return Optional.empty();
      }
      return Optional.of(remember(id, salt.clone(), params, d, mac, shared));
    }
  }

  /**
   * Derives {@code salt} and {@code params} from {@code pass} ahead of need, when no key asked for
   * them yet ({@link FileKeyStore#unlockGroupAhead}). The result is kept under the salt and cost it
   * was derived with, and only when it matches {@code check}; so whatever file those values were read
   * from, a later {@link #open} gets exactly what it would have derived itself. A mismatch is not
   * remembered as refused: the key that needs the group derives again and fails as it always did.
   * Returns whether it ran scrypt (false: a key's own unlock had derived the group already).
   */
  boolean deriveAhead(Secret pass, byte[] salt, ScryptParams params, byte[] check) {
    String id = id(salt, params);
    synchronized (locks.computeIfAbsent(id, k -> new Object())) {
      if (bySalt.containsKey(id)) {
        return false; // a key's own unlock came first
      }
      // scrypt first, the passphrase's HMAC after: its JCA look-up (~0.1 s cold) is not on the way.
      KeyFileCipher.Derived d = KeyFileCipher.derive(pass, salt, params);
      if (!d.checks(check)) {
        d.close();
        return true;
      }
      remember(id, salt.clone(), params, d, mac(pass), false);
      return true;
    }
  }

  /** Whether {@code salt} and {@code params} are derived in this process (by some passphrase). */
  boolean known(byte[] salt, ScryptParams params) {
    return bySalt.containsKey(id(salt, params));
  }

  /** A group new keys sealed under {@code pass} at cost {@code params} may join, if one is unlocked. */
  Optional<Unlocked> joinable(Secret pass, ScryptParams params) {
    byte[] mac = mac(pass);
    return bySalt.values().stream()
        .filter(u -> u.shared() && u.params().equals(params) && MessageDigest.isEqual(u.mac(), mac))
        .findFirst();
  }

  /** A new group for {@code pass}: a fresh salt, one scrypt run. */
  Unlocked create(Secret pass, ScryptParams params) {
    byte[] salt = new byte[KeyFileCipher.SALT_BYTES];
    Crypto.random().nextBytes(salt);
    return remember(id(salt, params), salt, params, KeyFileCipher.derive(pass, salt, params), mac(pass), true);
  }

  /**
   * Forgets every result; the next key asks and derives again. The bytes are dropped, not zeroed: a
   * key being sealed on another thread at that moment must not be sealed under a zeroed key.
   */
  void clear() {
    bySalt.clear();
    refused.clear();
    refusedGroups.clear();
  }

  private void refuse(String id, byte[] mac) {
    refusedGroups.add(id);
    refused.add(id + "/" + Hex.encode(mac));
  }

  private Unlocked remember(String id, byte[] salt, ScryptParams params, KeyFileCipher.Derived d, byte[] mac,
      boolean shared) {
    Unlocked u = new Unlocked(salt, params, d, mac, shared);
    bySalt.put(id, u);
    return u;
  }

  private static String id(byte[] salt, ScryptParams params) {
    // A StringBuilder, not +: a one-shot publish's scrypt run ahead waits for no concatenation linkage.
    return new StringBuilder(Hex.encode(salt)).append('/').append(params.n()).append('/').append(params.r())
        .append('/').append(params.p()).toString();
  }

  private byte[] macKey() {
    byte[] k = macKey;
    if (k == null) {
      synchronized (this) {
        if (macKey == null) {
          byte[] b = new byte[32];
          Crypto.random().nextBytes(b);
          macKey = b;
        }
        k = macKey;
      }
    }
    return k;
  }

  private byte[] mac(Secret pass) {
    byte[] bytes = KeyFileCipher.utf8(pass);
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(macKey(), "HmacSHA256"));
      return m.doFinal(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable: " + e.getMessage(), e);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
