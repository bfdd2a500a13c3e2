package dev.tufsh.ssh;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * Accepts a key found in authorized_keys whose line's restrictions ({@code from=},
 * {@code expiry-time=}) allow this connection, and remembers the line's grant on the session (the
 * last key checked is the one whose signature sshd then verifies). Refused keys are audited once
 * per key and connection, and only the first few per source and window ({@link FailedAttempts}).
 */
final class KeyAuthenticator implements PublickeyAuthenticator {
  static final AttributeKey<KeyGrant> GRANT = new AttributeKey<>();
  private static final AttributeKey<Set<String>> REFUSED = new AttributeKey<>();

  private final AuthorizedKeys keys;
  private final ServerAudit audit;
  private final Clock clock;

  KeyAuthenticator(AuthorizedKeys keys, ServerAudit audit, Clock clock) {
    this.keys = keys;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public boolean authenticate(String username, PublicKey key, ServerSession session) {
    session.removeAttribute(GRANT);
    Optional<KeyGrant> grant;
    try {
      grant = keys.find(key);
    } catch (RuntimeException e) {
      refuse(session, "ssh:server", username, e.getMessage());
      return false;
    }
    String fp = KeyUtils.getFingerPrint(key);
    if (grant.isEmpty()) {
      refuse(session, "ssh:" + fp + " (unknown key)", username, "key not in " + keys.file());
      return false;
    }
    Optional<String> why = grant.get().restrictions().refusal(address(session), clock.instant());
    if (why.isPresent()) {
      refuse(session, grant.get().actor(), username, why.get());
      return false;
    }
    session.setAttribute(GRANT, grant.get());
    return true;
  }

  private void refuse(ServerSession session, String actor, String username, String why) {
    Set<String> seen = session.computeAttributeIfAbsent(REFUSED, k -> new HashSet<>());
    if (seen.add(actor)) {
      audit.preAuth(session, actor, "authenticate " + username + " from " + ServerAudit.remote(session), why);
    }
  }

  /** Whether any key was offered on {@code session} and refused. */
  static boolean refusedAny(ServerSession session) {
    Set<String> seen = session.getAttribute(REFUSED);
    return seen != null && !seen.isEmpty();
  }

  static InetAddress address(ServerSession session) {
    return session.getRemoteAddress() instanceof InetSocketAddress i ? i.getAddress()
        : InetAddress.getLoopbackAddress();
  }
}
