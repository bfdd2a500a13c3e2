package dev.tufsh.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tufsh.errors.MetadataError;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An overlay is the map its base and changes make (equal, same size, same entries), shares its
 * base, and {@link Overlay#differing} names every key two maps may disagree on or admits it cannot.
 */
class OverlayTest {
  private static Map<String, Integer> base(int n) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < n; i++) {
      m.put("k" + i, i);
    }
    return Map.copyOf(m);
  }

  private static Map<String, Integer> flat(Map<String, Integer> base, Map<String, Integer> changes) {
    Map<String, Integer> m = new HashMap<>(base);
    m.putAll(changes);
    return m;
  }

  @Test
  void an_overlay_is_the_map_its_base_and_changes_make() {
    Map<String, Integer> b = base(100);
    Map<String, Integer> changes = Map.of("k3", 33, "new", -1);
    Map<String, Integer> o = Overlay.of(b, changes);
    assertInstanceOf(Overlay.class, o);
    assertEquals(flat(b, changes), o);
    assertEquals(flat(b, changes), new HashMap<>(o), "its entries, each once");
    assertEquals(101, o.size());
    assertEquals(flat(b, changes).hashCode(), o.hashCode());
    Map<String, Integer> again = Overlay.of(o, Map.of("k4", 44));
    assertEquals(flat(flat(b, changes), Map.of("k4", 44)), again);
    assertSame(b, Overlay.of(b, Map.of()));
  }

  @Test
  void differing_names_every_key_two_maps_laid_over_one_base_may_disagree_on() {
    Map<String, Integer> b = base(50);
    Map<String, Integer> one = Overlay.of(b, Map.of("k1", 10));
    Map<String, Integer> two = Overlay.of(one, Map.of("k2", 20, "k9", 9));
    assertEquals(Set.of(), Overlay.differing(two, two));
    assertEquals(Set.of("k1"), Overlay.differing(b, one));
    assertEquals(Set.of("k1", "k2", "k9"), Overlay.differing(one, two));
    assertEquals(Set.of("k1", "k2", "k9"), Overlay.differing(two, b));
    // Equal content, but not made from one another: every entry must be compared.
    assertNull(Overlay.differing(b, base(50)));
    assertNull(Overlay.differing(one, Overlay.of(base(50), Map.of("k1", 10))));
    // Whatever differing leaves out maps to the very same value in both.
    for (String k : b.keySet()) {
      if (!Overlay.differing(one, two).contains(k)) {
        assertSame(one.get(k), two.get(k), k);
      }
    }
  }

  @Test
  void many_changes_are_copied_flat_and_then_compared_whole() {
    Map<String, Integer> b = base(1000);
    Map<String, Integer> o = b;
    for (int i = 0; i < Overlay.FLATTEN_AT; i++) {
      o = Overlay.of(o, Map.of("k" + i, -i));
    }
    assertEquals(false, o instanceof Overlay, "flattened");
    assertNull(Overlay.differing(b, o));
    Map<String, Integer> expected = new HashMap<>(b);
    for (int i = 0; i < Overlay.FLATTEN_AT; i++) {
      expected.put("k" + i, -i);
    }
    assertEquals(expected, o);
  }

  @Test
  void a_snapshot_with_entries_laid_over_checks_the_new_ones_and_equals_the_full_record() {
    Map<String, MetaFile> meta = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      meta.put("bin-" + i + ".json", MetaFile.ofVersion(1));
    }
    Snapshot s = new Snapshot(Signed.SPEC_VERSION, 3, Expiry.parse("2030-01-01T00:00:00Z"), meta, Map.of());
    Snapshot next = s.withEntries(Map.of("bin-4.json", MetaFile.ofVersion(2)));
    Map<String, MetaFile> all = new HashMap<>(meta);
    all.put("bin-4.json", MetaFile.ofVersion(2));
    assertEquals(new Snapshot(Signed.SPEC_VERSION, 3, s.expires(), all, Map.of()), next);
    assertEquals(Set.of("bin-4.json"), Overlay.differing(s.meta(), next.meta()));
    assertThrows(MetadataError.class, () -> s.withEntries(Map.of("../escape.json", MetaFile.ofVersion(1))));
    assertThrows(MetadataError.class, () -> s.withEntries(Map.of("bin-4", MetaFile.ofVersion(2))));
    // An overlay made outside the model is not taken as checked: every entry is checked again.
    Map<String, MetaFile> bad = new HashMap<>(meta);
    bad.put("bad", MetaFile.ofVersion(1));
    assertThrows(MetadataError.class, () -> new Snapshot(Signed.SPEC_VERSION, 3, s.expires(),
        Overlay.of(Map.copyOf(bad), Map.of("bin-1.json", MetaFile.ofVersion(5))), Map.of()));
  }
}
