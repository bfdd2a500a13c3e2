package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.errors.MetadataError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TAP 15 succinct hashed bins: 2^bitLength roles {@code PREFIX-XXXX} sharing keys and threshold. A
 * target goes to the bin named by the top {@code bitLength} bits of SHA-256(path).
 */
public record SuccinctRoles(
    List<String> keyids, int threshold, int bitLength, String namePrefix, Map<String, JsonNode> extras) {
  public SuccinctRoles {
    keyids = List.copyOf(keyids);
    Checks.threshold(threshold, keyids, "succinct_roles");
    if (bitLength < 1 || bitLength > 32) {
      throw MetadataError.field("succinct_roles.bit_length", "must be between 1 and 32, got " + bitLength);
    }
    Names.checkRoleName(namePrefix, "succinct_roles.name_prefix");
    extras = Map.copyOf(extras);
  }

  public long binCount() {
    return 1L << bitLength;
  }

  /** Hex digits in a bin's suffix: the width of 2^bitLength - 1. */
  public int suffixWidth() {
    return Math.max(1, (bitLength + 3) / 4);
  }

  public String binName(long index) {
    String hex = Long.toHexString(index);
    StringBuilder sb = new StringBuilder(namePrefix.length() + 1 + suffixWidth());
    sb.append(namePrefix).append('-');
    for (int i = hex.length(); i < suffixWidth(); i++) {
      sb.append('0');
    }
    return sb.append(hex).toString();
  }

  public long binIndexFor(String targetPath) {
    return binIndex(targetPath, bitLength);
  }

  /**
   * The top {@code bits} bits of SHA-256(path): the bin among 2^bits, for succinct roles and for
   * equal runs of hash prefixes in bin order alike (0 bits: the one bin).
   */
  public static long binIndex(String targetPath, int bits) {
    if (bits == 0) {
      return 0;
    }
    byte[] h = Crypto.sha256(targetPath.getBytes(StandardCharsets.UTF_8));
    long first4 =
        ((h[0] & 0xFFL) << 24) | ((h[1] & 0xFFL) << 16) | ((h[2] & 0xFFL) << 8) | (h[3] & 0xFFL);
    return first4 >>> (32 - bits);
  }

  public String roleFor(String targetPath) {
    return binName(binIndexFor(targetPath));
  }

  /** Whether {@code name} is one of this delegation's bins. */
  public boolean isBin(String name) {
    return indexOf(name) >= 0;
  }

  /** The index of bin {@code name} among this delegation's bins, or -1 when it is not one. */
  public long indexOf(String name) {
    String p = namePrefix + "-";
    if (!name.startsWith(p) || name.length() != p.length() + suffixWidth()) {
      return -1;
    }
    long i = 0;
    for (int at = p.length(); at < name.length(); at++) {
      char c = name.charAt(at); // lower-case hex digits only (not the sign Long.parseLong takes)
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) {
        return -1;
      }
      i = i * 16 + d;
    }
    return i < binCount() ? i : -1;
  }

  public List<String> roleNames() {
    List<String> out = new ArrayList<>((int) binCount());
    for (long i = 0; i < binCount(); i++) {
      out.add(binName(i));
    }
    return out;
  }

  public SuccinctRoles withKeys(List<String> ids, int t) {
    return new SuccinctRoles(ids, t, bitLength, namePrefix, extras);
  }
}
