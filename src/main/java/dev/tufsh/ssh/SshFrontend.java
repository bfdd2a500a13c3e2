package dev.tufsh.ssh;

import dev.tufsh.cli.CommandLines;
import dev.tufsh.cli.CommandText;
import dev.tufsh.cli.Errors;
import dev.tufsh.cli.ExitCodes;
import dev.tufsh.cli.Interaction;
import dev.tufsh.cli.Session;
import dev.tufsh.errors.TufshException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.forward.DirectTcpipFactory;
import org.apache.sshd.server.session.ServerSession;

/**
 * The SSH server: public-key authentication against authorized_keys, the REPL on shell channels,
 * one command line on exec channels, nothing else. Each channel gets its own {@link Session}
 * (actor {@code ssh:SHA256:... comment}, the key's permissions) and each command a fresh picocli
 * command line, so concurrent sessions share no mutable command state; writers are kept apart by
 * the workspace's publish lock.
 */
public final class SshFrontend implements AutoCloseable {
  /** How to run the server; {@code passphraseFile} may be null (then TUFSH_PASSPHRASE or a prompt). */
  public record Options(
      String bind, int port, Path hostKey, Path authorizedKeys, Duration idleTimeout, Path repo, Path passphraseFile) {}

  private static final org.apache.sshd.common.AttributeRepository.AttributeKey<Boolean> KEYS_EXCHANGED =
      new org.apache.sshd.common.AttributeRepository.AttributeKey<>();

  private final Options options;
  private final SshServer server;
  private final String fingerprint;
  private final ServerAudit audit;
  private final Clock clock = Clock.systemUTC();

  private SshFrontend(Options options, SshServer server, String fingerprint, ServerAudit audit) {
    this.options = options;
    this.server = server;
    this.fingerprint = fingerprint;
    this.audit = audit;
  }

  /** Starts listening; port 0 picks a free port ({@link #port} tells which). */
  public static SshFrontend start(Options o) {
    Path repo = o.repo().toAbsolutePath().normalize();
    Options opts = new Options(o.bind(), o.port(), o.hostKey(), o.authorizedKeys(), o.idleTimeout(), repo,
        o.passphraseFile() == null ? null : o.passphraseFile().toAbsolutePath());
    AuthorizedKeys keys = new AuthorizedKeys(opts.authorizedKeys());
    if (keys.count() == 0) {
      throw new TufshException("authorized keys " + opts.authorizedKeys() + ": no ed25519, ecdsa or rsa key");
    }
    KeyPair hostKey = HostKey.loadOrCreate(opts.hostKey());
    ServerAudit audit = new ServerAudit(repo, Clock.systemUTC());
    SshServer sshd = SshServer.setUpDefaultServer();
    SshFrontend frontend = new SshFrontend(opts, sshd, HostKey.fingerprint(hostKey), audit);
    sshd.setHost(opts.bind());
    sshd.setPort(opts.port());
    sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
    sshd.setPublickeyAuthenticator(new KeyAuthenticator(keys, audit));
    sshd.setPasswordAuthenticator(null);
    sshd.setKeyboardInteractiveAuthenticator(null);
    sshd.setHostBasedAuthenticator(null);
    sshd.setGSSAuthenticator(null);
    sshd.setForwardingFilter(new RefusingForwardingFilter(audit));
    // direct-tcpip stays known so that a refused -L tunnel reaches the filter and is audited.
    sshd.setChannelFactories(List.of(GuardedChannelSession.factory(audit), DirectTcpipFactory.INSTANCE));
    sshd.setSubsystemFactories(List.of());
    sshd.setShellFactory(channel -> new ShellCommand(frontend));
    sshd.setCommandFactory((channel, command) -> new ExecCommand(frontend, command));
    CoreModuleProperties.IDLE_TIMEOUT.set(sshd, opts.idleTimeout());
    sshd.addSessionListener(new SessionListener() {
      @Override
      public void sessionEvent(org.apache.sshd.common.session.Session session, Event event) {
        if (event == Event.KeyEstablished) {
          session.setAttribute(KEYS_EXCHANGED, Boolean.TRUE);
        }
      }

      @Override
      public void sessionClosed(org.apache.sshd.common.session.Session session) {
        // A client that got as far as authentication and left without it: a password or other
        // method it wanted is not offered (sshd never tells us which), or no key was accepted.
        if (session instanceof ServerSession s && !s.isAuthenticated() && s.getAttribute(KEYS_EXCHANGED) != null
            && !KeyAuthenticator.refusedAny(s)) {
          audit.refused(s, ServerAudit.actor(s), "connect from " + ServerAudit.remote(s),
              "left without authenticating (only public-key authentication is offered; password,"
                  + " keyboard-interactive and host-based are disabled)");
        }
      }
    });
    try {
      sshd.start();
    } catch (IOException e) {
      throw new TufshException("cannot listen on " + opts.bind() + ":" + opts.port() + ": " + e.getMessage(), e);
    }
    return frontend;
  }

  public int port() {
    return server.getPort();
  }

  /** The host key's SHA256 fingerprint, as {@code ssh} shows it. */
  public String hostKeyFingerprint() {
    return fingerprint;
  }

  public Options options() {
    return options;
  }

  @Override
  public void close() {
    try {
      server.stop(true);
    } catch (IOException e) {
      // stopping immediately: nothing left to report
    }
  }

  /** A session for one channel of the key {@code grant}. */
  Session session(KeyGrant grant, PrintWriter out, PrintWriter err, Interaction interaction, boolean color) {
    return new Session(options.repo(), out, err, interaction, clock, grant.actor(), color)
        .permissions(new KeyPermissions(grant));
  }

  /** Runs a command line (commands separated by ';'); stops at the first failure, returns its status. */
  int runLine(Session session, String text) {
    List<List<String>> commands;
    try {
      commands = CommandText.commands(text);
    } catch (RuntimeException e) {
      session.err().println("tufsh: " + Errors.message(e));
      session.err().flush();
      return ExitCodes.USAGE;
    }
    int status = ExitCodes.OK;
    for (List<String> words : commands) {
      status = runWords(session, words);
      if (status != ExitCodes.OK) {
        break;
      }
    }
    return status;
  }

  /** Runs one command typed by the key holder, after the server's own checks. */
  int runWords(Session session, List<String> words) {
    try {
      RemoteCommandGuard.check(session, words);
    } catch (RemoteCommandGuard.Refused e) {
      session.err().println("tufsh: error: " + e.getMessage());
      try {
        audit.refused(session.actor(), session.id(), String.join(" ", words), e.getMessage());
      } catch (dev.tufsh.errors.AuditError ae) {
        session.err().println("tufsh: error: " + ae.getMessage());
      }
      session.err().flush();
      return ExitCodes.FAILED;
    }
    List<String> args = new ArrayList<>();
    if (options.passphraseFile() != null) {
      args.add("--passphrase-file");
      args.add(options.passphraseFile().toString());
    }
    // Server options go first but are not the key holder's words: recordings stay replayable.
    return CommandLines.execute(session, args, words);
  }
}
