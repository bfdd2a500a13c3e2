package dev.tufsh.repo;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A plan's new files by name, in write order, each read when it is asked for: a staged role's
 * bytes stay in the staging log until publish verifies and writes that one file, so a publish of
 * 16 384 bins holds a few of them, not 488 MB. Every {@code get} reads again; callers take each
 * file's bytes once. A staged role whose bytes are a staged role file is {@link #linkable}: publish
 * {@link #place}s that file (a hard link) instead of writing its bytes a second time.
 */
final class PlanFiles extends AbstractMap<String, byte[]> {
  private final Map<String, Supplier<byte[]>> files = new LinkedHashMap<>();
  private final Map<String, String> stagedRoles = new java.util.HashMap<>();
  private Staging staging;

  /** New file {@code name} holding the bytes of staged role {@code role}. */
  void addStaged(String name, Staging staged, String role) {
    files.put(name, () -> staged.fileBytes(role));
    stagedRoles.put(name, role);
    staging = staged;
  }

  /** Whether new file {@code name} is a staged role file that {@link #place} can link into place. */
  boolean linkable(String name) {
    String role = stagedRoles.get(name);
    return role != null && staging.linkable(role);
  }

  /** Links new file {@code name} at {@code target} (see {@link Staging#linkInto}); false: write its bytes instead. */
  boolean place(String name, java.nio.file.Path target) {
    String role = stagedRoles.get(name);
    return role != null && staging.linkInto(role, target);
  }

  /** New file {@code name}, {@link #place}d, is not published after all (see {@link Staging#unlinked}). */
  void unplace(String name) {
    String role = stagedRoles.get(name);
    if (role != null) {
      staging.unlinked(role);
    }
  }

  void add(String name, Supplier<byte[]> bytes) {
    files.put(name, bytes);
  }

  void add(String name, byte[] bytes) {
    files.put(name, () -> bytes);
  }

  @Override
  public byte[] get(Object name) {
    Supplier<byte[]> s = files.get(name);
    return s == null ? null : s.get();
  }

  @Override
  public boolean containsKey(Object name) {
    return files.containsKey(name);
  }

  @Override
  public Set<String> keySet() {
    return java.util.Collections.unmodifiableSet(files.keySet());
  }

  @Override
  public int size() {
    return files.size();
  }

  @Override
  public Set<Map.Entry<String, byte[]>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, byte[]>> iterator() {
        Iterator<Map.Entry<String, Supplier<byte[]>>> it = files.entrySet().iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Map.Entry<String, byte[]> next() {
            Map.Entry<String, Supplier<byte[]>> e = it.next();
            // The value is read only when asked for: most callers want names, or one file's bytes.
            return new Map.Entry<>() {
              @Override
              public String getKey() {
                return e.getKey();
              }

              @Override
              public byte[] getValue() {
                return e.getValue().get();
              }

              @Override
              public byte[] setValue(byte[] v) {
                throw new UnsupportedOperationException();
              }
            };
          }
        };
      }

      @Override
      public int size() {
        return files.size();
      }
    };
  }
}
