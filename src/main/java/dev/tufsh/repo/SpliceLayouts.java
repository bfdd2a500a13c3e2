package dev.tufsh.repo;

import dev.tufsh.model.SnapshotSplice;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The layout of the last snapshot file this process signed for each metadata folder, so the next
 * upload's splice finds the 16,384 entries without scanning them. Only a hint: a layout is used for
 * the published file only when it holds exactly the bytes the layout was made for (compared whole,
 * {@link SnapshotSplice.Layout#describes}), so a snapshot written by anyone else, changed by hand or
 * never published (a failed publish) is scanned as always.
 */
final class SpliceLayouts {
  /** A long-lived server may serve a few repositories: it keeps a few layouts, not all. */
  private static final int FOLDERS = 8;

  private static final Map<Path, SnapshotSplice.Layout> LAST = new ConcurrentHashMap<>();

  private SpliceLayouts() {}

  static SnapshotSplice.Layout get(Path metadataDir) {
    return LAST.get(metadataDir.toAbsolutePath().normalize());
  }

  static void put(Path metadataDir, SnapshotSplice.Layout layout) {
    if (LAST.size() >= FOLDERS) {
      LAST.clear();
    }
    LAST.put(metadataDir.toAbsolutePath().normalize(), layout);
  }
}
