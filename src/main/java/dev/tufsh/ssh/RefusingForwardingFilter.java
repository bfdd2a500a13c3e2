package dev.tufsh.ssh;

import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;

/**
 * Refuses every kind of forwarding (local, remote, agent, X11) and audits each request: an admin
 * shell has no business opening tunnels into or out of the signing host. The client sees
 * "administratively prohibited".
 */
final class RefusingForwardingFilter implements ForwardingFilter {
  private final ServerAudit audit;

  RefusingForwardingFilter(ServerAudit audit) {
    this.audit = audit;
  }

  @Override
  public boolean canForwardAgent(Session session, String requestType) {
    audit.refused(session, ServerAudit.actor(session), "agent forwarding (" + requestType + ")",
        "agent forwarding is disabled");
    return false;
  }

  @Override
  public boolean canForwardX11(Session session, String requestType) {
    audit.refused(session, ServerAudit.actor(session), "X11 forwarding (" + requestType + ")",
        "X11 forwarding is disabled");
    return false;
  }

  @Override
  public boolean canListen(SshdSocketAddress address, Session session) {
    audit.refused(session, ServerAudit.actor(session), "remote port forwarding (listen on " + address + ")",
        "port forwarding is disabled");
    return false;
  }

  @Override
  public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
    audit.refused(session, ServerAudit.actor(session),
        (type == Type.Direct ? "local" : "forwarded") + " port forwarding (connect to " + address + ")",
        "port forwarding is disabled");
    return false;
  }
}
