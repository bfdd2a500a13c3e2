package dev.tufsh.trust;

import dev.tufsh.crypto.Crypto;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;

/**
 * A target path as the delegations above a role judge it: its text for path patterns, its SHA-256
 * for hash prefixes and bins, each made at most once however many delegations ask (a PEP 458 bin
 * is reached through the hash-prefix role {@code bins}: two questions, one hash). A scan reuses one
 * for every path of a file ({@link #at}), hashing into one buffer, so it allocates per file.
 */
final class ScopedPath {
  private final MessageDigest sha256;
  private final byte[] hash = new byte[32];
  private byte[] bytes;
  private int from;
  private int to;
  private String text;
  private boolean hashed;

  private ScopedPath(MessageDigest sha256) {
    this.sha256 = sha256;
  }

  /** One path of a decoded role. */
  static ScopedPath of(String path) {
    ScopedPath p = new ScopedPath(null);
    p.text = path;
    return p;
  }

  /** A path to be set by {@link #at} for each path of a file. */
  static ScopedPath reusable() {
    return new ScopedPath(Crypto.digest("SHA-256"));
  }

  /** Now the path whose UTF-8 is {@code b[from, to)} (well-formed: its text encodes back to these bytes). */
  ScopedPath at(byte[] b, int from, int to) {
    this.bytes = b;
    this.from = from;
    this.to = to;
    this.text = null;
    this.hashed = false;
    return this;
  }

  String text() {
    if (text == null) {
      text = new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
    return text;
  }

  /** SHA-256 of the path's UTF-8; the array is reused for the next path of a scan. */
  byte[] sha256() {
    if (!hashed) {
      if (sha256 == null) {
        System.arraycopy(Crypto.sha256(text.getBytes(StandardCharsets.UTF_8)), 0, hash, 0, hash.length);
      } else {
        sha256.update(bytes, from, to - from);
        try {
          sha256.digest(hash, 0, hash.length);
        } catch (DigestException e) {
          throw new IllegalStateException("SHA-256 needs 32 bytes", e);
        }
      }
      hashed = true;
    }
    return hash;
  }
}
