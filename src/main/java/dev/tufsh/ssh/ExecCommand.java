package dev.tufsh.ssh;

import dev.tufsh.cli.Errors;
import dev.tufsh.cli.ExitCodes;
import dev.tufsh.cli.Interaction;
import dev.tufsh.cli.Session;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * An exec channel ({@code ssh host status --json}): runs the command line on its own thread with no
 * person to ask (confirmations need {@code --yes}; passphrases come from the server's
 * {@code --passphrase-file} or TUFSH_PASSPHRASE), stdout and stderr to the channel, and the exit
 * status carried back. Closing the channel interrupts the command, so a dropped connection stops a
 * publish before its timestamp is written and releases the lock.
 */
final class ExecCommand implements Command {
  private final SshFrontend frontend;
  private final String text;
  private OutputStream stdout;
  private OutputStream stderr;
  private ExitCallback exit;
  private volatile Thread worker;

  ExecCommand(SshFrontend frontend, String text) {
    this.frontend = frontend;
    this.text = text;
  }

  @Override
  public void setInputStream(InputStream in) {
    // Commands read no input over exec: there is no terminal to prompt on.
  }

  @Override
  public void setOutputStream(OutputStream out) {
    this.stdout = out;
  }

  @Override
  public void setErrorStream(OutputStream err) {
    this.stderr = err;
  }

  @Override
  public void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }

  @Override
  public void start(ChannelSession channel, Environment env) {
    KeyGrant grant = channel.getSession().getAttribute(KeyAuthenticator.GRANT);
    Thread t = new Thread(() -> run(grant), "tufsh-ssh-exec");
    t.setDaemon(true);
    worker = t;
    t.start();
  }

  private void run(KeyGrant grant) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
    PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8));
    int status;
    try {
      if (grant == null) {
        throw new IllegalStateException("exec channel without an authenticated key");
      }
      Session session = frontend.session(grant, out, err, Interaction.NONE, false);
      status = frontend.runLine(session, text);
    } catch (RuntimeException | Error e) {
      err.println("tufsh: error: " + Errors.message(e));
      status = ExitCodes.FAILED;
    } finally {
      out.flush();
      err.flush();
    }
    worker = null;
    exit.onExit(status);
  }

  @Override
  public void destroy(ChannelSession channel) {
    Thread t = worker;
    if (t != null) {
      t.interrupt();
    }
  }
}
