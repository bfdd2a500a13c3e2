package dev.tufsh.ssh;

import dev.tufsh.cli.ExitCodes;
import dev.tufsh.shell.Repl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.jline.terminal.Terminal;

/**
 * A shell channel: the tufsh REPL on a JLine terminal built over the channel. Passphrases are read
 * with no echo from that terminal; Ctrl-C from the client interrupts the running command; closing
 * the channel interrupts it too and ends the REPL.
 */
final class ShellCommand implements Command {
  private final SshFrontend frontend;
  private InputStream stdin;
  private OutputStream stdout;
  private ExitCallback exit;
  private volatile Thread worker;
  private volatile Terminal terminal;
  private volatile ChannelSession channel;
  private volatile SealableOutput output;
  private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile long lastInput = System.nanoTime();
  private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

  ShellCommand(SshFrontend frontend) {
    this.frontend = frontend;
  }

  @Override
  public void setInputStream(InputStream in) {
    this.stdin = in;
  }

  @Override
  public void setOutputStream(OutputStream out) {
    this.stdout = out;
  }

  @Override
  public void setErrorStream(OutputStream err) {
    // A terminal has one output; errors go to it as in a local shell.
  }

  @Override
  public void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }

  @Override
  public void start(ChannelSession channel, Environment env) throws IOException {
    KeyGrant grant = channel.getSession().getAttribute(KeyAuthenticator.GRANT);
    if (grant == null) {
      throw new IOException("shell channel without an authenticated key");
    }
    this.channel = channel;
    SealableOutput out = new SealableOutput(stdout);
    output = out;
    Terminal t = ChannelTerminal.open(new IdleTrackingInput(stdin, () -> lastInput = System.nanoTime()), out, env);
    terminal = t;
    String noColor = env.getEnv().get("NO_COLOR");
    boolean color = !Terminal.TYPE_DUMB.equals(t.getType()) && (noColor == null || noColor.isEmpty());
    Thread w = new Thread(() -> run(t, grant, color), "tufsh-ssh-shell");
    w.setDaemon(true);
    worker = w;
    w.start();
    frontend.schedule(this::closeIfIdle, frontend.options().idleTimeout());
  }

  /**
   * The idle timeout applies to a shell at its prompt, with its unlocked keys: no keystroke for that
   * long, and no command running, closes the channel. Client keep-alives do not count as input.
   */
  private void closeIfIdle() {
    java.time.Duration timeout = frontend.options().idleTimeout();
    long idle = System.nanoTime() - lastInput;
    if (worker == null) {
      return;
    }
    if (running.get() > 0 || idle < timeout.toNanos()) {
      long wait = running.get() > 0 ? timeout.toNanos() : timeout.toNanos() - idle;
      frontend.schedule(this::closeIfIdle, java.time.Duration.ofNanos(Math.max(wait, 1_000_000)));
      return;
    }
    SealableOutput out = output;
    if (out != null) {
      // Straight to the channel: the line reader owns the terminal's writer while it waits for a key.
      try {
        out.write(("\r\ntufsh: closing the session after " + dev.tufsh.cli.Durations.human(timeout)
            + " without input (--idle-timeout)\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.seal();
      } catch (IOException e) {
        // the channel is going anyway
      }
    }
    // Ends the command as the REPL would (output flushed, exit status, close); the REPL thread, its
    // input gone, then finds the session over.
    finish(ExitCodes.FAILED);
  }

  /** Reports the shell's exit status once, whoever ends it first (the REPL or the idle timer). */
  private void finish(int status) {
    if (finished.compareAndSet(false, true)) {
      exit.onExit(status);
    }
  }

  private void run(Terminal t, KeyGrant grant, boolean color) {
    int status;
    try {
      Repl repl = new Repl(t, interaction -> frontend.session(grant, t.writer(), t.writer(), interaction, color),
          null, List.of())
          .executor((session, words) -> {
            running.incrementAndGet();
            try {
              return frontend.runWords(session, words);
            } finally {
              running.decrementAndGet();
              lastInput = System.nanoTime();
            }
          });
      status = repl.run();
      t.writer().flush();
      // Late input (a terminal's answer to a query, typed-ahead keys) would now be echoed by the
      // line discipline, and an echo cut short by the channel's close leaves a lone ESC on the
      // client's terminal, which then eats the next characters it prints. Echo off, output sealed.
      org.jline.terminal.Attributes a = t.getAttributes();
      a.setLocalFlag(org.jline.terminal.Attributes.LocalFlag.ECHO, false);
      t.setAttributes(a);
      output.seal();
    } catch (IOException e) {
      status = ExitCodes.FAILED;
    } catch (RuntimeException | Error e) {
      // The channel went away under the line reader.
      status = ExitCodes.FAILED;
    }
    worker = null;
    // Exit first: closing the channel ends its input, which the terminal's reader thread waits on.
    finish(status);
    try {
      t.close();
    } catch (IOException | RuntimeException e) {
      // the channel is already gone
    }
  }

  @Override
  public void destroy(ChannelSession channel) throws IOException {
    Thread w = worker;
    if (w != null) {
      w.interrupt();
    }
    Terminal t = terminal;
    if (t != null) {
      t.close();
    }
  }
}
