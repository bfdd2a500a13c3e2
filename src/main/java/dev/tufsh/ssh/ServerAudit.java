package dev.tufsh.ssh;

import dev.tufsh.audit.AuditEntry;
import dev.tufsh.audit.AuditLog;
import dev.tufsh.errors.AuditError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apache.sshd.common.session.Session;

/**
 * Writes what the server refused (unknown keys, forwarding, subsystems, disallowed commands) to the
 * workspace audit log, beside the commands that {@code CommandLines} audits. Like commands, nothing
 * is written before the workspace exists. Entries name keys by fingerprint, never carry secrets.
 */
final class ServerAudit {
  private final Path repo;
  private final Clock clock;

  ServerAudit(Path repo, Clock clock) {
    this.repo = repo;
    this.clock = clock;
  }

  /**
   * Records a refusal on a connection. Fails closed: when the log cannot take the record, the
   * connection is closed at once, so nothing goes on unrecorded.
   */
  void refused(Session session, String actor, String what, String why) {
    try {
      refused(actor, label(session), what, why);
    } catch (AuditError e) {
      session.close(true);
    }
  }

  /** Records a refusal; throws {@link AuditError} when the log cannot take it. */
  void refused(String actor, String sessionLabel, String what, String why) {
    Path dir = repo.resolve(".tufsh");
    if (!Files.isDirectory(dir)) {
      return;
    }
    new AuditLog(dir.resolve("audit.log"))
        .append(new AuditEntry(Instant.now(clock).toString(), actor, sessionLabel, what, "refused: " + why, Map.of()));
  }

  /** The actor of {@code session}: its key once authenticated, else who it claims to be and from where. */
  static String actor(Session session) {
    KeyGrant g = session.getAttribute(KeyAuthenticator.GRANT);
    if (g != null) {
      return g.actor();
    }
    String user = session.getUsername();
    return "ssh:unauthenticated " + (user == null ? "" : user + "@") + remote(session);
  }

  static String label(Session session) {
    return "ssh-" + remote(session);
  }

  static String remote(Session session) {
    var a = session.getRemoteAddress();
    if (a instanceof java.net.InetSocketAddress i) {
      return i.getAddress().getHostAddress() + ":" + i.getPort();
    }
    return String.valueOf(a);
  }
}
