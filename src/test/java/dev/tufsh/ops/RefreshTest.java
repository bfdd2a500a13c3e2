package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.json.Json;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Workspace;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.CliRepo;
import dev.tufsh.testing.StaticHttpServer;
import dev.tufsh.testing.TufClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refresh} through the command line on a published 8-bin repository, at chosen instants
 * (the hidden {@code --now}): nothing due writes nothing, the online roles inside their window are
 * re-signed and published (python-tuf follows), offline roles are reported and never touched, the
 * lock is waited for, and the shipped systemd unit's and cron line's own command runs.
 */
class RefreshTest {
  @TempDir Path dir;
  CliRepo cli;
  Path repo;
  Path pass;
  Instant t0;

  @BeforeEach
  void setUp() {
    t0 = Instant.now();
    cli = CliRepo.published(dir, 8, t0);
    repo = cli.repo();
    pass = cli.pass();
  }

  private Cli.Result tufsh(Instant now, String... args) {
    return cli.at(now, args);
  }

  private JsonNode refresh(Instant now, String... extra) {
    List<String> args = new ArrayList<>(List.of("--json", "refresh"));
    args.addAll(List.of(extra));
    Cli.Result r = tufsh(now, args.toArray(String[]::new)).assertOk();
    return dev.tufsh.testing.JsonResults.result(r.out());
  }

