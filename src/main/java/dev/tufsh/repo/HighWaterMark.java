package dev.tufsh.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The highest version of every role tufsh ever published ({@code .tufsh/high-water.json}), kept so
 * that what clients have seen is never taken back: a {@code metadata/} restored from a backup would
 * otherwise get versions clients already hold with other content, and every client that saw the
 * newer ones would stop updating. Publish refuses a role at or below its mark, and refuses different
 * bytes for a versioned file it already promised ({@code N.ROLE.json}). The mark only rises; callers
 * add what the audit log remembers ({@link #raise}) so deleting this file is not enough to rewind it.
 */
public final class HighWaterMark {
  private final Path file;
  private final Map<String, Integer> marks;
  private boolean afterRestore;
  /** How far into the audit log the marks include its record (its own OFFSET:SEQ:HASH form), or null. */
  private String auditPosition;

  private HighWaterMark(Path file, Map<String, Integer> marks, String auditPosition) {
    this.file = file;
    this.marks = marks;
    this.auditPosition = auditPosition;
  }

  public static HighWaterMark load(Workspace ws) {
    Path f = ws.highWaterFile();
    Map<String, Integer> m = new HashMap<>();
    String audit = null;
    if (Files.exists(f)) {
      JsonNode doc = Json.parse(new String(AtomicFiles.readBounded(f, 64L << 20), java.nio.charset.StandardCharsets.UTF_8),
          f.toString());
      doc.path("roles").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asInt()));
      audit = doc.path("audit_position").isTextual() ? doc.path("audit_position").asText() : null;
    }
    return new HighWaterMark(f, m, audit);
  }

  /** How far into the audit log the marks already include (null: not at all; scan it whole). */
  public String auditPosition() {
    return auditPosition;
  }

  /**
   * Raises the marks to what the audit log records up to {@code position} (its own form), which is
   * kept with the marks so the next publish reads only what the log gained since.
   */
  public HighWaterMark raiseFromAudit(Map<String, Integer> seen, String position) {
    raise(seen);
    this.auditPosition = position;
    return this;
  }

  /** The highest version of {@code role} ever published (0: never). */
  public int mark(String role) {
    return marks.getOrDefault(role, 0);
  }

  /** Raises marks to versions known from elsewhere (the audit log); never lowers one. */
  public HighWaterMark raise(Map<String, Integer> seen) {
    seen.forEach((role, v) -> marks.merge(role, v, Math::max));
    return this;
  }

  /** Accepts publishing over a {@code metadata/} that is behind the mark (restored from a backup). */
  public HighWaterMark afterRestore(boolean accept) {
    this.afterRestore = accept;
    return this;
  }

  /**
   * Refuses a plan that would show clients an older version of anything, or rewrite a promised
   * file. {@code snapshotIsOurs}: the snapshot clients see is the very
   * file tufsh last published (the verified index is bound to its hash). Then, with neither it nor
   * the timestamp behind its mark and no restore accepted, no role it lists can be behind its mark
   * (every publish leaves each listed role at or above it), and the scan of every mark (16,384
   * bins for one upload) is left out.
   */
  void check(Repository repo, Plan plan, boolean snapshotIsOurs) {
    int tsNow = repo.publishedVersion("timestamp");
    int tsMark = mark("timestamp");
    if (tsNow < tsMark && !afterRestore) {
      throw new WorkspaceError("metadata/ is older than what clients have seen: timestamp.json is version " + tsNow
          + " but version " + tsMark + " was published (" + source() + "); was metadata/ restored from a backup?"
          + " What was published after that backup is missing from it. To publish above the mark anyway,"
          + " run 'publish --after-restore'");
    }
    java.util.Set<String> inPlan = new java.util.HashSet<>();
    for (PlanEntry e : plan.entries()) {
      inPlan.add(e.role());
      if (e.newVersion() <= mark(e.role())) {
        throw new WorkspaceError(refusal(e.role(), e.newVersion()));
      }
    }
    boolean current = snapshotIsOurs && !afterRestore && tsNow >= tsMark
        && repo.publishedVersion("snapshot") >= mark("snapshot");
    for (var m : current ? java.util.List.<Map.Entry<String, Integer>>of() : marks.entrySet()) {
      String role = m.getKey();
      if (!inPlan.contains(role) && repo.publishedVersion(role) > 0 && repo.publishedVersion(role) < m.getValue()) {
        throw new WorkspaceError(refusal(role, repo.publishedVersion(role)));
      }
    }
    Path meta = repo.workspace().metadataDir();
    for (var e : plan.newFiles().entrySet()) {
      String name = e.getKey();
      if (name.equals(FileNames.TIMESTAMP)) {
        continue;
      }
      Path p = meta.resolve(name);
      if (Files.exists(p) && promised(repo, name) && !Arrays.equals(AtomicFiles.read(p), e.getValue())) {
        throw new WorkspaceError(name + " is already published with other content; refusing to rewrite it (a"
            + " version number promises its bytes): stage a new version above " + mark(roleOf(name)));
      }
    }
  }

  private String refusal(String role, int version) {
    return "refusing to publish " + role + " version " + version + ": version " + mark(role) + " was published"
        + " before (" + source() + ") and clients that saw it reject older ones; metadata/ looks restored from a"
        + " backup. Stage a new version above the mark ('tufsh resign " + role + "' gives it version "
        + (mark(role) + 1) + ") and publish again";
  }

  private String source() {
    return "high-water mark in " + file.getParent().getFileName() + "/" + file.getFileName() + " and the audit log";
  }

  /** Whether {@code N.ROLE.json} was (or may have been) published: else it is debris of a killed publish. */
  private boolean promised(Repository repo, String name) {
    int dot = name.indexOf('.');
    int version = Integer.parseInt(name.substring(0, dot));
    String role = roleOf(name);
    return version <= Math.max(repo.publishedVersion(role), mark(role));
  }

  private static String roleOf(String name) {
    return name.substring(name.indexOf('.') + 1, name.length() - ".json".length());
  }

  /** Raises the marks to what was just published, written before the staging area is cleared. */
  void record(Map<String, Integer> published) {
    raise(published);
    ObjectNode o = Json.object();
    ObjectNode roles = o.putObject("roles");
    new TreeMap<>(marks).forEach(roles::put);
    if (auditPosition != null) {
      o.put("audit_position", auditPosition);
    }
    AtomicFiles.writePrivate(file, CanonicalJson.encodeFile(o));
  }
}
