package dev.tufsh.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.audit.AuditLog;
import dev.tufsh.audit.AuditVerifier;
import dev.tufsh.json.Json;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Root;
import dev.tufsh.model.Signatures;
import dev.tufsh.model.Timestamp;
import dev.tufsh.repo.PublishedState;
import dev.tufsh.repo.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Anchors the audit log outside {@code .tufsh/}: every published timestamp carries the log's head
 * (the publish's own intent record) as the signed member {@value #KEY}, so every client and mirror
 * that caches timestamp.json holds a copy nobody without the timestamp key can forge, and rewinding
 * it means rolling back the timestamp, which clients refuse. {@code audit verify} checks the log
 * against it, and against {@code --head} copies kept elsewhere.
 */
public final class AuditAnchor {
  /** The timestamp member holding {@code {"seq": N, "hash": "..."}}. */
  public static final String KEY = "x-tufsh-audit-head";

  private AuditAnchor() {}

  /** Puts the log's current head into the timestamp {@code repo} will publish next. */
  static void stamp(Repository repo) {
    AuditLog.Head head = new AuditLog(repo.workspace().auditLog()).head();
    if (head.seq() == 0) {
      return;
    }
    ObjectNode o = Json.object();
    o.put("seq", head.seq());
    o.put("hash", head.hash());
    repo.timestampExtra(KEY, o);
  }

  /** The head the published timestamp carries, if its signatures meet the published root's threshold. */
  public static Optional<AuditVerifier.Anchor> published(Path repo) {
    if (!Files.isDirectory(repo.resolve("metadata"))) {
      return Optional.empty();
    }
    PublishedState pub = new PublishedState(repo.resolve("metadata"));
    Optional<Metadata<Timestamp>> ts = pub.timestamp();
    Optional<Metadata<Root>> root = pub.root();
    if (ts.isEmpty() || root.isEmpty()) {
      return Optional.empty();
    }
    JsonNode h = ts.get().signed().extras().get(KEY);
    if (h == null) {
      return Optional.empty();
    }
    Root r = root.get().signed();
    String source = "the published timestamp (version " + ts.get().signed().version() + ")";
    if (!Signatures.check("timestamp", ts.get(), r.keys(), r.role(RoleType.TIMESTAMP)).thresholdMet()) {
      throw new dev.tufsh.errors.SignatureError(source + " is not signed by the root's timestamp keys");
    }
    return Optional.of(new AuditVerifier.Anchor(
        new AuditLog.Head(h.path("seq").asLong(), h.path("hash").asText()), source));
  }

  /**
   * Verifies the log of the workspace in {@code repo}: its chain, the head the published timestamp
   * carries, and {@code heads} kept elsewhere. A workspace whose log is missing or empty is broken:
   * init's own intent is its first line.
   */
  public static AuditVerifier.Result verify(Path repo, List<AuditLog.Head> heads) throws IOException {
    List<AuditVerifier.Anchor> anchors = new ArrayList<>();
    published(repo).ifPresent(anchors::add);
    for (AuditLog.Head h : heads) {
      anchors.add(new AuditVerifier.Anchor(h, "--head " + h));
    }
    Path log = repo.resolve(".tufsh").resolve("audit.log");
    boolean initialised = Files.exists(repo.resolve(".tufsh").resolve("settings.json"));
    if (initialised && (!Files.exists(log) || Files.size(log) == 0)) {
      return new AuditVerifier.Result(0, 1, "the audit log " + log + " is " + (Files.exists(log) ? "empty" : "missing")
          + ", but this workspace exists (its first line is init's): it was emptied or deleted");
    }
    return AuditVerifier.verify(log, anchors);
  }
}
