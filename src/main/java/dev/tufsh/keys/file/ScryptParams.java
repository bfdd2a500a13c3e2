package dev.tufsh.keys.file;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.json.Json;

/**
 * scrypt cost parameters, stored in each key file so the default can rise later without breaking
 * old files. Bounds keep a hostile file from asking for gigabytes of memory and keep new files from
 * being written with a toy cost.
 */
public record ScryptParams(int n, int r, int p) {
  /** N=2^15, r=8, p=1: 32 MiB and well under a second per decryption. */
  public static final ScryptParams DEFAULT = new ScryptParams(1 << 15, 8, 1);

  public static final int MIN_N = 1 << 10;
  public static final int MAX_N = 1 << 20;
  /** 128 * N * r bytes is what scrypt allocates; 1 GiB at most. */
  public static final long MAX_MEMORY = 1L << 30;

  public ScryptParams {
    String problem = problem(n, r, p);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** What is wrong with these values, or null when they are acceptable. */
  static String problem(long n, long r, long p) {
    if (n < MIN_N || n > MAX_N || Long.bitCount(n) != 1) {
      return "scrypt N must be a power of two from 2^10 to 2^20, got " + n;
    }
    if (r < 1 || r > 32) {
      return "scrypt r must be 1 to 32, got " + r;
    }
    if (p < 1 || p > 16) {
      return "scrypt p must be 1 to 16, got " + p;
    }
    if (128 * n * r > MAX_MEMORY) {
      return "scrypt N*r needs more than 1 GiB of memory";
    }
    return null;
  }

  /** N = 2^{@code log2n}, r=8, p=1. */
  public static ScryptParams withLog2N(int log2n) {
    return new ScryptParams(1 << log2n, 8, 1);
  }

  ObjectNode toJson(byte[] salt) {
    ObjectNode o = Json.object();
    o.put("name", "scrypt");
    o.put("n", n);
    o.put("r", r);
    o.put("p", p);
    o.put("salt", dev.tufsh.crypto.Hex.encode(salt));
    return o;
  }

  @Override
  public String toString() {
    return "scrypt(N=2^" + Integer.numberOfTrailingZeros(n) + ", r=" + r + ", p=" + p + ")";
  }
}
