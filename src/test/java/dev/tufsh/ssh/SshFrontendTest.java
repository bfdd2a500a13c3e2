package dev.tufsh.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.json.Json;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.Tmux;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH frontend against the real OpenSSH client: one server on an ephemeral loopback port over a
 * 16-bin repository, with an admin key ("*"), an operations key limited to bins, snapshot and
 * timestamp, a read-only key, and a key the server does not know.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshFrontendTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private Path repo;
  private Path passphrase;
  private Path authorized;
  private Path admin;
  private Path ops;
  private Path reader;
  private Path stranger;
  private SshFrontend server;
  private int port;

  @BeforeAll
  void start() throws Exception {
    repo = dir.resolve("pypi");
    passphrase = dir.resolve("passphrase");
    dev.tufsh.testing.PassphraseFiles.write(passphrase, "ssh test passphrase\n");
    Cli.run("--repo", repo.toString(), "--passphrase-file", passphrase.toString(), "init", "--bins", "16")
        .assertOk();
    admin = OpenSsh.keygen(dir, "admin", "admin@host");
    ops = OpenSsh.keygen(dir, "ops", "ops@host");
    reader = OpenSsh.keygen(dir, "reader", "reader@host");
    stranger = OpenSsh.keygen(dir, "stranger", "stranger@host");
    authorized = dir.resolve("authorized_keys");
    Files.writeString(authorized, "# tufsh operators\n"
        + "tufsh-roles=\"*\" " + pub(admin)
        + "tufsh-roles=\"bin-*,snapshot,timestamp\" " + pub(ops)
        + pub(reader));
    server = SshFrontend.start(new SshFrontend.Options("127.0.0.1", 0, dir.resolve("host_key"), authorized,
        Duration.ofMinutes(5), repo, passphrase));
    port = server.port();
    OpenSsh.Result first = OpenSsh.exec(port, admin, "publish");
    assertEquals(0, first.status(), first.toString());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String pub(Path key) throws IOException {
    return Files.readString(Path.of(key + ".pub")).strip() + "\n";
  }

  private List<JsonNode> audit() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(repo.resolve(".tufsh/audit.log"))) {
      out.add(Json.parse(line, "audit.log"));
    }
    return out;
  }

  /** The audit entries whose command contains {@code command}, newest last. */
  private List<JsonNode> audited(String command) throws IOException {
    return audit().stream().filter(e -> e.get("command").asText().contains(command)).toList();
  }

  @Test
  void exec_runs_one_command_and_returns_json_and_exit_zero() throws Exception {
    OpenSsh.Result r = OpenSsh.exec(port, reader, "status", "--json");
    assertEquals(0, r.status(), r.toString());
    JsonNode status = dev.tufsh.testing.JsonResults.result(r.out());
    assertEquals("pypi", status.get("repository").asText());
    assertEquals(0, status.get("staged").size(), r.out());
    List<String> roles = new ArrayList<>();
    status.get("roles").forEach(x -> roles.add(x.get("role").asText()));
    assertTrue(roles.containsAll(List.of("root", "targets", "snapshot", "timestamp", "bins")), roles.toString());
    assertEquals(16, roles.stream().filter(x -> x.startsWith("bin-")).count(), roles.toString());
    String fp = OpenSsh.fingerprint(Path.of(reader + ".pub"));
    JsonNode entry = audited("status --json").get(audited("status --json").size() - 1);
    assertEquals("ssh:" + fp + " reader@host", entry.get("actor").asText());
    assertEquals("ok", entry.get("outcome").asText());
  }

  @Test
  void out_of_scope_command_fails_with_its_status_and_one_line_naming_the_missing_permission() throws Exception {
    OpenSsh.Result r = OpenSsh.exec(port, ops, "rotate", "root", "--yes");
    assertEquals(1, r.status(), r.toString());
    assertEquals("", r.out());
    assertEquals(List.of("tufsh: error: key ops@host may change bin-*, snapshot, timestamp; 'rotate a key of root'"
        + " needs root"), r.err().lines().toList());
    JsonNode entry = audited("rotate root").get(0);
    assertTrue(entry.get("actor").asText().endsWith(" ops@host"), entry.toString());
    assertTrue(entry.get("outcome").asText().startsWith("failed (exit 1): key ops@host"), entry.toString());

    OpenSsh.Result bump = OpenSsh.exec(port, reader, "bump", "snapshot");
    assertEquals(1, bump.status(), bump.toString());
    assertTrue(bump.err().contains("key reader@host may only read; 'bump' changes the repository"), bump.err());

    OpenSsh.Result usage = OpenSsh.exec(port, reader, "frobnicate");
    assertEquals(2, usage.status(), usage.toString());
    assertTrue(usage.err().startsWith("tufsh: unknown command 'frobnicate'"), usage.err());
  }

  @Test
  void server_settings_local_commands_and_files_outside_the_workspace_are_refused() throws Exception {
    OpenSsh.Result repoOption = OpenSsh.exec(port, admin, "status", "--repo", "/etc");
    assertEquals(1, repoOption.status(), repoOption.toString());
    assertTrue(repoOption.err().contains("--repo cannot be given over SSH: the server sets the workspace"),
        repoOption.err());
    // A personal key store is the local key holder's, never a folder the remote user names.
    for (List<String> cmd : List.of(List.of("key", "generate", "k1", "--keystore"),
        List.of("key", "list", "--keystore", "/tmp"))) {
      OpenSsh.Result ks = OpenSsh.exec(port, admin, cmd.toArray(String[]::new));
      assertEquals(1, ks.status(), ks.toString());
      assertTrue(ks.err().contains("option --keystore of 'key " + cmd.get(1) + "' is not available over SSH"),
          ks.err());
    }
    OpenSsh.Result jshell = OpenSsh.exec(port, admin, "jshell");
    assertEquals(1, jshell.status(), jshell.toString());
    assertTrue(jshell.err().contains("'jshell' runs only on the server's own console"), jshell.err());
    OpenSsh.Result outside = OpenSsh.exec(port, admin, "verify", "--root", "/etc/hostname");
    assertEquals(1, outside.status(), outside.toString());
    assertTrue(outside.err().contains("over SSH, verify --root must lie in incoming/"), outside.err());
    assertTrue(audited("jshell").get(0).get("outcome").asText().startsWith("failed (exit 1): 'jshell' runs only"),
        audited("jshell").toString());
  }

  @Test
  void unknown_key_is_refused_and_audited_by_fingerprint() throws Exception {
    OpenSsh.Result r = OpenSsh.exec(port, stranger, "status");
    assertEquals(255, r.status(), r.toString());
    assertTrue(r.err().contains("Permission denied (publickey)"), r.err());
    String fp = OpenSsh.fingerprint(Path.of(stranger + ".pub"));
    List<JsonNode> refused = audit().stream().filter(e -> e.get("actor").asText().equals("ssh:" + fp + " (unknown key)"))
        .toList();
    assertEquals(1, refused.size(), refused.toString());
    assertTrue(refused.get(0).get("outcome").asText().startsWith("refused: key not in "), refused.toString());
  }

  @Test
  void password_attempt_is_refused_and_audited() throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-p", Integer.toString(port),
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
        "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no", "-o", "LogLevel=ERROR",
        "-l", "mallory", "127.0.0.1", "status"));
    int before = audited("left without authenticating").size();
    OpenSsh.Result r = OpenSsh.run(cmd, 60);
    assertEquals(255, r.status(), r.toString());
    assertTrue(r.err().contains("Permission denied (publickey)"), r.err());
    waitUntil(() -> audit().stream().filter(e -> e.get("outcome").asText().contains("left without authenticating"))
        .count() > before);
  }

  @Test
  void local_forwarding_is_refused_and_audited() throws Exception {
    int local;
    try (ServerSocket s = new ServerSocket(0)) {
      local = s.getLocalPort();
    }
    List<String> cmd = OpenSsh.base(port, admin);
    cmd.set(cmd.indexOf("LogLevel=ERROR"), "LogLevel=INFO"); // ssh reports a refused channel at INFO
    cmd.addAll(List.of("-N", "-L", local + ":127.0.0.1:" + port, "127.0.0.1"));
    Path err = dir.resolve("forward.err");
    Process ssh = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    try {
      try (Socket socket = connectWithin(local, WAIT)) {
        socket.setSoTimeout(20_000);
        InputStream in = socket.getInputStream();
        int read;
        try {
          read = in.read();
        } catch (SocketTimeoutException e) {
          read = -2;
        }
        // The server's banner ("SSH-2.0-...") would come back if the tunnel were open.
        assertEquals(-1, read, "the tunnel carried data");
      }
      waitUntil(() -> Files.readString(err).contains("administratively prohibited"));
    } finally {
      // ssh -N may sit out SIGTERM while its refused channel closes: give it a moment, then SIGKILL.
      ssh.destroy();
      if (!ssh.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        ssh.destroyForcibly();
        ssh.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
    assertTrue(audited("local port forwarding (connect to 127.0.0.1:" + port).get(0).get("outcome").asText()
        .equals("refused: port forwarding is disabled"));
  }

  @Test
  void remote_forwarding_and_subsystems_are_refused_and_audited() throws Exception {
    List<String> remote = OpenSsh.base(port, admin);
    remote.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9", "127.0.0.1"));
    OpenSsh.Result r = OpenSsh.run(remote, 60);
    assertEquals(255, r.status(), r.toString());
    assertTrue(r.err().contains("remote port forwarding failed"), r.err());
    assertEquals(1, audited("remote port forwarding").size());

    List<String> sftp = OpenSsh.base(port, admin);
    sftp.addAll(List.of("-s", "127.0.0.1", "sftp"));
    OpenSsh.Result s = OpenSsh.run(sftp, 60);
    assertNotEquals(0, s.status(), s.toString());
    assertTrue(s.err().contains("subsystem request failed"), s.err());
    assertEquals("refused: subsystems are disabled", audited("subsystem sftp").get(0).get("outcome").asText());
  }

  @Test
  void two_sessions_racing_to_publish_lose_nothing_and_verify_passes() throws Exception {
    assertEquals(0, OpenSsh.exec(port, ops, "bump", "bin-*").status());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<OpenSsh.Result> a = pool.submit(() -> OpenSsh.exec(port, ops, "publish", "--json"));
      Future<OpenSsh.Result> b = pool.submit(() -> OpenSsh.exec(port, admin, "publish", "--json"));
      List<OpenSsh.Result> results = List.of(a.get(), b.get());
      long won = results.stream().filter(x -> x.status() == 0 && x.out().contains("\"timestamp\"")).count();
      assertTrue(won >= 1, results.toString());
      for (OpenSsh.Result x : results) {
        // The loser either found the lock held or found nothing left to publish after the winner.
        assertTrue(x.status() == 0 || x.err().contains("locked by") || x.err().contains("nothing"), x.toString());
      }
    } finally {
      pool.shutdownNow();
    }
    JsonNode status = dev.tufsh.testing.JsonResults.result(OpenSsh.exec(port, reader, "status", "--json").out());
    assertEquals(0, status.get("staged").size(), status.toString());
    assertTrue(status.get("locked_by").isNull(), status.toString());
    for (JsonNode role : status.get("roles")) {
      if (role.get("role").asText().startsWith("bin-")) {
        assertTrue(role.get("version").asInt() >= 2, "bump lost for " + role);
      }
    }
    OpenSsh.Result verify = OpenSsh.exec(port, reader, "verify");
    assertEquals(0, verify.status(), verify.toString());
  }

  @Test
  void a_dropped_connection_interrupts_its_command_and_releases_the_lock() throws Exception {
    assertEquals(0, OpenSsh.exec(port, admin, "bump", "bin-*").status());
    int publishes = audited("publish").size();
    List<String> cmd = OpenSsh.base(port, admin);
    cmd.addAll(List.of("127.0.0.1", "publish"));
    Process ssh = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    // Drop the connection while the publish holds the lock (or, on a fast machine, once it is done).
    var ws = dev.tufsh.repo.Workspace.open(repo);
    long end = System.nanoTime() + WAIT.toNanos();
    while (dev.tufsh.repo.PublishLock.holder(ws) == null && ssh.isAlive() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    ssh.destroyForcibly();
    ssh.waitFor();
    waitUntil(() -> dev.tufsh.testing.JsonResults.result(OpenSsh.exec(port, reader, "status", "--json").out())
        .get("locked_by").isNull());
    // The cut-short command is audited like any other, whatever its outcome.
    waitUntil(() -> audited("publish").size() > publishes);
    // Whether the publish finished or was cut short, the published repository verifies, and a
    // second publish (of whatever is left) can take the lock.
    OpenSsh.Result verify = OpenSsh.exec(port, reader, "verify");
    assertEquals(0, verify.status(), verify.toString());
    OpenSsh.Result again = OpenSsh.exec(port, admin, "publish");
    assertTrue(again.status() == 0 || again.err().contains("nothing"), again.toString());
    assertEquals(0, OpenSsh.exec(port, reader, "verify").status());
  }

  @Test
  void interactive_shell_completes_with_tab_and_publishes_a_bump() throws Exception {
    try (Tmux t = shell(ops)) {
      t.type("bu").keys("Tab");
      t.waitFor("tufsh pypi> bump$", WAIT);
      t.type("bin-*").keys("Enter");
      t.waitFor("bumped 16 role\\(s\\).*tufsh pypi>$", WAIT);
      t.type("publish").keys("Enter");
      String screen = t.waitFor("published \\d+ role\\(s\\): timestamp \\d+, snapshot \\d+.*tufsh pypi>$", WAIT);
      assertTrue(screen.contains("bumped 16 role(s)"), screen);
      t.type("rotate root").keys("Enter");
      t.waitFor("'rotate a key of root' needs root.*tufsh pypi>$", WAIT);
      t.type("exit").keys("Enter");
      assertEquals(1, t.awaitExit(WAIT), "the shell's status is its last command's");
    }
    List<JsonNode> published = audited("publish").stream()
        .filter(e -> e.get("actor").asText().endsWith(" ops@host") && e.get("outcome").asText().equals("ok"))
        .toList();
    assertTrue(!published.isEmpty(), "the shell's publish was not audited");
  }

  /**
   * What a session writes last reaches the client before its exit status: the last command's
   * result and, in a shell, the line editor's terminal reset (keypad, mouse and bracketed paste
   * off). The shell's terminal wrote into a local pty whose output a pump thread copied to the
   * channel a byte at a time, so the exit status and close overtook it: typed-ahead lines lost the
   * whole result. Sessions run two at a time, as under load.
   */
  @Test
  void a_session_ends_with_every_byte_it_wrote_before_its_exit_status() throws Exception {
    List<String> shell = OpenSsh.base(port, reader);
    shell.addAll(List.of("-tt", "127.0.0.1"));
    List<String> exec = OpenSsh.base(port, reader);
    exec.addAll(List.of("-tt", "127.0.0.1", "--", "status", "--json"));
    byte[] typed = "status --json\rexit\r".getBytes(StandardCharsets.UTF_8);
    Map<String, String> term = Map.of("TERM", "xterm-256color");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<OpenSsh.Result>> shells = new ArrayList<>();
      List<Future<OpenSsh.Result>> execs = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        shells.add(pool.submit(() -> OpenSsh.run(shell, typed, term, 120)));
        execs.add(pool.submit(() -> OpenSsh.run(exec, null, term, 120)));
      }
      for (Future<OpenSsh.Result> f : shells) {
        OpenSsh.Result r = f.get();
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("\"error\" : null\r\n}\r\n"), "the result was cut short: " + r);
        assertTrue(r.out().endsWith("\u001b[?2004l"), "the terminal reset was cut short: " + r);
      }
      for (Future<OpenSsh.Result> f : execs) {
        OpenSsh.Result r = f.get();
        assertEquals(0, r.status(), r.toString());
        // With a pty, as under sshd, each newline reaches the client's raw terminal as CR LF.
        assertTrue(r.out().endsWith("\"error\" : null\r\n}\r\n"), "the result was cut short: " + r);
        assertFalse(r.out().replace("\r\n", "").contains("\n"), "a bare LF: " + r);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Ctrl-C from the client interrupts the command a shell is running (here a publish waiting for
   * the lock another holds), not the shell. The terminal's line discipline is the server's own: a
   * local pty under the shell turned ^C into a signal for a process group that has no member.
   */
  @Test
  void ctrl_c_interrupts_the_running_command_and_keeps_the_shell() throws Exception {
    try (Tmux t = shell(admin)) {
      t.type("bump timestamp").keys("Enter");
      t.waitFor("bumped 1 role.*\\n(.*\\n)*tufsh pypi>$", WAIT);
      try (dev.tufsh.repo.PublishLock held = dev.tufsh.repo.PublishLock.acquire(dev.tufsh.repo.Workspace.open(repo),
          "another operator")) {
        t.type("publish --wait 2m").keys("Enter");
        t.waitFor("publish --wait 2m\\s*\\n(.*\\n)*.*another operator.*$", WAIT);
        t.keys("C-c");
        String screen = t.waitFor("interrupted.*\\n(.*\\n)*tufsh pypi>$", WAIT);
        assertTrue(!t.exited(), screen);
      }
      t.type("discard --yes").keys("Enter");
      String after = t.waitFor("discard --yes\\s*\\n(.*\\n)*tufsh pypi>$", WAIT);
      t.type("exit").keys("Enter");
      assertEquals(0, t.awaitExit(WAIT), after);
    }
  }

  /** --idle-timeout closes a shell left at its prompt (with its unlocked keys); a running command is not idle. */
  /**
   * {@code ssh -T host < script}: a shell channel without a pty runs the piped lines as local
   * {@code tufsh < script} does: each in turn, no echo, results on stdout and errors on stderr,
   * stopping at the first failure with its status. (A line editor there echoed the script and lost
   * every line it had not read when the input ended.)
   */
  @Test
  void a_shell_without_a_pty_runs_the_piped_lines_and_stops_at_the_first_failure() throws Exception {
    List<String> cmd = OpenSsh.base(port, reader);
    cmd.addAll(List.of("-T", "127.0.0.1"));
    int before = audited("target list --prefix piped").size();
    String script = "# a script\nstatus --json\r\n\nkey list --json\nbump timestamp\ntarget list --prefix piped\n";
    OpenSsh.Result r = OpenSsh.run(cmd, script.getBytes(StandardCharsets.UTF_8), 120);
    assertEquals(1, r.status(), r.toString());
    assertTrue(r.out().contains("\"command\" : \"status\""), "status did not run: " + r);
    assertTrue(r.out().contains("\"command\" : \"key list\""), "key list did not run: " + r);
    assertTrue(!r.out().contains("bump timestamp"), "the script was echoed: " + r);
    assertEquals("tufsh: error: key reader@host may only read; 'bump' changes the repository",
        r.err().lines().findFirst().orElse(""), r.toString());
    assertEquals(before, audited("target list --prefix piped").size(), "a line after the failure ran");
  }

  @Test
  void an_idle_shell_is_closed_after_the_idle_timeout() throws Exception {
    try (SshFrontend idle = SshFrontend.start(new SshFrontend.Options("127.0.0.1", 0, dir.resolve("host_key"),
        authorized, Duration.ofSeconds(5), repo, passphrase))) {
      List<String> cmd = OpenSsh.base(idle.port(), reader);
      // Client keep-alives every second are traffic, but not input: they must not keep the shell open.
      cmd.addAll(List.of("-o", "ServerAliveInterval=1", "-tt", "127.0.0.1"));
      try (Tmux t = Tmux.start(dir, cmd, Map.of("TERM", "xterm-256color"))) {
        t.waitFor("tufsh pypi>$", WAIT);
        long start = System.nanoTime();
        // Keystrokes keep it open.
        for (int i = 0; i < 4; i++) {
          t.type("s");
          Thread.sleep(1500);
        }
        t.waitFor("tufsh pypi> ssss", WAIT);
        String screen = t.waitFor("closing the session after .* without input \\(--idle-timeout\\)", WAIT);
        assertTrue(System.nanoTime() - start > Duration.ofSeconds(6).toNanos(), "closed while being typed at");
        assertEquals(1, t.awaitExit(WAIT), screen);
      }
    }
  }

  @Test
  void host_key_is_owner_only_and_stable_across_restarts() throws Exception {
    Path key = dir.resolve("restart_host_key");
    String first;
    try (SshFrontend a = SshFrontend.start(new SshFrontend.Options("127.0.0.1", 0, key, authorized,
        Duration.ofMinutes(1), repo, passphrase))) {
      first = a.hostKeyFingerprint();
      assertEquals(0, OpenSsh.exec(a.port(), reader, "status", "--json").status());
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    try (SshFrontend b = SshFrontend.start(new SshFrontend.Options("127.0.0.1", 0, key, authorized,
        Duration.ofMinutes(1), repo, passphrase))) {
      assertEquals(first, b.hostKeyFingerprint());
      // What a client sees: ssh-keyscan's host key has the same fingerprint.
      Path scanned = dir.resolve("scanned.pub");
      OpenSsh.Result scan = OpenSsh.run(List.of("ssh-keyscan", "-t", "ed25519", "-p", Integer.toString(b.port()),
          "127.0.0.1"), 60);
      Files.writeString(scanned, scan.out().replaceFirst("^\\S+\\s+", ""), StandardCharsets.UTF_8);
      assertEquals(first, OpenSsh.fingerprint(scanned), scan.toString());
    }
  }

  /** An interactive {@code ssh -tt} session of {@code key} under tmux, at its first prompt. */
  private Tmux shell(Path key) throws Exception {
    List<String> cmd = OpenSsh.base(port, key);
    cmd.addAll(List.of("-tt", "127.0.0.1"));
    Tmux t = Tmux.start(dir, cmd, Map.of("TERM", "xterm-256color"));
    try {
      t.waitFor("tufsh pypi>$", WAIT);
      return t;
    } catch (RuntimeException | Error e) {
      t.close();
      throw e;
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void waitUntil(Check check) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(100);
    }
  }

  private static Socket connectWithin(int port, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return s;
      } catch (IOException e) {
        s.close();
        if (System.nanoTime() > end) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
