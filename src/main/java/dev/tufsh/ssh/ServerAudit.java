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
 * Writes what the server refused (unknown keys, forwarding, subsystems, malformed command lines) to
 * the workspace audit log, beside the commands that {@code CommandLines} audits. Like commands,
 * nothing is written before the workspace exists. Entries name keys by fingerprint, never carry
 * secrets, and hold only bounded, printable text: a client chooses its user name and command line,
 * and neither may bloat or forge the log. Before authentication only the first few refusals per
 * source and window are written ({@link FailedAttempts}).
 */
final class ServerAudit {
  static final int MAX_FIELD = 256;

  private final Path repo;
  private final Clock clock;
  private final FailedAttempts attempts;

  ServerAudit(Path repo, Clock clock, FailedAttempts attempts) {
    this.repo = repo;
    this.clock = clock;
    this.attempts = attempts;
  }

  FailedAttempts attempts() {
    return attempts;
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

  /** A refusal before authentication: written only while its source is within its audited few. */
  void preAuth(Session session, String actor, String what, String why) {
    if (attempts.failures(source(session)) < FailedAttempts.AUDITED_PER_WINDOW) {
      refused(session, actor, what, why);
    }
  }

  /** Counts a connection that ended unauthenticated, and audits it if it is among the few. */
  void failedConnection(Session session, boolean keyRefused) {
    String src = source(session);
    switch (attempts.fail(src)) {
      case AUDIT -> {
        if (!keyRefused) {
          refused(session, actor(session), "connect from " + remote(session),
              "left without authenticating (only public-key authentication is offered; password,"
                  + " keyboard-interactive and host-based are disabled)");
        }
      }
      case BLOCKED -> refused(session, "ssh:unauthenticated " + src, "connect from " + src,
          attempts.failures(src) + " failed connections within " + attempts.window().toSeconds()
              + " s; further connections from " + src + " are closed unaudited until the window ends");
      case COUNT -> {
        // counted only: the source has had its audited few
      }
    }
  }

  /** Records a refusal; throws {@link AuditError} when the log cannot take it. */
  void refused(String actor, String sessionLabel, String what, String why) {
    Path dir = repo.resolve(".tufsh");
    if (!Files.isDirectory(dir)) {
      return;
    }
    new AuditLog(dir.resolve("audit.log"))
        .append(new AuditEntry(Instant.now(clock).toString(), bounded(actor), bounded(sessionLabel), bounded(what),
            "refused: " + bounded(why), Map.of()));
  }

  /** {@code s} with control and format characters escaped and cut to {@link #MAX_FIELD} characters. */
  static String bounded(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < MAX_FIELD; ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (RemoteLine.unprintable(c)) {
        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
      } else {
        b.appendCodePoint(c);
      }
    }
    if (b.length() >= MAX_FIELD) {
      b.setLength(MAX_FIELD);
      b.append("... (").append(s.length()).append(" characters)");
    }
    return b.toString();
  }

  /** The actor of {@code session}: its key once authenticated, else who it claims to be and from where. */
  static String actor(Session session) {
    KeyGrant g = session.getAttribute(KeyAuthenticator.GRANT);
    if (g != null) {
      return g.actor();
    }
    String user = session.getUsername();
    return "ssh:unauthenticated " + (user == null ? "" : bounded(user) + "@") + remote(session);
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

  /** The source address without the port: what failures are counted by. */
  static String source(Session session) {
    var a = session.getRemoteAddress();
    return a instanceof java.net.InetSocketAddress i ? i.getAddress().getHostAddress() : String.valueOf(a);
  }
}
