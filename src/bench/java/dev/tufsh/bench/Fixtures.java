package dev.tufsh.bench;

import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Signer;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.MetaFile;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.Signatures;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Metadata shaped like a PEP 458 repository's, from a fixed seed so every run measures the same
 * bytes: a hashed bin listing distributions (PyPI-style paths, sha256 and blake2b-256 digests) and
 * a snapshot listing every bin.
 */
final class Fixtures {
  static final Expiry EXPIRES = Expiry.at(Instant.parse("2030-01-01T00:00:00Z"));

  private Fixtures() {}

  /** A bin role listing {@code count} targets. */
  static Targets bin(int count, long seed) {
    Random rnd = new Random(seed);
    Map<String, TargetFile> targets = new HashMap<>(count * 2);
    for (int i = 0; i < count; i++) {
      String blake = hex(rnd, 32);
      String path = String.format(
          Locale.ROOT, "%s/%s/%s/project%05d-%d.%d.%d.tar.gz",
          blake.substring(0, 2), blake.substring(2, 4), blake.substring(4), i,
          rnd.nextInt(10), rnd.nextInt(20), rnd.nextInt(100));
      targets.put(path, new TargetFile(
          1000 + rnd.nextInt(50_000_000), Map.of("sha256", hex(rnd, 32), "blake2b-256", blake)));
    }
    return new Targets("1.0.31", 1 + rnd.nextInt(1000), EXPIRES, targets, null, Map.of());
  }

  /** A snapshot listing targets.json, bins.json and {@code bins} bins named as TAP 15 names them. */
  static Snapshot snapshot(int bins, long seed) {
    Random rnd = new Random(seed);
    int width = Integer.toHexString(bins - 1).length();
    Map<String, MetaFile> meta = new HashMap<>(bins * 2 + 4);
    meta.put("targets.json", MetaFile.ofVersion(7));
    meta.put("bins.json", MetaFile.ofVersion(3));
    for (int i = 0; i < bins; i++) {
      String name = "bin-" + String.format(Locale.ROOT, "%0" + width + "x", i) + ".json";
      meta.put(name, MetaFile.ofVersion(1 + rnd.nextInt(5000)));
    }
    return new Snapshot("1.0.31", 1 + rnd.nextInt(100_000), EXPIRES, meta, Map.of());
  }

  static <T extends dev.tufsh.model.Signed> Metadata<T> signed(T role, Signer signer) {
    return Signatures.sign(role, List.of(signer));
  }

  private static String hex(Random rnd, int bytes) {
    byte[] b = new byte[bytes];
    rnd.nextBytes(b);
    return Hex.encode(b);
  }
}
