package dev.tufsh.ops;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys an operation generates for itself (revoke --generate, rotate): deleted again when it fails
 * before it {@link #keep}s them, so a refused key change (a tampered bin, a bad threshold) leaves
 * the keystore as it was. Taking the key back, rather than checking every role first, costs the
 * incident nothing: its re-sign of every bin checks each one as it reads it, and a check up front
 * would read and hash all 16,384 bins twice.
 *
 * <pre>{@code
 * try (NewKeys made = new NewKeys(bench)) {
 *   Key k = made.generate(Scheme.ED25519, "bin-n-2");
 *   KeyChange.apply(...);  // nothing on disk names k until this returns
 *   made.keep();
 * }
 * }</pre>
 */
final class NewKeys implements AutoCloseable {
  private final Workbench bench;
  private final List<String> made = new ArrayList<>();
  private boolean kept;

  NewKeys(Workbench bench) {
    this.bench = bench;
  }

  Key generate(Scheme scheme, String name) {
    Key k = bench.keys().generate(scheme == null ? Scheme.ED25519 : scheme, name).key();
    made.add(name);
    return k;
  }

  /** The operation staged what names the keys: they stay. */
  void keep() {
    kept = true;
  }

  /** Without {@link #keep}: deletes every key made here (a failure to is added to the one in flight). */
  @Override
  public void close() {
    if (kept) {
      return;
    }
    RuntimeException first = null;
    for (int i = made.size() - 1; i >= 0; i--) {
      try {
        bench.keys().remove(made.get(i));
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
