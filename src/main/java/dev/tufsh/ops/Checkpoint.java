package dev.tufsh.ops;

import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Signer;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.model.RoleType;
import dev.tufsh.repo.AtomicFiles;
import dev.tufsh.repo.FileNames;
import dev.tufsh.repo.PublishedState;
import dev.tufsh.repo.Repository;
import java.nio.file.Path;
import java.util.List;

/**
 * Records the published repository (what clients see, not what is staged) as a signed
 * {@link CheckpointFile}. Nothing published changes; the file goes where it is sent, and the
 * workspace notes the checkpointed snapshot ({@code .tufsh/checkpoint.pin}) so gc keeps it live.
 */
public final class Checkpoint {
  /** {@code out}: the file to write (checked against the actor's file scope by the caller's bench). */
  public record Request(Path out, Signer signer) {}

  public record Result(Path file, String keyId, int rootVersion, int snapshotVersion, int roles, int targets,
      long bytes) {}

  private Checkpoint() {}

  public static Result run(Workbench bench, Request req) {
    Path parent = req.out().getParent() != null ? req.out().getParent() : Path.of(".");
    Path out = bench.files().output(parent, "checkpoint --out").resolve(req.out().getFileName().toString());
    Repository repo = bench.repository();
    PublishedState pub = repo.published();
    if (pub.snapshot().isEmpty() || pub.timestamp().isEmpty() || pub.root().isEmpty()) {
      throw new WorkspaceError(bench.workspace().root() + " has nothing published to checkpoint");
    }
    Path dir = bench.workspace().metadataDir();
    List<CheckpointWriter.Source> roles = repo.roleNames().stream()
        .filter(r -> !RoleType.isTopLevel(r) || r.equals("targets")).filter(r -> pub.version(r) > 0)
        .map(r -> new CheckpointWriter.Source(r, pub.version(r), dir.resolve(FileNames.metadata(r, pub.version(r)))))
        .toList();
    CheckpointWriter.Header h = new CheckpointWriter.Header(
        bench.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), bench.actor(),
        pub.root().get().signed().version(), pub.timestamp().get().signed().version(),
        pub.snapshot().get().signed().version(), Hex.encode(dev.tufsh.crypto.Crypto.sha256(pub.snapshotBytes())));
    CheckpointWriter.Written w = CheckpointWriter.write(out, h, roles, req.signer());
    CheckpointFile cp = w.checkpoint();
    if (!bench.workspace().foreign()) {
      AtomicFiles.writePrivate(pinFile(bench.workspace()), (cp.snapshotVersion() + "\n").getBytes(
          java.nio.charset.StandardCharsets.US_ASCII));
    }
    int targets = cp.roles().values().stream().mapToInt(CheckpointFile.RoleState::targets).sum();
    return new Result(out, req.signer().keyId(), cp.rootVersion(), cp.snapshotVersion(), cp.roles().size(), targets,
        w.bytes());
  }

  private static Path pinFile(dev.tufsh.repo.Workspace ws) {
    return ws.privateDir().resolve("checkpoint.pin");
  }

  /** The snapshot version the last checkpoint recorded, which {@link Gc} keeps live. */
  static java.util.Optional<Integer> pinned(dev.tufsh.repo.Workspace ws) {
    Path p = pinFile(ws);
    if (!java.nio.file.Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(Integer.parseInt(new String(AtomicFiles.readBounded(p, 64),
          java.nio.charset.StandardCharsets.US_ASCII).strip()));
    } catch (NumberFormatException e) {
      throw new WorkspaceError(p + " does not hold a snapshot version");
    }
  }

}
