package dev.tufsh.ssh;

import java.security.PublicKey;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * Accepts a key found in authorized_keys and remembers its line's grant on the session (the last
 * key checked is the one whose signature sshd then verifies). Unknown keys are audited, once per
 * key and connection (a client offers each key once, then signs with it).
 */
final class KeyAuthenticator implements PublickeyAuthenticator {
  static final AttributeKey<KeyGrant> GRANT = new AttributeKey<>();
  private static final AttributeKey<Set<String>> REFUSED = new AttributeKey<>();

  private final AuthorizedKeys keys;
  private final ServerAudit audit;

  KeyAuthenticator(AuthorizedKeys keys, ServerAudit audit) {
    this.keys = keys;
    this.audit = audit;
  }

  @Override
  public boolean authenticate(String username, PublicKey key, ServerSession session) {
    Optional<KeyGrant> grant;
    try {
      grant = keys.find(key);
    } catch (RuntimeException e) {
      audit.refused(session, "ssh:server", "authenticate " + username, e.getMessage());
      return false;
    }
    if (grant.isPresent()) {
      session.setAttribute(GRANT, grant.get());
      return true;
    }
    session.removeAttribute(GRANT);
    String fp = KeyUtils.getFingerPrint(key);
    Set<String> seen = session.computeAttributeIfAbsent(REFUSED, k -> new HashSet<>());
    if (seen.add(fp)) {
      audit.refused(session, "ssh:" + fp + " (unknown key)",
          "authenticate " + username + " from " + ServerAudit.remote(session), "key not in " + keys.file());
    }
    return false;
  }

  /** Whether any key was offered on {@code session} and refused. */
  static boolean refusedAny(ServerSession session) {
    Set<String> seen = session.getAttribute(REFUSED);
    return seen != null && !seen.isEmpty();
  }
}
