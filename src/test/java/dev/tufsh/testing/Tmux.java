package dev.tufsh.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Drives a program in a real terminal: tmux runs it, {@link #type} and {@link #keys} press keys,
 * {@link #screen} reads what a person would see. Each instance has its own tmux server socket.
 */
public final class Tmux implements AutoCloseable {
  private final Path socket;
  private static final String SESSION = "t";

  private Tmux(Path socket) {
    this.socket = socket;
  }

  /** Starts {@code command} in a new 160x50 terminal with {@code env} added to the environment. */
  public static Tmux start(Path dir, List<String> command, Map<String, String> env) throws IOException {
    Path socket = Files.createTempFile(dir, "tmux", ".sock");
    Files.delete(socket);
    Tmux t = new Tmux(socket);
    StringBuilder cmd = new StringBuilder("env");
    env.forEach((k, v) -> cmd.append(' ').append(shellQuote(k + "=" + v)));
    for (String c : command) {
      cmd.append(' ').append(shellQuote(c));
    }
    // The exit status is printed on the screen, where a person would see it too.
    // A program (ssh) may leave an escape sequence half-sent, which swallows the next characters
    // (an ESC left open made "[e" a CSI sequence): CAN (\030) cancels any sequence in progress,
    // then the marker starts on a fresh line (and is still accepted without its bracket).
    cmd.append("; rc=$?; printf '\\030\\n[exited %d]\\n' \"$rc\"; sleep 3600");
    t.tmux("new-session", "-d", "-s", SESSION, "-x", "160", "-y", "50", cmd.toString());
    return t;
  }

  /** Types {@code text} literally (no key names interpreted). */
  public Tmux type(String text) throws IOException {
    tmux("send-keys", "-t", SESSION, "-l", text);
    return this;
  }

  /** Presses named keys: {@code Enter}, {@code Tab}, {@code C-c}, {@code C-d}, {@code C-r}... */
  public Tmux keys(String... names) throws IOException {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
    args.addAll(List.of(names));
    tmux(args.toArray(String[]::new));
    return this;
  }

  /** The visible screen, lines joined by newlines, trailing blanks trimmed. */
  public String screen() throws IOException {
    return tmux("capture-pane", "-p", "-t", SESSION).stripTrailing();
  }

  /** Everything the terminal showed since it started (scrollback included), wrapped lines joined. */
  public String scrollback() throws IOException {
    return tmux("capture-pane", "-p", "-J", "-S", "-", "-t", SESSION).stripTrailing();
  }

  /** Waits until the screen matches {@code regex} (DOTALL); returns the screen, or fails with it. */
  public String waitFor(String regex, Duration timeout) throws IOException, InterruptedException {
    return waitFor(regex, timeout, false);
  }

  /**
   * Like {@link #waitFor(String, Duration)} over the scrollback, for output taller than the window
   * (the shell's help grows with every command).
   */
  public String waitForScrollback(String regex, Duration timeout) throws IOException, InterruptedException {
    return waitFor(regex, timeout, true);
  }

  private String waitFor(String regex, Duration timeout, boolean scrollback)
      throws IOException, InterruptedException {
    Pattern p = Pattern.compile(regex, Pattern.DOTALL);
    long end = System.nanoTime() + timeout.toNanos();
    String s = "";
    while (System.nanoTime() < end) {
      s = scrollback ? scrollback() : screen();
      if (p.matcher(s).find()) {
        return s;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("screen never matched /" + regex + "/ within " + timeout + "; screen was:\n" + s);
  }

  private static final Pattern EXITED = Pattern.compile("\\[?exited (\\d+)\\]");

  /** Waits for the program to exit and returns its exit status. */
  public int awaitExit(Duration timeout) throws IOException, InterruptedException {
    var m = EXITED.matcher(waitFor(EXITED.pattern(), timeout));
    m.find();
    return Integer.parseInt(m.group(1));
  }

  /** Whether the program in the terminal has exited. */
  public boolean exited() throws IOException {
    return EXITED.matcher(screen()).find();
  }

  private String tmux(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("tmux " + args[0] + " timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("tmux " + String.join(" ", args) + " failed: " + out.strip()
          + (out.contains("No such file") || out.contains("not found") ? " (is tmux installed? CI installs it)" : ""));
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    try {
      tmux("kill-server");
    } catch (IOException e) {
      // Already gone.
    }
    Files.deleteIfExists(socket);
  }

  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\"'\"'") + "'";
  }

  /** The command line that starts tufsh's main class with this test JVM's class path. */
  public static List<String> tufshCommand(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.tufsh.app.Main");
    cmd.addAll(List.of(args));
    return cmd;
  }
}
