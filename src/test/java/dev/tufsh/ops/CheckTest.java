package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.json.Json;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.CliRepo;
import dev.tufsh.testing.TufClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code check} through the command line on a published 8-bin repository: exit status and summary
 * line as a monitoring plugin's, per scenario (the hidden {@code --now} moves time; a damaged
 * file or a staged change makes the rest), and the {@code --metrics} file read back by
 * prometheus_client's own text-format parser.
 */
class CheckTest {
  @TempDir Path dir;
  CliRepo cli;
  Path repo;
  Path pass;
  Instant t0;

  @BeforeEach
  void setUp() {
    t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    cli = CliRepo.published(dir, 8, t0);
    repo = cli.repo();
    pass = cli.pass();
  }

  private Cli.Result tufsh(Instant now, String... args) {
    return cli.at(now, args);
  }

  /** A scenario: what to do to the repository, when to look, extra options, and what check must say. */
  record Case(String name, Damage damage, Duration later, List<String> options, int status, String line) {
    @Override
    public String toString() {
      return name;
    }
  }

  interface Damage {
    void apply(CheckTest t) throws Exception;
  }

  static Stream<Case> cases() {
    Damage none = t -> {};
    return Stream.of(
        new Case("fresh", none, Duration.ZERO, List.of(), 0, "TUFSH OK - 13 roles; soonest "),
        new Case("refresh window reached, still ok", none, Duration.ofHours(13), List.of(), 0, "TUFSH OK"),
        new Case("half the window gone: refresh stopped", none, Duration.ofHours(19), List.of(), 1,
            "TUFSH WARNING - "),
        new Case("a quarter of the window left", none, Duration.ofHours(22), List.of(), 2, "TUFSH CRITICAL - "),
        new Case("expired", none, Duration.ofHours(25), List.of(), 2, "TUFSH CRITICAL - "),
        new Case("a role's own threshold wins", none, Duration.ofHours(5), List.of("--warn-within", "timestamp=20h"),
            1, "TUFSH WARNING - timestamp: expires in 19h (warning under 20h)"),
        new Case("a kind's threshold", none, Duration.ofHours(5), List.of("--crit-within", "bin=20h"), 2,
            "TUFSH CRITICAL - bin-0: expires in 19h (critical under 20h)"),
        new Case("offline roles inside their window, online ones refreshed",
            t -> t.tufsh(t.t0.plus(Duration.ofDays(360)), "refresh").assertOk(), Duration.ofDays(360), List.of(), 1,
            "TUFSH WARNING - bins: expires in 5d (warning under 7d) (+2 more)"),
        new Case("timestamp signature broken", CheckTest::breakTimestampSignature, Duration.ZERO, List.of(), 2,
            "TUFSH CRITICAL - timestamp: signed by 0 of the 1 keys its threshold needs"),
        new Case("audit chain broken", CheckTest::breakAuditChain, Duration.ZERO, List.of(), 2,
            "TUFSH CRITICAL - audit: "),
        new Case("staged change left waiting", CheckTest::stageATarget, Duration.ofHours(2),
            List.of("--staged-older-than", "1h"), 1, "TUFSH WARNING - staged: 2 staged change(s) untouched for"),
        new Case("staged change, fresh", CheckTest::stageATarget, Duration.ZERO, List.of(), 0, "TUFSH OK"),
        // Clients see the published keys: rotations staged but not published change nothing check judges.
        new Case("the bins' key rotated, not published", t -> t.tufsh(t.t0, "--yes", "rotate", "bin-0").assertOk(),
            Duration.ZERO, List.of(), 0, "TUFSH OK - 13 roles; soonest "),
        new Case("the targets key rotated, not published", t -> t.tufsh(t.t0, "--yes", "rotate", "targets")
            .assertOk(), Duration.ZERO, List.of(), 0, "TUFSH OK - 13 roles; soonest "),
        new Case("the bins role's key rotated, not published", t -> t.tufsh(t.t0, "--yes", "rotate", "bins")
            .assertOk(), Duration.ZERO, List.of(), 0, "TUFSH OK - 13 roles; soonest "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exits_like_a_monitoring_plugin(Case c) throws Exception {
    c.damage().apply(this);
    List<String> args = new ArrayList<>(List.of("check"));
    args.addAll(c.options());
    Cli.Result r = tufsh(t0.plus(c.later()), args.toArray(String[]::new));
    assertEquals(c.status(), r.status(), r.toString());
    assertTrue(r.out().startsWith(c.line()), r.out());
  }

  @Test
  void no_repository_is_unknown() {
    Cli.Result r = cli.elsewhere(dir.resolve("nowhere")).at(t0, "check");
    assertEquals(3, r.status(), r.toString());
    assertTrue(r.out().startsWith("TUFSH UNKNOWN - "), r.out());
  }

  @Test
  void the_metrics_file_parses_with_prometheus_client_and_carries_the_values() throws Exception {
    breakTimestampSignature(this);
    Path file = dir.resolve("textfile").resolve("tufsh.prom");
    Files.createDirectories(file.getParent());
    Instant later = t0.plus(Duration.ofHours(3));
    Cli.Result r = tufsh(later, "check", "--metrics", file.toString());
    assertEquals(2, r.status(), r.toString());
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

    TufClient.Exec parsed = TufClient.exec(List.of(TufClient.pythonVenv().toString(),
        TufClient.projectDir().resolve("src/test/python/parse_metrics.py").toString(), file.toString()),
        dir, Duration.ofSeconds(60));
    assertEquals(0, parsed.code(), parsed.out() + parsed.err());
    JsonNode out = Json.parse(parsed.out(), "parse_metrics.py");
    out.get("families").fields().forEachRemaining(f -> assertEquals("gauge", f.getValue().asText(), f.getKey()));
    Map<String, Double> v = new HashMap<>();
    for (JsonNode s : out.get("samples")) {
      String role = s.get(1).path("role").asText("");
      v.put(s.get(0).asText() + (role.isEmpty() ? "" : "/" + role), s.get(2).asDouble());
    }
    assertEquals(2.0, v.get("tufsh_check_status"));
    double left = v.get("tufsh_role_expiry_seconds/timestamp");
    assertTrue(Math.abs(left - Duration.ofHours(21).getSeconds()) < 60, "timestamp expires in 21h: " + left);
    assertEquals(1.0, v.get("tufsh_role_version/timestamp"));
    assertEquals(0.0, v.get("tufsh_role_signatures/timestamp"), "the broken signature does not count");
    assertEquals(1.0, v.get("tufsh_role_threshold/timestamp"));
    assertEquals(1.0, v.get("tufsh_role_signatures/root"));
    assertEquals(1.0, v.get("tufsh_role_version/bins"));
    assertEquals(8.0, v.get("tufsh_bins"));
    assertEquals(0.0, v.get("tufsh_bins_below_threshold"));
    assertEquals(1.0, v.get("tufsh_bins_version_min"));
    assertTrue(v.get("tufsh_audit_entries") >= 2, v.toString());
    assertEquals(1.0, v.get("tufsh_audit_chain_ok"));
    double published = v.get("tufsh_last_publish_timestamp_seconds");
    assertEquals(Files.getLastModifiedTime(repo.resolve("metadata/timestamp.json")).toInstant().getEpochSecond(),
        published);
    assertEquals(0.0, v.get("tufsh_staged_changes"));
  }

  static void breakTimestampSignature(CheckTest t) throws Exception {
    Path ts = t.repo.resolve("metadata/timestamp.json");
    JsonNode md = Json.parse(Files.readAllBytes(ts), "timestamp");
    ObjectNode sig = (ObjectNode) md.get("signatures").get(0);
    String s = sig.get("sig").asText();
    sig.put("sig", (s.charAt(0) == '0' ? "1" : "0") + s.substring(1));
    Files.writeString(ts, Json.pretty(md));
  }

  static void breakAuditChain(CheckTest t) throws Exception {
    Path log = t.repo.resolve(".tufsh/audit.log");
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    assertTrue(lines.size() >= 2, "init and publish are audited");
    lines.remove(0);
    Files.write(log, lines);
  }

  static void stageATarget(CheckTest t) throws Exception {
    Path file = t.dir.resolve("demo-1.0.tar.gz");
    Files.writeString(file, "demo");
    t.tufsh(t.t0, "target", "add", file.toString()).assertOk();
  }
}
