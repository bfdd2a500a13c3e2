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
        "Over SSH a key runs only what the remote policy names (docs/threat-model.md): --repo,"
            + " --passphrase-file, --debug and -c cannot be given; init, jshell, run, record and serve are refused;"
            + " files are read from the workspace's incoming/ folder and exports written to outgoing/; Vault and"
            + " PKCS#11 keys are registered on the backends named by --vault and --pkcs11 only.",
        "authorized_keys options from=, expiry-time=, restrict and no-pty are honoured; a line with"
            + " command= or an option this server cannot honour is skipped with a warning. The file must not be"
            + " writable by group or others, nor the host key readable by them."
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

    @Option(names = "--vault", paramLabel = "NAME=URL", description = "A Vault that remote key holders may"
        + " register Transit keys on, by name (key add-vault --backend NAME); repeatable.")
    java.util.Map<String, String> vault = new java.util.LinkedHashMap<>();

    @Option(names = "--pkcs11", paramLabel = "NAME=MODULE", description = "A PKCS#11 module that remote key"
        + " holders may register keys on, by name (key add-pkcs11 --backend NAME); repeatable.")
    java.util.Map<String, Path> pkcs11 = new java.util.LinkedHashMap<>();

    @Override
    public Access access() {
      return Access.admin("serve ssh");
    }

    @Override
    protected int execute() {
      java.util.Map<String, String> modules = new java.util.LinkedHashMap<>();
      pkcs11.forEach((name, module) -> modules.put(name, module.toAbsolutePath().normalize().toString()));
      java.io.PrintWriter err = session().err();
      SshFrontend server = SshFrontend.start(new SshFrontend.Options(bind, port, hostKey, authorizedKeys,
          idleTimeout, root().repo(), root().passphraseFile(), vault, modules, w -> {
            err.println("tufsh: warning: " + w);
            err.flush();
          }, 0));
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
