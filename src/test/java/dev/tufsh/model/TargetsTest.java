package dev.tufsh.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.errors.MetadataError;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A role's target paths are checked once, when its map is made: copies with a new version or
 * expiry keep the checked map, and an add checks only the paths it brings. Whatever the way in,
 * a bad path is refused, and the role is the same value, encoded to the same bytes.
 */
class TargetsTest {
  private static final Expiry EXPIRES = Expiry.at(Instant.parse("2031-01-01T00:00:00Z"));
  private static final TargetFile FILE = new TargetFile(3, Map.of("sha256", "ab".repeat(32)));

  @ParameterizedTest
  @ValueSource(strings = {"a\\b", "/abs", "a//b", "a/../b", "./a", "c:x", "a\u0001b", ""})
  void a_bad_path_is_refused_by_every_way_in(String bad) {
    Targets ok = Targets.empty(EXPIRES).withTargets(Map.of("good/a-1.0.tar.gz", FILE));
    assertThrows(MetadataError.class, () -> Targets.empty(EXPIRES).withTargets(Map.of(bad, FILE)));
    assertThrows(MetadataError.class, () -> ok.withTargetsAdded(Map.of(bad, FILE)));
    Map<String, TargetFile> copied = new HashMap<>(ok.targets()); // a checked map copied out and changed
    copied.put(bad, FILE);
    assertThrows(MetadataError.class, () -> ok.withTargets(copied));
  }

  @Test
  void copies_keep_the_value_and_the_bytes() {
    Map<String, TargetFile> first = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      first.put("p/" + i + "/pkg-" + i + ".tar.gz", new TargetFile(i, Map.of("sha256", String.format("%064x", i))));
    }
    Map<String, TargetFile> more = Map.of("p/7/pkg-7.tar.gz", FILE, "q/new-1.0.tar.gz", FILE);
    Targets t = Targets.empty(EXPIRES).withTargets(first);
    Map<String, TargetFile> all = new HashMap<>(first);
    all.putAll(more);
    Targets added = t.withTargetsAdded(more).withVersion(4).withExpires(EXPIRES);
    Targets plain = new Targets(Signed.SPEC_VERSION, 4, EXPIRES, all, null, Map.of());
    assertEquals(plain, added);
    assertEquals(plain.hashCode(), added.hashCode());
    assertEquals(FILE, added.targets().get("p/7/pkg-7.tar.gz"), "a path listed already takes the new entry");
    assertArrayEquals(MetadataCodec.canonicalSigned(plain), MetadataCodec.canonicalSigned(added));
    assertThrows(UnsupportedOperationException.class, () -> added.targets().put("x", FILE));
    assertThrows(UnsupportedOperationException.class, () -> added.targets().entrySet().clear());
    assertTrue(added.withVersion(5).targets() == added.targets(), "a new version keeps the checked map");
  }
}
