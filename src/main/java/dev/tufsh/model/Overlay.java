package dev.tufsh.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * An immutable map made of an immutable {@code base} and a few {@code changes} laid over it, so
 * that one upload's next snapshot (16,384 entries, one changed) shares the published one's entries
 * instead of copying them, and {@link #differing} can say which keys two such maps may disagree
 * on without comparing every entry. Overlays do not nest: laying changes over an overlay lays them
 * over its base, and once the changes outgrow {@link #FLATTEN_AT} the map is copied flat (amortized:
 * one copy per that many single-entry changes).
 *
 * @param <K> keys
 * @param <V> values, never null
 */
public final class Overlay<K, V> extends AbstractMap<K, V> {
  /** From how many changed keys an overlay is copied into a flat map again. */
  static final int FLATTEN_AT = 256;

  private final Map<K, V> base;
  private final Map<K, V> changes;
  private final int size;
  /** Whether the base's entries were checked by the model code that laid these changes over it. */
  private final boolean checkedBase;

  private Overlay(Map<K, V> base, Map<K, V> changes, boolean checkedBase) {
    this.base = base;
    this.changes = changes;
    this.checkedBase = checkedBase;
    int n = base.size();
    for (K k : changes.keySet()) {
      if (!base.containsKey(k)) {
        n++;
      }
    }
    this.size = n;
  }

  /**
   * {@code base} (immutable: a map this package made, or {@link Map#copyOf}) with {@code changes}
   * laid over it: an overlay sharing {@code base}'s entries, or a flat copy once the changes are many.
   */
  public static <K, V> Map<K, V> of(Map<K, V> base, Map<K, V> changes) {
    return of(base, changes, false);
  }

  /** As {@link #of}, remembering that {@code base}'s entries were checked (see {@link #checkedBase}). */
  static <K, V> Map<K, V> of(Map<K, V> base, Map<K, V> changes, boolean checkedBase) {
    if (changes.isEmpty()) {
      return base;
    }
    Map<K, V> root = base;
    Map<K, V> merged = new HashMap<>();
    if (base instanceof Overlay<K, V> o) {
      root = o.base;
      merged.putAll(o.changes);
      checkedBase &= o.checkedBase;
    }
    merged.putAll(changes);
    if (merged.size() >= FLATTEN_AT) {
      Map<K, V> flat = new HashMap<>(root);
      flat.putAll(merged);
      return Map.copyOf(flat);
    }
    return new Overlay<>(root, Map.copyOf(merged), checkedBase);
  }

  /** The entries laid over the base (tests and checks of only what changed). */
  Map<K, V> changes() {
    return changes;
  }

  /**
   * Whether the base's entries were checked when this overlay was made by model code from a map
   * it had checked (a snapshot's entries): then only {@link #changes} need checking.
   */
  boolean checkedBase() {
    return checkedBase;
  }

  /**
   * The keys on which {@code a} and {@code b} may differ, when that follows from how they were
   * made (one laid over the other, or both over the same base: every other key maps to the very
   * same value in both); null when it does not, and every entry must be compared.
   */
  public static <K, V> Set<K> differing(Map<K, V> a, Map<K, V> b) {
    if (a == b) {
      return Set.of();
    }
    Map<K, V> baseA = a instanceof Overlay<K, V> o ? o.base : a;
    Map<K, V> baseB = b instanceof Overlay<K, V> o ? o.base : b;
    if (baseA != baseB) {
      return null;
    }
    Set<K> keys = new HashSet<>();
    if (a instanceof Overlay<K, V> o) {
      keys.addAll(o.changes.keySet());
    }
    if (b instanceof Overlay<K, V> o) {
      keys.addAll(o.changes.keySet());
    }
    return keys;
  }

  @Override
  public V get(Object key) {
    V v = changes.get(key);
    return v != null ? v : base.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return changes.containsKey(key) || base.containsKey(key);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Entry<K, V>> iterator() {
        Iterator<Entry<K, V>> first = changes.entrySet().iterator();
        Iterator<Entry<K, V>> rest = base.entrySet().iterator();
        return new Iterator<>() {
          private Entry<K, V> next = advance();

          private Entry<K, V> advance() {
            if (first.hasNext()) {
              return first.next();
            }
            while (rest.hasNext()) {
              Entry<K, V> e = rest.next();
              if (!changes.containsKey(e.getKey())) {
                return e;
              }
            }
            return null;
          }

          @Override
          public boolean hasNext() {
            return next != null;
          }

          @Override
          public Entry<K, V> next() {
            if (next == null) {
              throw new java.util.NoSuchElementException();
            }
            Entry<K, V> e = next;
            next = advance();
            return e;
          }
        };
      }
    };
  }
}
