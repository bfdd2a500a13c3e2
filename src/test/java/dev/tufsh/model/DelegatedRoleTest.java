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
        }
      }
    }
  }
}
