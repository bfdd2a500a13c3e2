package dev.tufsh.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.TufshException;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.TreeMap;

/**
 * An append-only, hash-chained audit log: one canonical JSON object a line, each carrying the
 * SHA-256 of the previous line ({@code prev}) and of itself ({@code hash}), so an edited, inserted
 * or deleted line breaks the chain at a line {@link AuditVerifier} can name. Appends from several
 * processes (shells, SSH sessions) are serialised by a file lock.
 *
 * <p>The chain is tamper-evident, not tamper-proof: someone who can rewrite the whole file can
 * recompute it, and dropping lines at the very end leaves a valid shorter chain. Ship the log (or
 * its last hash) elsewhere when that matters.
 */
public final class AuditLog {
  static final String GENESIS = "0".repeat(64);
  private final Path file;

  public AuditLog(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** File locks are per process; this serialises appenders within one process (SSH sessions). */
  private static final Object IN_PROCESS = new Object();

  /** Appends {@code entry}, chained to the current last line. */
  public void append(AuditEntry entry) {
    synchronized (IN_PROCESS) {
      appendLocked(entry);
    }
  }

  private void appendLocked(AuditEntry entry) {
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch =
              FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        restrict();
        String prev = lastHash(ch);
        long seq = lastSeq + 1;
        ObjectNode o = toJson(entry, seq, prev);
        o.put("hash", hashOf(o));
        byte[] line = (new String(CanonicalJson.encodeFile(o), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        ch.position(ch.size());
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
      }
    } catch (IOException e) {
      throw new TufshException("cannot append to audit log " + file + ": " + e.getMessage(), e);
    }
  }

  private long lastSeq;

  /** Reads the hash and sequence number of the last line (scanning back from the end). */
  private String lastHash(FileChannel ch) throws IOException {
    long size = ch.size();
    lastSeq = 0;
    if (size == 0) {
      return GENESIS;
    }
    // Read back from the end until the last line is whole (a line may be long).
    long window = 65536;
    String tail;
    String[] lines;
    while (true) {
      long start = Math.max(0, size - window);
      ByteBuffer buf = ByteBuffer.allocate((int) (size - start));
      ch.read(buf, start);
      tail = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
      lines = tail.strip().split("\n");
      if (start == 0 || lines.length > 1) {
        break;
      }
      window *= 4;
    }
    JsonNode last = Json.parse(lines[lines.length - 1], file.toString());
    lastSeq = last.path("seq").asLong();
    return last.path("hash").asText();
  }

  private void restrict() {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | UnsupportedOperationException e) {
      // Not a POSIX file system: nothing more we can do.
    }
  }

  static ObjectNode toJson(AuditEntry e, long seq, String prev) {
    ObjectNode o = Json.object();
    o.put("seq", seq);
    o.put("time", e.time());
    o.put("actor", e.actor());
    o.put("session", e.session());
    o.put("command", e.command());
    o.put("outcome", e.outcome());
    ObjectNode pub = o.putObject("published");
    new TreeMap<>(e.published()).forEach(pub::put);
    o.put("prev", prev);
    return o;
  }

  /** SHA-256 of the canonical line without its own {@code hash} member. */
  static String hashOf(JsonNode line) {
    ObjectNode copy = ((ObjectNode) line).deepCopy();
    copy.remove("hash");
    return Hex.encode(Crypto.sha256(CanonicalJson.encode(copy)));
  }

}
