package dev.tufsh.trust;

import java.util.Optional;

/**
 * Where target files come from, by path relative to {@code targets/}, already in its published
 * form ({@code pkgs/<sha256hex>.a.tgz} with consistent snapshots). Empty means absent. Called from
 * several threads at once, so implementations must be thread-safe.
 */
@FunctionalInterface
public interface TargetSource {
  Optional<byte[]> read(String path);
}