  /** Every published metadata file with its modification time and size: what "nothing written" means. */
  private Map<String, String> published() throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(repo.resolve("metadata"))) {
      for (Path p : s.toList()) {
        out.put(p.getFileName().toString(), Files.getLastModifiedTime(p) + " " + Files.size(p));
      }
    }
    return out;
  }

  @Test
  void nothing_due_writes_nothing() throws Exception {
    Map<String, String> before = published();
    for (Duration later : List.of(Duration.ZERO, Duration.ofHours(11))) {
      JsonNode r = refresh(t0.plus(later));
      assertEquals(0, r.get("due").size(), r.toString());
      assertEquals(0, r.get("versions").size(), r.toString());
    }
    assertEquals(before, published());
    assertEquals("nothing due\n", tufsh(t0, "refresh").assertOk().out());
  }

  @Test
  void online_roles_inside_their_window_are_published_once_and_python_tuf_follows() throws Exception {
    Path root = dir.resolve("trusted-root.json");
    Files.copy(repo.resolve("metadata/1.root.json"), root);
    try (StaticHttpServer server = StaticHttpServer.serve(repo)) {
      Path cache = dir.resolve("cache");
      assertTrue(TufClient.PYTHON_TUF.refresh(server, root, cache).run().ok());

      Instant later = t0.plus(Duration.ofHours(13));
      JsonNode r = refresh(later);
      assertEquals(8 + 2, r.get("due").size(), "timestamp, snapshot and 8 bins: " + r);
      assertEquals(2, r.get("versions").get("timestamp").asInt());
      assertEquals(2, r.get("versions").get("snapshot").asInt());
      assertEquals(2, r.get("versions").get("bin-0").asInt());
      assertEquals(0, r.get("offline_due").size(), r.toString());
      JsonNode ts = Json.parse(Files.readAllBytes(repo.resolve("metadata/timestamp.json")), "timestamp");
      assertEquals(later.plus(Duration.ofDays(1)).getEpochSecond(),
          Instant.parse(ts.get("signed").get("expires").asText()).getEpochSecond(), 1);
      assertTrue(Files.exists(repo.resolve("metadata/1.targets.json")), "targets untouched");
      assertTrue(!Files.exists(repo.resolve("metadata/2.targets.json")), "targets untouched");
      assertTrue(!Files.exists(repo.resolve("metadata/2.root.json")), "root untouched");

      // Idempotent: the same instant again finds nothing due and writes nothing.
      Map<String, String> before = published();
      assertEquals(0, refresh(later).get("due").size());
      assertEquals(before, published());

      TufClient.Result follow = TufClient.PYTHON_TUF.refresh(server, root, cache).run();
      assertTrue(follow.ok(), follow.toString());
      JsonNode cached = Json.parse(Files.readAllBytes(cache.resolve("timestamp.json")), "cached timestamp");
      assertEquals(2, cached.get("signed").get("version").asInt());
    }
  }

  @Test
  void only_the_timestamp_when_only_its_window_is_reached() throws Exception {
    Path settings = repo.resolve(".tufsh/settings.json");
    JsonNode s = Json.parse(Files.readAllBytes(settings), "settings");
    ((com.fasterxml.jackson.databind.node.ObjectNode) s.get("refresh_window")).put("timestamp", "PT20H");
    Files.writeString(settings, Json.pretty(s) + "\n");
    JsonNode r = refresh(t0.plus(Duration.ofHours(5)));
    assertEquals(1, r.get("due").size(), r.toString());
    assertEquals("timestamp", r.get("due").get(0).get("role").asText());
    assertEquals(Map.of("timestamp", 2), Map.of("timestamp", r.get("versions").get("timestamp").asInt()));
    assertEquals(1, r.get("versions").size(), r.toString());
    assertTrue(!Files.exists(repo.resolve("metadata/2.snapshot.json")));
  }

  @Test
  void offline_roles_are_reported_and_never_touched() throws Exception {
    Cli.Result r = tufsh(t0.plus(Duration.ofDays(360)), "refresh").assertOk();
    assertTrue(r.err().contains("offline role 'root' expires"), r.err());
    assertTrue(r.err().contains("offline role 'targets' expires"), r.err());
    assertTrue(r.err().contains("offline role 'bins' expires"), "the delegation to the bins: " + r.err());
    assertTrue(r.out().startsWith("refreshed: snapshot, timestamp, 8 bin(s)")
        || r.out().startsWith("refreshed: timestamp, snapshot, 8 bin(s)"), r.out());
    assertTrue(!Files.exists(repo.resolve("metadata/2.root.json")));
    assertTrue(!Files.exists(repo.resolve("metadata/2.targets.json")));
    Cli.Result st = tufsh(t0.plus(Duration.ofDays(360)), "--json", "status").assertOk();
    for (JsonNode role : dev.tufsh.testing.JsonResults.result(st.out()).get("roles")) {
      int expected = List.of("timestamp", "snapshot", "bin").contains(role.get("kind").asText()) ? 2 : 1;
      assertEquals(expected, role.get("version").asInt(), role.toString());
    }
  }

  @Test
  void staged_changes_are_never_published_by_refresh() throws Exception {
    Path file = dir.resolve("demo-1.0.tar.gz");
    Files.writeString(file, "demo");
    tufsh(t0, "target", "add", file.toString()).assertOk();
    Map<String, String> before = published();
    Cli.Result r = tufsh(t0.plus(Duration.ofHours(13)), "refresh");
    assertEquals(1, r.status(), r.toString());
    assertTrue(r.err().contains("staged change(s) are pending; publish or discard them"), r.err());
    assertEquals(before, published());
    assertTrue(tufsh(t0, "plan").assertOk().out().contains("bin-"), "the staged change is kept");
  }

  @Test
  void waits_for_another_writer_then_refreshes() throws Exception {
    Instant later = t0.plus(Duration.ofHours(13));
    PublishLock held = PublishLock.acquire(Workspace.open(repo), "another operator");
    try {
      Cli.Result refused = tufsh(later, "refresh", "--wait", "1s");
      assertEquals(dev.tufsh.cli.ExitCodes.LOCKED, refused.status(), refused.toString());
      assertTrue(refused.err().contains("locked by another operator"), refused.err());
    } catch (RuntimeException | AssertionError e) {
      held.close();
      throw e;
    }
    List<Thread> waiter = new ArrayList<>();
    CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> {
      synchronized (waiter) {
        waiter.add(Thread.currentThread());
        waiter.notifyAll();
      }
      return tufsh(later, "refresh", "--wait", "2m");
    });
    Thread t;
    synchronized (waiter) {
      while (waiter.isEmpty()) {
        waiter.wait();
      }
      t = waiter.get(0);
    }
    // Released once the refresh is seen polling for the lock (sleeping between tries).
    while (!pollingForLock(t)) {
      Thread.onSpinWait();
    }
    held.close();
    Cli.Result r = run.get();
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().startsWith("refreshed: "), r.out());
    assertTrue(Files.exists(repo.resolve("metadata/2.snapshot.json")));
  }

  private static boolean pollingForLock(Thread t) {
    return t.getState() == Thread.State.TIMED_WAITING && Stream.of(t.getStackTrace())
        .anyMatch(f -> f.getClassName().equals(PublishLock.class.getName()) && f.getMethodName().equals("acquire"));
  }

  static Path examples() {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "examples", "systemd");
  }

  /** The shipped unit's ExecStart, with its paths pointed at this test's repository and credential. */
  @Test
  void the_systemd_units_command_refreshes_when_due_and_is_quiet_when_not() throws Exception {
    String unit = Files.readString(examples().resolve("tufsh-refresh.service"));
    String exec = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow()
        .substring("ExecStart=".length());
    assertTrue(unit.contains("LoadCredential=passphrase:"), "the passphrase arrives as a credential");
    assertTrue(Files.readString(examples().resolve("tufsh-refresh.timer")).contains("OnCalendar="));
    Path creds = Files.createDirectories(dir.resolve("credentials"));
    Files.copy(pass, creds.resolve("passphrase"));
    List<String> argv = List.of(exec.replace("${CREDENTIALS_DIRECTORY}", creds.toString())
        .replace("/srv/tuf", repo.toString()).split(" "));
    assertEquals("/usr/local/bin/tufsh", argv.get(0));
    assertRefreshes(argv.subList(1, argv.size()));
  }

  @Test
  void the_cron_lines_command_refreshes_when_due_and_is_quiet_when_not() throws Exception {
    String line = Files.readString(examples().resolve("tufsh-refresh.cron")).lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
    List<String> fields = List.of(line.replace("/etc/tufsh/online.pass", pass.toString())
        .replace("/srv/tuf", repo.toString()).split(" "));
    // minute hour day month weekday user, then flock -n LOCKFILE, then tufsh and its arguments
    assertEquals(List.of("*/15", "*", "*", "*", "*", "tufsh", "flock", "-n"), fields.subList(0, 8));
    assertEquals("/usr/local/bin/tufsh", fields.get(9));
    assertRefreshes(fields.subList(10, fields.size()));
  }

  private void assertRefreshes(List<String> args) throws Exception {
    Map<String, String> before = published();
    Cli.Result quiet = run(t0.plus(Duration.ofHours(1)), args);
    assertEquals(0, quiet.status(), quiet.toString());
    assertEquals(before, published());
    Cli.Result due = run(t0.plus(Duration.ofHours(13)), args);
    assertEquals(0, due.status(), due.toString());
    assertTrue(due.out().startsWith("refreshed: "), due.out());
    assertTrue(Files.exists(repo.resolve("metadata/2.snapshot.json")));
  }

  private static Cli.Result run(Instant now, List<String> args) {
    List<String> all = new ArrayList<>(List.of("--now", now.toString()));
    all.addAll(args);
    return Cli.run(all.toArray(String[]::new));
  }
}
