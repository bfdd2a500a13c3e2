package dev.tufsh.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Signer;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.json.ByteSink;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@link CheckpointFile} (form 2) one role at a time: each role's target list is encoded
 * into a scratch file beside the output as it is read (a few dozen roles in flight, on all
 * cores), then the small signed part is signed and the file assembled from it and the scratch
 * file. Memory stays bounded by a few dozen roles whatever the repository's size; the output's
 * folder needs room for the file twice while it is written. Both scratch files are {@link
 * OwnedScratch}es: those a killed checkpoint left are removed by the next one.
 */
final class CheckpointWriter {
  /**
   * Roles encoded in parallel before their bytes are appended in order: enough to keep every core
   * busy, few enough that what is in flight dies young (PyPI size, one-shot: 256 gave 471 MB peak).
   */
  private static final int BATCH = 32;

  /** The scratch files' kinds: the target lists as they are encoded, the output as it is assembled. */
  private static final String LISTS = "lists";
  private static final String PART = "part";
  private static final java.util.Set<String> KINDS = java.util.Set.of(LISTS, PART);

  /** The published state of a checkpoint, without its lists: what {@link CheckpointFile} carries. */
  record Header(String created, String createdBy, int rootVersion, int timestampVersion, int snapshotVersion,
      String snapshotSha256) {}

  /** A published targets role: its name, version and file. */
  record Source(String role, int version, Path file) {}

  /** What was written: the checkpoint as read back would be, and the file's size. */
  record Written(CheckpointFile checkpoint, long bytes) {}

  private record Part(String role, CheckpointFile.RoleState state, byte[] list) {}

  private CheckpointWriter() {}

  static Written write(Path out, Header h, List<Source> roles, Signer signer) {
    List<Source> sorted = roles.stream()
        .sorted((a, b) -> CanonicalJson.CODE_POINT_ORDER.compare(a.role(), b.role())).toList();
    Path scratch = null;
    Path part = null;
    try {
      scratch = OwnedScratch.create(out.toAbsolutePath(), LISTS);
      OwnedScratch.removeStale(scratch, KINDS);
      Map<String, CheckpointFile.RoleState> states = new TreeMap<>();
      try (OutputStream body = Files.newOutputStream(scratch, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        body.write('{');
        for (int i = 0; i < sorted.size(); i += BATCH) {
          List<Part> parts = sorted.subList(i, Math.min(sorted.size(), i + BATCH)).parallelStream()
              .map(CheckpointWriter::part).toList();
          for (Part p : parts) {
            ByteSink name = new ByteSink(p.role().length() + 4);
            if (!states.isEmpty()) {
              name.write(',');
            }
            CanonicalJson.writeString(p.role(), name, true);
            name.write(':');
            body.write(name.toByteArray());
            body.write(p.list());
            states.put(p.role(), p.state());
          }
        }
        body.write('}');
      }
      CheckpointFile cp = new CheckpointFile(h.created(), h.createdBy(), h.rootVersion(), h.timestampVersion(),
          h.snapshotVersion(), h.snapshotSha256(), states);
      ObjectNode signed = signedJson(cp);
      byte[] sig = signer.sign(CanonicalJson.encode(signed));
      ObjectNode doc = Json.object();
      doc.putArray("signatures").addObject().put("keyid", signer.keyId()).put("sig", Hex.encode(sig));
      doc.set("signed", signed);
      byte[] head = CanonicalJson.encodeFile(doc);
      // Assembled in a second scratch file of ours (a kill here leaves a name the next run can
      // prove stale), flushed, then renamed over the output: a reader sees the old file or the new.
      part = OwnedScratch.create(out.toAbsolutePath(), PART);
      try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
          FileChannel in = FileChannel.open(scratch, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
        // {"signatures":[...],"signed":{...} then ,"targets":{...}}: canonical order, and so canonical layout.
        writeAll(ch, ByteBuffer.wrap(head, 0, head.length - 1));
        writeAll(ch, ByteBuffer.wrap(",\"targets\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        long size = in.size();
        for (long at = 0; at < size; ) {
          at += in.transferTo(at, size - at, ch);
        }
        writeAll(ch, ByteBuffer.wrap(new byte[] {'}'}));
        ch.force(true);
      }
      Files.setPosixFilePermissions(part, AtomicFiles.modeFor(out));
      Files.move(part, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      part = null;
      AtomicFiles.syncDir(out.toAbsolutePath().getParent());
      return new Written(cp, Files.size(out));
    } catch (IOException e) {
      throw new WorkspaceError("cannot write " + out + ": " + e.getMessage(), e);
    } finally {
      for (Path p : new Path[] {scratch, part}) {
        if (p != null) {
          try {
            Files.deleteIfExists(p);
          } catch (IOException ignored) {
            // left for the next checkpoint, which can prove it stale; the error that got here says more
          }
        }
      }
    }
  }

  /** One role read, decoded and its list encoded; its bytes dropped once appended. */
  private static Part part(Source s) {
    String name = s.file().getFileName().toString();
    byte[] bytes = AtomicFiles.read(s.file());
    Targets t = MetadataCodec.decode(bytes, name, Targets.class).signed();
    ObjectNode list = Json.object();
    t.targets().forEach((path, f) -> list.set(path, MetadataCodec.encodeTarget(f)));
    byte[] canonical = CanonicalJson.encode(list);
    byte[] file = CanonicalJson.encodeFile(list);
    return new Part(s.role(), new CheckpointFile.RoleState(s.version(), HashAlgorithm.SHA256.hex(bytes),
        t.targets().size(), HashAlgorithm.SHA256.hex(canonical)), file);
  }

  private static ObjectNode signedJson(CheckpointFile cp) {
    ObjectNode s = Json.object();
    s.put("_type", CheckpointFile.TYPE);
    s.put("format", CheckpointFile.FORMAT);
    s.put("created", cp.created());
    s.put("created_by", cp.createdBy());
    s.put("root_version", cp.rootVersion());
    s.put("timestamp_version", cp.timestampVersion());
    s.putObject("snapshot").put("version", cp.snapshotVersion()).put("sha256", cp.snapshotSha256());
    ObjectNode rs = s.putObject("roles");
    cp.roles().forEach((name, r) -> rs.putObject(name).put("version", r.version()).put("sha256", r.sha256())
        .put("targets", r.targets()).put("targets_sha256", r.targetsSha256()));
    return s;
  }

  private static void writeAll(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }
}
