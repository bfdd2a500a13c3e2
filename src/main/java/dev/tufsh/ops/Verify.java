package dev.tufsh.ops;

import dev.tufsh.errors.UsageError;
import dev.tufsh.repo.AtomicFiles;
import dev.tufsh.repo.FileNames;
import dev.tufsh.trust.ClientVerifier;
import dev.tufsh.trust.TrustReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The full client workflow over what is published, from a trusted root (by default 1.root.json,
 * what a client ships with): the root chain, timestamp, snapshot, every delegated role, and every
 * target file's length and hashes.
 */
public final class Verify {
  private Verify() {}

  public static TrustReport run(Workbench bench, Path trustedRoot, boolean targets) {
    return run(bench, trustedRoot, targets, bench.clock().instant());
  }

  /**
   * As a client would at {@code at}: expiries are judged then (to check an archived repository,
   * or one whose timestamp has since expired, at a time inside its validity).
   */
  public static TrustReport run(Workbench bench, Path trustedRoot, boolean targets, java.time.Instant at) {
    Path meta = bench.workspace().metadataDir();
    Path tdir = bench.workspace().targetsDir();
    Path rootFile = trustedRoot != null ? trustedRoot : meta.resolve(FileNames.root(1));
    if (!Files.isRegularFile(rootFile)) {
      throw new UsageError(trustedRoot != null ? "no trusted root file " + rootFile
          : "nothing is published yet (no " + FileNames.root(1) + ")");
    }
    return new ClientVerifier(at)
        .checkTargetFiles(targets)
        .keepLeafMetadata(false)
        .leafDigests(false) // no verified index is kept: publish keeps its own
        .verify(
            AtomicFiles.read(rootFile),
            name -> read(meta, name),
            targets ? path -> read(tdir, path) : null,
            null);
  }

  private static Optional<byte[]> read(Path dir, String name) {
    Path p = dir.resolve(name).normalize();
    if (!p.startsWith(dir) || !Files.isRegularFile(p)) {
      return Optional.empty();
    }
    return Optional.of(AtomicFiles.read(p));
  }
}
