package dev.tufsh.ssh;

import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.CancelledException;
import dev.tufsh.cli.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: long-running frontends; today only {@code serve ssh}. */
@Command(
    name = "serve",
    description = "Serve the tufsh shell to remote operators.",
    subcommands = ServeCommand.Ssh.class)
public final class ServeCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "serve what? (serve ssh)");
  }

  @Command(
      name = "ssh",
      description = "Run an SSH server: a shell channel gets the tufsh shell on the client's terminal, an exec"
          + " channel runs one command line (ssh -p PORT HOST status --json) and returns its exit status.",
      footer = {
        "",
        "Only public-key authentication is offered. Each authorized_keys line may carry"
            + " tufsh-roles=\"GLOB,...\": the roles its holder may change (\"*\" for every role, root included);"
            + " keys without it may only run read-only commands. Forwarding, agent, X11 and subsystems are"
            + " refused; refusals and every command are written to the workspace audit log.",
        "Exec channels have no terminal: keys are unlocked with --passphrase-file given to serve, or"
            + " TUFSH_PASSPHRASE in the server's environment. Shell channels prompt without echo.",
        "Over SSH, --repo and --passphrase-file cannot be given, jshell, run and record are refused, and"
            + " file arguments must lie inside the workspace."
      })
  public static final class Ssh extends BaseCommand {
    @Option(names = "--port", paramLabel = "PORT", required = true, description = "TCP port to listen on.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind = "127.0.0.1";

    @Option(names = "--host-key", paramLabel = "FILE", required = true,
        description = "Host private key (OpenSSH format); an ed25519 key is generated, owner-only, if FILE is"
            + " missing.")
    Path hostKey;

    @Option(names = "--authorized-keys", paramLabel = "FILE", required = true,
        description = "OpenSSH authorized_keys file (ed25519, ecdsa, rsa), read at every connection.")
    Path authorizedKeys;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
        description = "Close connections idle this long (default 15m).")
    Duration idleTimeout = Duration.ofMinutes(15);

    @Override
    public Access access() {
      return Access.admin("serve ssh");
    }

    @Override
    protected int execute() {
      SshFrontend server = SshFrontend.start(new SshFrontend.Options(bind, port, hostKey, authorizedKeys,
          idleTimeout, root().repo(), root().passphraseFile()));
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        server.close();
        stopped.countDown();
      }, "tufsh-ssh-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      out().println("tufsh: serving " + root().repo() + " over SSH on " + bind + ":" + server.port()
          + " (host key " + server.hostKeyFingerprint() + ")");
      out().flush();
      try {
        stopped.await();
        return 0;
      } catch (InterruptedException e) {
        Runtime.getRuntime().removeShutdownHook(hook);
        server.close();
        throw new CancelledException("server stopped");
      }
    }
  }
}
