package dev.tufsh.trust;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.model.MetaFile;
import dev.tufsh.model.Role;
import dev.tufsh.model.Signatures;
import dev.tufsh.model.Signed;
import dev.tufsh.model.VerificationResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The checks every step of the workflow repeats: threshold, version, expiry, length and hashes. */
final class Checks {
  private Checks() {}

  /** A threshold of {@code role}'s keys signed {@code d}; {@code whose} qualifies the keys in errors. */
  static void threshold(Decoded<?> d, String roleName, Map<String, Key> keys, Role role, String whose) {
    threshold(d, roleName, keys, role, whose, Key::verifies);
  }

  /** As above, each signature checked by {@code verify}. */
  static void threshold(
      Decoded<?> d, String roleName, Map<String, Key> keys, Role role, String whose, Signatures.Check verify) {
    VerificationResult r = Signatures.check(roleName, d.metadata().signatures(), d.signedBytes(), keys, role, verify);
    if (!r.thresholdMet()) {
      throw new VerificationError(
          d.file(), roleName,
          "signed by " + r.validKeyIds().size() + " of " + r.threshold() + " required keys"
              + (whose == null ? "" : " " + whose) + missing(r.missingKeyIds()));
    }
  }

  private static String missing(List<String> ids) {
    if (ids.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(" (missing ");
    for (int i = 0; i < ids.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      String id = ids.get(i);
      sb.append(id.length() > 8 ? id.substring(0, 8) + "..." : id);
    }
    return sb.append(')').toString();
  }

  static void version(Decoded<?> d, String roleName, int expected, String source) {
    int v = d.signed().version();
    if (v != expected) {
      throw new VerificationError(d.file(), roleName, "version is " + v + " but " + source + " says " + expected);
    }
  }

  /** Expired means {@code now >= expires} (spec 5.1: the update's start time is used throughout). */
  static void notExpired(Decoded<?> d, String roleName, Instant now) {
    Signed s = d.signed();
    if (s.expires().isExpiredAt(now)) {
      throw new VerificationError(d.file(), roleName, "expired at " + s.expires().text());
    }
  }

  /** Length and hashes of {@code bytes} against a snapshot or timestamp entry, before any parsing. */
  static void lengthAndHashes(byte[] bytes, MetaFile entry, String file, String roleName, String source) {
    lengthAndHashes(bytes, entry, file, roleName, source, AlreadyDecoded.NONE);
  }

  /** As above, taking a digest {@code held} computed over these very bytes instead of hashing them again. */
  static void lengthAndHashes(
      byte[] bytes, MetaFile entry, String file, String roleName, String source, AlreadyDecoded held) {
    if (entry.length() != null && bytes.length != entry.length()) {
      throw new VerificationError(
          file, roleName,
          "length is " + bytes.length + " bytes, " + source + "'s entry says " + entry.length());
    }
    if (entry.hashes() != null) {
      for (Map.Entry<String, String> h : new TreeMap<>(entry.hashes()).entrySet()) {
        String known = held.digest(h.getKey(), bytes);
        if (!(known != null ? known : hex(h.getKey(), bytes, file, roleName)).equals(h.getValue())) {
          throw new VerificationError(file, null, "hashes do not match " + source + "'s entry (" + h.getKey() + ")");
        }
      }
    }
  }

  /** The lowercase hex digest of {@code bytes} with a TUF hash algorithm name. */
  static String hex(String algorithm, byte[] bytes, String file, String roleName) {
    return HashAlgorithm.byName(algorithm).map(a -> a.hex(bytes)).orElseThrow(() -> new VerificationError(
        file, roleName, "unsupported hash algorithm '" + algorithm + "' (" + HashAlgorithm.names() + " are checked)"));
  }
}
