package dev.tufsh.ssh;

import java.io.IOException;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.server.channel.ChannelSession;

/**
 * A session channel that refuses subsystem requests (sftp and the like) and audits the refusal;
 * sshd's own channel would refuse them silently; refuses a pty to keys marked no-pty. Also fixes
 * the order of exit status and EOF.
 */
final class GuardedChannelSession extends ChannelSession {
  private final ServerAudit audit;
  private volatile boolean pty;

  GuardedChannelSession(ServerAudit audit) {
    this.audit = audit;
  }

  @Override
  protected RequestHandler.Result handleSubsystemParsed(String request, String subsystem) throws IOException {
    Session s = getSession();
    audit.refused(s, ServerAudit.actor(s), "subsystem " + subsystem, "subsystems are disabled");
    return RequestHandler.Result.ReplyFailure;
  }

  /** Honours no-pty (and restrict): the shell then runs without a terminal, as under sshd. */
  @Override
  protected RequestHandler.Result handlePtyReqParsed(String term, int columns, int rows, int width, int height,
      java.util.Map<org.apache.sshd.common.channel.PtyMode, Integer> modes) throws IOException {
    Session s = getSession();
    KeyGrant g = s.getAttribute(KeyAuthenticator.GRANT);
    if (g == null || g.restrictions().noPty()) {
      audit.refused(s, ServerAudit.actor(s), "pty-req", "the key's authorized_keys line says no-pty (or restrict)");
      return RequestHandler.Result.ReplyFailure;
    }
    RequestHandler.Result r = super.handlePtyReqParsed(term, columns, rows, width, height, modes);
    pty = r == RequestHandler.Result.ReplySuccess || r == RequestHandler.Result.Replied;
    return r;
  }

  /** Whether the client was given a pty: only then does the shell get a line editor. */
  boolean hasPty() {
    return pty;
  }

  /**
   * Sends the exit status before EOF, as OpenSSH's server does. sshd sends EOF first, and an OpenSSH
   * client that has already sent its own EOF (stdin at its end, or a ControlMaster connection)
   * closes the channel on seeing EOF both ways, so the status would be lost and ssh would exit 255.
   */
  @Override
  protected void closeShell(int exitValue, boolean closeImmediately) throws IOException {
    if (!isClosing()) {
      if (out != null) {
        out.flush();
      }
      if (err != null) {
        err.flush();
      }
      sendExitStatus(exitValue);
    }
    super.closeShell(exitValue, closeImmediately);
  }

  /** Makes a {@link GuardedChannelSession} for each "session" channel. */
  static ChannelFactory factory(ServerAudit audit) {
    return new ChannelFactory() {
      @Override
      public String getName() {
        return "session";
      }

      @Override
      public Channel createChannel(Session session) {
        return new GuardedChannelSession(audit);
      }
    };
  }
}
