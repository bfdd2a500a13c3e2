package dev.tufsh.ops;

import dev.tufsh.files.FileModes;
import dev.tufsh.repo.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Check.Result} in Prometheus' text exposition format, for node_exporter's textfile
 * collector. Every role but the hashed bins gets its own series; the bins (16384 in PEP 458) are
 * folded into a few series (soonest expiry, lowest version, how many lack their threshold) so a
 * scrape stays small.
 */
public final class CheckMetrics {
  private CheckMetrics() {}

  public static String render(Check.Result r) {
    StringBuilder b = new StringBuilder();
    gauge(b, "tufsh_check_status", "Worst finding: 0 ok, 1 warning, 2 critical.");
    b.append("tufsh_check_status ").append(r.severity().ordinal()).append('\n');
    List<Check.RoleState> named = r.roles().stream().filter(s -> !s.kind().equals("bin")).toList();
    List<Check.RoleState> bins = r.roles().stream().filter(s -> s.kind().equals("bin")).toList();
    gauge(b, "tufsh_role_expiry_seconds", "Seconds until the published role expires (negative: expired).");
    named.forEach(s -> series(b, "tufsh_role_expiry_seconds", s, s.secondsLeft()));
    gauge(b, "tufsh_role_version", "Published version of the role.");
    named.forEach(s -> series(b, "tufsh_role_version", s, s.version()));
    gauge(b, "tufsh_role_signatures", "Signatures present from keys the role trusts.");
    named.forEach(s -> series(b, "tufsh_role_signatures", s, s.signatures()));
    gauge(b, "tufsh_role_threshold", "Signatures the role needs.");
    named.forEach(s -> series(b, "tufsh_role_threshold", s, s.threshold()));
    gauge(b, "tufsh_bins", "Hashed bins published.");
    b.append("tufsh_bins ").append(bins.size()).append('\n');
    if (!bins.isEmpty()) {
      gauge(b, "tufsh_bins_expiry_seconds_min", "Seconds until the soonest-expiring bin expires.");
      b.append("tufsh_bins_expiry_seconds_min ")
          .append(bins.stream().mapToLong(Check.RoleState::secondsLeft).min().orElse(0)).append('\n');
      gauge(b, "tufsh_bins_version_min", "Lowest published bin version.");
      b.append("tufsh_bins_version_min ")
          .append(bins.stream().mapToInt(Check.RoleState::version).min().orElse(0)).append('\n');
      gauge(b, "tufsh_bins_below_threshold", "Bins signed by fewer keys than their threshold.");
      b.append("tufsh_bins_below_threshold ")
          .append(bins.stream().filter(s -> s.signatures() < s.threshold()).count()).append('\n');
    }
    if (r.lastPublish() != null) {
      gauge(b, "tufsh_last_publish_timestamp_seconds", "When timestamp.json was last written (Unix time).");
      b.append("tufsh_last_publish_timestamp_seconds ").append(r.lastPublish().getEpochSecond()).append('\n');
    }
    gauge(b, "tufsh_audit_entries", "Entries in the workspace's audit log.");
    b.append("tufsh_audit_entries ").append(r.auditEntries()).append('\n');
    gauge(b, "tufsh_audit_chain_ok", "1 when the audit log's hash chain verifies.");
    b.append("tufsh_audit_chain_ok ").append(r.auditOk() ? 1 : 0).append('\n');
    gauge(b, "tufsh_staged_changes", "Changes staged and not yet published.");
    b.append("tufsh_staged_changes ").append(r.staged()).append('\n');
    return b.toString();
  }

  /** Written beside the target and renamed, so the collector never reads half a file; world-readable. */
  public static void write(Path file, Check.Result r) {
    AtomicFiles.write(file, render(r).getBytes(StandardCharsets.UTF_8));
    try {
      Files.setPosixFilePermissions(file, FileModes.PUBLIC_FILE);
    } catch (IOException | UnsupportedOperationException e) {
      // the collector runs as another user only where POSIX modes exist
    }
  }

  private static void gauge(StringBuilder b, String name, String help) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" gauge\n");
  }

  private static void series(StringBuilder b, String name, Check.RoleState s, long value) {
    b.append(name).append("{role=\"").append(label(s.role())).append("\",kind=\"").append(label(s.kind()))
        .append("\"} ").append(String.format(Locale.ROOT, "%d", value)).append('\n');
  }

  /** Label values escape backslash, double quote and newline (the exposition format's rule). */
  static String label(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
