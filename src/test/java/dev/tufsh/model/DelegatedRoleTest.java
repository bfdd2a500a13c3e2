package dev.tufsh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A hash-prefix delegation covers a path exactly when the hex of its SHA-256 starts with a prefix. */
class DelegatedRoleTest {
  @Test
  void hash_prefixes_match_as_the_hex_of_the_path_hash_does() {
    Random rnd = new Random(458);
    for (int i = 0; i < 2000; i++) {
      String path = "p/" + Integer.toHexString(rnd.nextInt()) + "/pkg-" + i + ".tar.gz";
      String hex = Hex.encode(Crypto.sha256(path.getBytes(StandardCharsets.UTF_8)));
      int len = rnd.nextInt(5);
      String prefix = rnd.nextInt(4) == 0 ? Integer.toHexString(rnd.nextInt(1 << 12)) : hex.substring(0, len);
      for (String p : List.of(prefix, prefix.toUpperCase(java.util.Locale.ROOT), hex, hex + "0")) {
        if (!Hex.isLowerHex(p) && !p.isEmpty()) {
          assertEquals(false, DelegatedRole.hexStartsWith(Crypto.sha256(path.getBytes(StandardCharsets.UTF_8)), p));
          continue;
        }
        boolean want = hex.startsWith(p);
        assertEquals(want, DelegatedRole.hexStartsWith(Crypto.sha256(path.getBytes(StandardCharsets.UTF_8)), p), p);
        if (!p.isEmpty()) {
          DelegatedRole r = new DelegatedRole("r", List.of("ab".repeat(32)), 1, false, null, List.of(p), Map.of());
          assertEquals(want, r.covers(path), path + " " + p);
          // A router gives the hash it made once: the same answer as hashing the path here.
          assertEquals(want, r.covers(path, Crypto.sha256(path.getBytes(StandardCharsets.UTF_8))), path + " " + p);
        }
      }
    }
  }

  @Test
  void a_path_hashed_once_routes_as_the_path_does() {
    SuccinctRoles bins = new SuccinctRoles(List.of("ab".repeat(32)), 1, 14, "bin", Map.of());
    DelegatedRole pattern = new DelegatedRole("p", List.of("ab".repeat(32)), 1, false, List.of("a/*"), null, Map.of());
    byte[] unrelated = new byte[32]; // a pattern role looks at the path, never at a hash
    for (int i = 0; i < 500; i++) {
      String path = (i % 2 == 0 ? "a/" : "b/") + "pkg-" + i + ".whl";
      byte[] h = Crypto.sha256(path.getBytes(StandardCharsets.UTF_8));
      assertEquals(bins.binIndexFor(path), bins.binIndexForHash(h), path);
      assertEquals(SuccinctRoles.binIndex(path, 3), SuccinctRoles.binIndex(h, 3), path);
      assertEquals(pattern.covers(path), pattern.covers(path, unrelated), path);
    }
    assertEquals(0, SuccinctRoles.binIndex(new byte[32], 0));
  }
}
