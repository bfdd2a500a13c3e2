package dev.tufsh.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.Signal;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * A JLine terminal on an SSH channel's streams: the client's TERM and window size from the
 * pty-req, its control characters and line-discipline flags from the pty modes, and
 * window-change requests applied as they arrive (JLine redraws on WINCH).
 */
final class ChannelTerminal {
  private ChannelTerminal() {}

  static Terminal open(InputStream in, OutputStream out, Environment env) throws IOException {
    Map<String, String> vars = env.getEnv();
    Terminal terminal = TerminalBuilder.builder()
        .name("tufsh-ssh")
        .type(vars.getOrDefault(Environment.ENV_TERM, "dumb"))
        .system(false)
        // The exec provider's terminal does the line discipline in Java and writes in the caller's
        // thread: a flushed write has reached the channel. The default (JNI) one opens a local pty
        // and copies its output to the channel a byte (and a packet) at a time on a pump thread,
        // so what the shell wrote last could still be in the pty when the exit status went out.
        .provider(TerminalBuilder.PROP_PROVIDER_EXEC)
        .streams(in, out)
        .encoding(StandardCharsets.UTF_8)
        .build();
    terminal.setSize(size(vars));
    Attributes a = terminal.getAttributes();
    env.getPtyModes().forEach((mode, value) -> apply(a, mode, value));
    terminal.setAttributes(a);
    env.addSignalListener((channel, signal) -> {
      terminal.setSize(size(env.getEnv()));
      terminal.raise(Terminal.Signal.WINCH);
    }, Signal.WINCH);
    return terminal;
  }

  static Size size(Map<String, String> vars) {
    return new Size(number(vars.get(Environment.ENV_COLUMNS), 80), number(vars.get(Environment.ENV_LINES), 24));
  }

  private static int number(String s, int fallback) {
    try {
      int n = s == null ? 0 : Integer.parseInt(s.trim());
      return n > 0 ? n : fallback;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** Copies the modes that matter to a line editor; the rest keep JLine's defaults. */
  private static void apply(Attributes a, PtyMode mode, int value) {
    boolean on = value != 0;
    switch (mode) {
      case VINTR -> a.setControlChar(Attributes.ControlChar.VINTR, value);
      case VQUIT -> a.setControlChar(Attributes.ControlChar.VQUIT, value);
      case VERASE -> a.setControlChar(Attributes.ControlChar.VERASE, value);
      case VKILL -> a.setControlChar(Attributes.ControlChar.VKILL, value);
      case VEOF -> a.setControlChar(Attributes.ControlChar.VEOF, value);
      case VSUSP -> a.setControlChar(Attributes.ControlChar.VSUSP, value);
      case VWERASE -> a.setControlChar(Attributes.ControlChar.VWERASE, value);
      case VLNEXT -> a.setControlChar(Attributes.ControlChar.VLNEXT, value);
      case ISIG -> a.setLocalFlag(Attributes.LocalFlag.ISIG, on);
      case ICANON -> a.setLocalFlag(Attributes.LocalFlag.ICANON, on);
      case ECHO -> a.setLocalFlag(Attributes.LocalFlag.ECHO, on);
      case ICRNL -> a.setInputFlag(Attributes.InputFlag.ICRNL, on);
      case INLCR -> a.setInputFlag(Attributes.InputFlag.INLCR, on);
      case IGNCR -> a.setInputFlag(Attributes.InputFlag.IGNCR, on);
      case OPOST -> a.setOutputFlag(Attributes.OutputFlag.OPOST, on);
      case ONLCR -> a.setOutputFlag(Attributes.OutputFlag.ONLCR, on);
      default -> {
        // other modes do not change how the shell reads or draws
      }
    }
  }
}
