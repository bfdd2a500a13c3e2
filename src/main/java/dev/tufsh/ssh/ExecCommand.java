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
 *
 * <p>A shell channel without a pty ({@code ssh -T host < script}, or a key under no-pty) is the same
 * thing fed from its input: each line is run as it arrives, as local {@code tufsh < script} does,
 * stopping at the first failure. A line editor there would echo the script back and, at the
 * input's end, drop the lines it had not yet read.
 */
final class ExecCommand implements Command {
  private final SshFrontend frontend;
  /** The exec request's command line; null for a piped shell, whose lines come from its input. */
  private final String text;
  private InputStream stdin;
  private OutputStream stdout;
  private OutputStream stderr;
  private ExitCallback exit;
  private volatile Thread worker;

  ExecCommand(SshFrontend frontend, String text) {
    this.frontend = frontend;
    this.text = text;
  }

  /** A shell channel with no pty: runs its input's lines. */
  static ExecCommand piped(SshFrontend frontend) {
    return new ExecCommand(frontend, null);
  }

  @Override
  public void setInputStream(InputStream in) {
    // Commands themselves read no input: there is no terminal to prompt on. A piped shell's lines.
    this.stdin = in;
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
    // With a pty (ssh -t host cmd) the client's terminal is raw: as under sshd, the pty's output
    // discipline turns each newline into CR LF unless the client's modes turned ONLCR off.
    if (channel instanceof GuardedChannelSession g && g.hasPty()
        && env.getPtyModes().getOrDefault(org.apache.sshd.common.channel.PtyMode.ONLCR, 1) != 0) {
      stdout = new CrLfOutput(stdout);
      stderr = new CrLfOutput(stderr);
    }
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
      status = text != null ? frontend.runLine(session, text) : runLines(session, out, err);
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

  /** Each input line in turn, until the input ends or a line fails; the last status. */
  private int runLines(Session session, PrintWriter out, PrintWriter err) {
    PipedLines lines = new PipedLines(stdin, RemoteLine.MAX_CHARS);
    try {
      for (String line = lines.next(); line != null; line = lines.next()) {
        int status = frontend.runLine(session, line);
        out.flush();
        err.flush();
        if (status != ExitCodes.OK) {
          return status;
        }
      }
      return ExitCodes.OK;
    } catch (java.io.IOException e) {
      err.println("tufsh: error: " + e.getMessage());
      return ExitCodes.FAILED;
    }
  }

  @Override
  public void destroy(ChannelSession channel) {
    Thread t = worker;
    if (t != null) {
      t.interrupt();
    }
  }
}
