package dev.tufsh.ssh;

import dev.tufsh.cli.CommandLines;
import dev.tufsh.cli.CommandText;
import dev.tufsh.cli.Errors;
import dev.tufsh.cli.ExitCodes;
import dev.tufsh.cli.Interaction;
import dev.tufsh.cli.Session;
import dev.tufsh.errors.TufshException;
import dev.tufsh.files.FileModes;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoServiceEventListener;
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
  /**
   * How to run the server; {@code passphraseFile} may be null (then TUFSH_PASSPHRASE or a prompt).
   * {@code vault} and {@code pkcs11} name the key backends remote key holders may register keys on
   * (name to Vault address, name to PKCS#11 module path); {@code warnings} gets skipped
   * authorized_keys lines; {@code failureLimit} failed connections a minute shut a source out
   * (0: {@value #FAILURE_LIMIT}).
   */
  public record Options(
      String bind, int port, Path hostKey, Path authorizedKeys, Duration idleTimeout, Path repo, Path passphraseFile,
      Map<String, String> vault, Map<String, String> pkcs11, Consumer<String> warnings, int failureLimit) {
    public Options {
      vault = Map.copyOf(vault);
      pkcs11 = Map.copyOf(pkcs11);
      warnings = warnings == null ? w -> {} : warnings;
      failureLimit = failureLimit > 0 ? failureLimit : FAILURE_LIMIT;
    }

    public Options(String bind, int port, Path hostKey, Path authorizedKeys, Duration idleTimeout, Path repo,
        Path passphraseFile) {
      this(bind, port, hostKey, authorizedKeys, idleTimeout, repo, passphraseFile, Map.of(), Map.of(), null, 0);
    }
  }

  /** Failed connections per source within {@link #FAILURE_WINDOW} before the source is shut out (default). */
  static final int FAILURE_LIMIT = 10;
  static final Duration FAILURE_WINDOW = Duration.ofMinutes(1);

  private static final org.apache.sshd.common.AttributeRepository.AttributeKey<Boolean> KEYS_EXCHANGED =
      new org.apache.sshd.common.AttributeRepository.AttributeKey<>();

  private final Options options;
  private final SshServer server;
  private final String fingerprint;
  private final ServerAudit audit;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tufsh-ssh-idle");
    t.setDaemon(true);
    return t;
  });

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
        o.passphraseFile() == null ? null : o.passphraseFile().toAbsolutePath(), o.vault(), o.pkcs11(), o.warnings(),
        o.failureLimit());
    AuthorizedKeys keys = new AuthorizedKeys(opts.authorizedKeys(), opts.warnings());
    if (keys.count() == 0) {
      throw new TufshException("authorized keys " + opts.authorizedKeys() + ": no usable ed25519, ecdsa or rsa key");
    }
    exchangeFolders(repo);
    KeyPair hostKey = HostKey.loadOrCreate(opts.hostKey());
    ServerAudit audit = new ServerAudit(repo, Clock.systemUTC(),
        new FailedAttempts(opts.failureLimit(), FAILURE_WINDOW, Clock.systemUTC()));
    SshServer sshd = SshServer.setUpDefaultServer();
    SshFrontend frontend = new SshFrontend(opts, sshd, HostKey.fingerprint(hostKey), audit);
    sshd.setHost(opts.bind());
    sshd.setPort(opts.port());
    sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
    sshd.setPublickeyAuthenticator(new KeyAuthenticator(keys, audit, Clock.systemUTC()));
    sshd.setPasswordAuthenticator(null);
    sshd.setKeyboardInteractiveAuthenticator(null);
    sshd.setHostBasedAuthenticator(null);
    sshd.setGSSAuthenticator(null);
    sshd.setForwardingFilter(new RefusingForwardingFilter(audit));
    // direct-tcpip stays known so that a refused -L tunnel reaches the filter and is audited.
    sshd.setChannelFactories(List.of(GuardedChannelSession.factory(audit), DirectTcpipFactory.INSTANCE));
    sshd.setSubsystemFactories(List.of());
    // The REPL needs a terminal: without a pty (ssh -T, no-pty keys) the shell runs its piped lines.
    sshd.setShellFactory(channel -> channel instanceof GuardedChannelSession g && g.hasPty()
        ? new ShellCommand(frontend) : ExecCommand.piped(frontend));
    sshd.setCommandFactory((channel, command) -> new ExecCommand(frontend, command));
    CoreModuleProperties.IDLE_TIMEOUT.set(sshd, opts.idleTimeout());
    // What an unauthenticated client may cost: a few keys, half a minute, then the door.
    CoreModuleProperties.AUTH_TIMEOUT.set(sshd, Duration.ofSeconds(30));
    CoreModuleProperties.MAX_AUTH_REQUESTS.set(sshd, 6);
    CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(sshd, 4);
    sshd.setIoServiceEventListener(new IoServiceEventListener() {
      @Override
      public void connectionAccepted(IoAcceptor acceptor, SocketAddress local, SocketAddress remote,
          SocketAddress service) throws IOException {
        if (remote instanceof InetSocketAddress i && audit.attempts().blocked(i.getAddress().getHostAddress())) {
          throw new IOException("too many failed connections from " + i.getAddress().getHostAddress());
        }
      }
    });
    sshd.addSessionListener(new SessionListener() {
      @Override
      public void sessionEvent(org.apache.sshd.common.session.Session session, Event event) {
        if (event == Event.KeyEstablished) {
          session.setAttribute(KEYS_EXCHANGED, Boolean.TRUE);
        }
      }

      @Override
      public void sessionClosed(org.apache.sshd.common.session.Session session) {
        // A client that left without authenticating: a password or other method it wanted is not
        // offered (sshd never tells us which), no key was accepted, or it never finished the key
        // exchange (a scanner). Each counts against its source.
        if (session instanceof ServerSession s && !s.isAuthenticated()) {
          audit.failedConnection(s, KeyAuthenticator.refusedAny(s) || s.getAttribute(KEYS_EXCHANGED) == null);
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

  /** Creates incoming/ and outgoing/ (owner-only) in an existing workspace; the operator fills and empties them. */
  private static void exchangeFolders(Path repo) {
    if (!java.nio.file.Files.isDirectory(repo)) {
      return;
    }
    for (String name : List.of(dev.tufsh.ops.FileScope.INCOMING, dev.tufsh.ops.FileScope.OUTGOING)) {
      Path d = repo.resolve(name);
      if (java.nio.file.Files.exists(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        java.nio.file.Files.createDirectory(d, FileModes.ownerOnlyDir());
      } catch (IOException e) {
        throw new TufshException("cannot create the exchange folder " + d + ": " + e.getClass().getSimpleName(), e);
      }
    }
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
    timers.shutdownNow();
    try {
      server.stop(true);
    } catch (IOException e) {
      // stopping immediately: nothing left to report
    }
  }

  /** Runs {@code task} after {@code delay} on the server's timer thread (idle shells). */
  ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    return timers.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * A session for one channel of the key {@code grant}: remote, so every command line it runs is
   * checked against the remote policy for this key, files come only from the exchange folders,
   * passphrases from the server's own file, and key backends from the operator's list.
   */
  Session session(KeyGrant grant, PrintWriter out, PrintWriter err, Interaction interaction, boolean color) {
    return new Session(options.repo(), out, err, interaction, clock, grant.actor(), color)
        .permissions(new KeyPermissions(grant))
        .remote(new RemoteCommandCheck(grant, options.repo()))
        .passphraseFile(options.passphraseFile())
        .backends(options.vault(), options.pkcs11());
  }

  /** Runs a command line (commands separated by ';'); stops at the first failure, returns its status. */
  int runLine(Session session, String text) {
    List<List<String>> commands;
    try {
      RemoteLine.checkText(text);
      commands = CommandText.commands(text);
    } catch (RuntimeException e) {
      return refuse(session, text, e);
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

  /**
   * Runs one command typed by the key holder. Its words are all there is: the server's own
   * settings (workspace, passphrase file) come from the session, never from arguments, so the
   * policy sees exactly what the key holder gave.
   */
  int runWords(Session session, List<String> words) {
    try {
      RemoteLine.checkWords(words);
    } catch (RuntimeException e) {
      return refuse(session, String.join(" ", words), e);
    }
    return CommandLines.execute(session, words);
  }

  private int refuse(Session session, String text, RuntimeException e) {
    session.err().println("tufsh: " + Errors.message(e));
    try {
      audit.refused(session.actor(), session.id(), text, Errors.message(e));
    } catch (dev.tufsh.errors.AuditError ae) {
      // fails closed: the command is refused either way, and the holder is told it is not on record
      session.err().println("tufsh: error: " + ae.getMessage());
    }
    session.err().flush();
    return ExitCodes.USAGE;
  }
}
