package dev.tufsh.trust;

import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.model.Signatures;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Within one verification, a signature already found valid is not verified again over the same
 * bytes by the same key: 16,384 empty bins have one signed content (a bin's name is not in it),
 * hence one signature, checked once instead of 16,384 times (~90 us each). Sound because a
 * signature check is a pure function of key, signature and message: the memo holds the exact
 * bytes found valid (keyed by the key's content-derived id and the signature) and answers yes only
 * for those very bytes. Only valid results are kept, so a refusal is checked, and worded, as
 * always. Small messages only, and a few, so it never holds more than 64 KB.
 */
final class RepeatedSignatures implements Signatures.Check {
  /** Larger messages are not kept: at ~30 KB a bin they are distinct, and comparing them costs. */
  static final int MAX_MESSAGE = 1024;

  static final int MAX_ENTRIES = 64;

  private final Map<String, byte[]> valid = new ConcurrentHashMap<>();

  @Override
  public boolean verifies(Key key, byte[] message, byte[] signature) {
    if (message.length > MAX_MESSAGE) {
      return key.verifies(message, signature);
    }
    String id = key.keyId() + ' ' + Hex.encode(signature);
    byte[] seen = valid.get(id);
    if (seen != null && Arrays.equals(seen, message)) {
      return true;
    }
    boolean ok = key.verifies(message, signature);
    if (ok && valid.size() < MAX_ENTRIES) {
      valid.putIfAbsent(id, message.clone());
    }
    return ok;
  }
}
