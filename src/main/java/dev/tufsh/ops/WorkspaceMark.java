package dev.tufsh.ops;

import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.repo.PublishedState;
import dev.tufsh.repo.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a workspace was when a long operation began reading it without the lock: the published
 * root and snapshot (the snapshot names every targets role's version), and the staging area's
 * files (name, size, modification time and file id: any save appends or replaces one). Under the
 * lock, {@link #requireUnchanged} refuses if another writer published or staged meanwhile, so
 * nothing prepared from the old state is staged over the new one.
 */
record WorkspaceMark(int rootVersion, int snapshotVersion, String snapshotSha256, Map<String, String> staged) {
  static WorkspaceMark of(Workspace ws) {
    PublishedState pub = new PublishedState(ws.metadataDir());
    byte[] snapshot = pub.snapshot().isPresent() ? pub.snapshotBytes() : new byte[0];
    return new WorkspaceMark(pub.root().map(r -> r.signed().version()).orElse(0),
        pub.snapshot().map(s -> s.signed().version()).orElse(0), HashAlgorithm.SHA256.hex(snapshot),
        stagedFiles(ws.stagedDir()));
  }

  private static Map<String, String> stagedFiles(Path dir) {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (var names = Files.newDirectoryStream(dir)) {
      for (Path p : names) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        out.put(p.getFileName().toString(), a.size() + " " + a.lastModifiedTime().toInstant() + " " + a.fileKey());
      }
    } catch (IOException e) {
      throw new WorkspaceError("cannot read " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** Throws, naming what changed, unless {@code ws} is as it was; {@code op} names the operation. */
  void requireUnchanged(Workspace ws, String op) {
    WorkspaceMark now = of(ws);
    String again = "; nothing was staged: run " + op + " again";
    if (now.rootVersion != rootVersion) {
      throw new WorkspaceError(op + ": root version " + now.rootVersion + " was published while " + op + " read its"
          + " input (it started from root version " + rootVersion + ")" + again);
    }
    if (now.snapshotVersion != snapshotVersion || !now.snapshotSha256.equals(snapshotSha256)) {
      throw new WorkspaceError(op + ": snapshot version " + now.snapshotVersion + " was published while " + op
          + " read its input (it started from snapshot version " + snapshotVersion + ")" + again);
    }
    if (!now.staged.equals(staged)) {
      throw new WorkspaceError(op + ": another writer staged or discarded changes while " + op + " read its input"
          + again);
    }
  }
}
