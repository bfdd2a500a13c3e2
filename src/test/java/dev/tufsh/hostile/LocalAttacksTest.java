package dev.tufsh.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.testing.PassphraseFiles;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.TufClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attacks of issue 12, each as someone with a shell on the repository host would run them:
 * on the audit log, by restoring a backup under clients that saw newer versions, and through file
 * modes, the umask and planted links.
 */
class LocalAttacksTest {
  @TempDir Path tmp;
  Path repo;
  Path pass;

  @BeforeEach
  void setUp() throws Exception {
    repo = tmp.resolve("repo");
    pass = tmp.resolve("pass");
    PassphraseFiles.write(pass, "s3cret passphrase\n");
  }

  private Cli.Result run(String... words) {
    return Cli.inRepo(repo, pass, words);
  }

  private Cli.Result ok(String... words) {
    return run(words).assertOk();
  }

  private void published() {
    ok("init", "--bins", "4");
    ok("publish");
  }

  private Path log() {
    return repo.resolve(".tufsh/audit.log");
  }

  private Cli.Result auditVerify(String... more) {
    List<String> w = new ArrayList<>(List.of("audit", "verify"));
    w.addAll(List.of(more));
    return run(w.toArray(String[]::new));
  }

  // ------------------------------------------------------------------ the audit log

  @Test
  void a_torn_last_line_is_repaired_and_bump_and_publish_go_on_without_warnings() throws Exception {
    published();
    Files.write(log(), "{\"seq\":9,\"actor\":\"ali".getBytes(StandardCharsets.UTF_8),
        java.nio.file.StandardOpenOption.APPEND);
    int torn = Files.readAllLines(log()).size();
    Cli.Result before = auditVerify();
    assertEquals(1, before.status());
    assertTrue(before.err().contains("line " + torn + ": line is torn"), before.err());

    Cli.Result bump = ok("bump", "timestamp", "--by", "2d");
    assertEquals("", bump.err());
    assertEquals("", ok("publish").err());
    Cli.Result after = auditVerify().assertOk();
    assertTrue(after.out().contains("note: line " + torn + ": repaired torn line " + torn), after.out());
    assertTrue(Files.exists(repo.resolve(".tufsh/audit.log.torn-line-" + torn)));
  }

  @Test
  void an_emptied_or_deleted_log_does_not_verify() throws Exception {
    published();
    Files.write(log(), new byte[0]);
    Cli.Result emptied = auditVerify();
    assertEquals(1, emptied.status());
    assertTrue(emptied.out().contains("is empty"), emptied.out());
    Files.delete(log());
    Cli.Result deleted = auditVerify();
    assertEquals(1, deleted.status());
    assertTrue(deleted.out().contains("is missing"), deleted.out());
  }

  /** The 15 lines of Python: drop a line, recompute every later hash and sequence number. */
  private void dropAndRehash(int drop) throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(log(), StandardCharsets.UTF_8));
    lines.remove(drop - 1);
    String prev = "0".repeat(64);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      ObjectNode o = (ObjectNode) Json.parse(lines.get(i), "line");
      o.put("seq", i + 1);
      o.put("prev", prev);
      o.remove("hash");
      prev = Hex.encode(Crypto.sha256(CanonicalJson.encode(o)));
      o.put("hash", prev);
      out.add(new String(CanonicalJson.encodeFile(o), StandardCharsets.UTF_8));
    }
    Files.write(log(), out, StandardCharsets.UTF_8);
  }

  @Test
  void a_line_deleted_and_the_chain_recomputed_misses_the_published_head() throws Exception {
    published();
    ok("bump", "timestamp", "--by", "2d");
    ok("publish");
    dropAndRehash(2);
    Cli.Result r = auditVerify();
    assertEquals(1, r.status());
    assertTrue(r.out().contains("the published timestamp (version 2)"), r.out());
  }

  @Test
  void lines_after_the_last_publish_are_held_by_a_head_kept_elsewhere() throws Exception {
    published();
    ok("bump", "timestamp", "--by", "2d");
    ok("--yes", "discard");
    JsonNode v = dev.tufsh.testing.JsonResults.result(ok("audit", "verify", "--json").out());
    String head = v.get("head").asText();
    // Drop the last two lines: a valid shorter chain, still reaching the published head.
    List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
    Files.write(log(), lines.subList(0, lines.size() - 3), StandardCharsets.UTF_8);
    auditVerify().assertOk();
    Cli.Result r = auditVerify("--head", head);
    assertEquals(1, r.status());
    assertTrue(r.out().contains("lines were removed"), r.out());
    assertEquals(2, run("audit", "verify", "--head", "12").status(), "a malformed head is a usage error");
  }

  @Test
  void invalid_utf8_is_reported_with_its_line_number() throws Exception {
    published();
    byte[] b = Files.readAllBytes(log());
    int second = new String(b, StandardCharsets.ISO_8859_1).indexOf('\n') + 1;
    b[second + 2] = (byte) 0xff;
    Files.write(log(), b);
    Cli.Result r = auditVerify();
    assertEquals(1, r.status());
    assertTrue(r.err().contains(": line 2: line is not valid UTF-8 (bad byte 0xff at byte 3 of the line)"), r.err());
    ok("audit", "show");
  }

  // ------------------------------------------------------------------ rollback after a restore

  private int version(String file) throws Exception {
    return Json.parse(Files.readString(repo.resolve("metadata").resolve(file)), file).path("signed").path("version")
        .asInt();
  }

  private static void cp(Path from, Path to) throws Exception {
    Process p = new ProcessBuilder("cp", "-a", from + "/.", to.toString()).inheritIO().start();
    assertEquals(0, p.waitFor());
  }

  /** What an operator's nightly backup holds: a copy of metadata/ as it is now. */
  private Path backupOfMetadata() throws Exception {
    Path backup = tmp.resolve("backup");
    Files.createDirectories(backup);
    cp(repo.resolve("metadata"), backup);
    return backup;
  }

  @Test
  void a_restored_backup_is_refused_and_publishing_goes_above_the_mark() throws Exception {
    published();
    Path backup = backupOfMetadata();
    for (int i = 0; i < 3; i++) {
      ok("bump", "bin-*", "--by", "2d");
      ok("publish");
    }
    assertEquals(4, version("timestamp.json"));
    // tuf-js, python-tuf and go-tuf update and cache version 4.
    try (dev.tufsh.testing.StaticHttpServer server = dev.tufsh.testing.StaticHttpServer.serve(repo)) {
      for (TufClient c : CLIENTS) {
        TufClient.Result r = refresh(c, server);
        assertTrue(r.ok(), r.toString());
      }
    }
    byte[] snapshot2 = Files.readAllBytes(repo.resolve("metadata/2.snapshot.json"));
    // Restored over the live folder: timestamp.json and the bins' entries are version 1 again.
    cp(backup, repo.resolve("metadata"));
    assertEquals(1, version("timestamp.json"));

    ok("bump", "bin-*", "--by", "2d");
    Cli.Result refused = run("publish");
    assertEquals(1, refused.status());
    assertTrue(refused.err().contains("timestamp.json is version 1 but version 4 was published"), refused.err());
    assertTrue(refused.err().contains("restored from a backup"), refused.err());
    assertTrue(refused.err().contains("publish --after-restore"), refused.err());
    assertEquals(1, refused.err().strip().lines().count(), refused.err());
    assertEquals(1, version("timestamp.json"), "nothing was published");

    JsonNode pub = dev.tufsh.testing.JsonResults.result(ok("--json", "publish", "--after-restore").out());
    assertEquals(5, pub.get("versions").get("timestamp").asInt());
    assertEquals(5, pub.get("versions").get("snapshot").asInt());
    assertEquals(5, pub.get("versions").get("bin-0").asInt(), pub.toString());
    assertTrue(java.util.Arrays.equals(snapshot2, Files.readAllBytes(repo.resolve("metadata/2.snapshot.json"))),
        "2.snapshot.json keeps the bytes it was published with");
    ok("verify");
    try (dev.tufsh.testing.StaticHttpServer server = dev.tufsh.testing.StaticHttpServer.serve(repo)) {
      for (TufClient c : CLIENTS) {
        TufClient.Result r = refresh(c, server);
        assertTrue(r.ok(), "a client that saw version 4 takes version 5: " + r);
      }
    }
  }

  /**
   * The mark survives its own file: publish reads the audit log from the position the mark keeps
   * (only what the log gained since), and the whole log when that file is gone or older.
   */
  @Test
  void a_restore_that_also_loses_or_rewinds_the_high_water_file_is_still_refused() throws Exception {
    published();
    Path backup = backupOfMetadata();
    Path mark = repo.resolve(".tufsh/high-water.json");
    byte[] oldMark = Files.readAllBytes(mark);
    assertTrue(new String(oldMark, java.nio.charset.StandardCharsets.UTF_8).contains("\"audit_position\""),
        "publish keeps its place in the audit log");
    ok("bump", "bin-*", "--by", "2d");
    ok("publish");
    for (String how : List.of("deleted", "rewound")) {
      cp(backup, repo.resolve("metadata"));
      if (how.equals("deleted")) {
        Files.delete(mark);
      } else {
        Files.write(mark, oldMark);
      }
      ok("bump", "timestamp", "--by", "2d");
      Cli.Result refused = run("publish");
      assertEquals(1, refused.status(), how + ": " + refused);
      assertTrue(refused.err().contains("timestamp.json is version 1 but version 2 was published"),
          how + ": " + refused.err());
      ok("--yes", "discard");
    }
  }

  /** The peer clients that read succinct hashed bins (tough does not: EnginePeerClientsTest). */
  static final List<TufClient> CLIENTS = List.of(TufClient.TUF_JS, TufClient.PYTHON_TUF, TufClient.GO_TUF);

  /** One client's refresh from its own kept cache (its previous trusted state). */
  private TufClient.Result refresh(TufClient c, dev.tufsh.testing.StaticHttpServer server) {
    return c.refresh(server, repo.resolve("metadata/1.root.json"), tmp.resolve("cache-" + c)).run();
  }

  @Test
  void a_role_left_behind_by_a_restore_is_named_with_how_to_lift_it() throws Exception {
    published();
    Path backup = backupOfMetadata();
    ok("bump", "bin-*", "--by", "2d");
    ok("publish");
    cp(backup, repo.resolve("metadata"));
    ok("bump", "timestamp", "--by", "2d");
    Cli.Result refused = run("publish", "--after-restore");
    assertEquals(1, refused.status());
    assertTrue(refused.err().contains("version 1: version 2 was published before"), refused.err());
    assertTrue(refused.err().contains("'tufsh resign"), refused.err());
    ok("resign", "bin-*");
    ok("publish", "--after-restore");
    ok("verify");
  }

  /**
   * The same with the verified index restored beside metadata/ (it then vouches for the restored
   * snapshot): publish still scans every mark and names the role left behind.
   */
  @Test
  void a_role_left_behind_is_named_even_when_the_verified_index_was_restored_with_metadata() throws Exception {
    published();
    Path backup = backupOfMetadata();
    Path index = repo.resolve(".tufsh/verified.index");
    byte[] oldIndex = Files.readAllBytes(index);
    ok("bump", "bin-*", "--by", "2d");
    ok("publish");
    cp(backup, repo.resolve("metadata"));
    Files.write(index, oldIndex);
    ok("bump", "timestamp", "--by", "2d");
    Cli.Result refused = run("publish", "--after-restore");
    assertEquals(1, refused.status());
    assertTrue(refused.err().contains("version 1: version 2 was published before"), refused.err());
  }

  // ------------------------------------------------------------------ files

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  /** tufsh as a separate process under {@code umask}, as an operator's shell would start it. */
  private void runUnderUmask(String umask, String... words) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask " + umask + "; exec \"$@\"", "sh", java,
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.tufsh.app.Main", "--repo", repo.toString(),
        "--passphrase-file", pass.toString()));
    cmd.addAll(List.of(words));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
  }

  @ParameterizedTest(name = "umask {0}")
  @ValueSource(strings = {"000", "077"})
  void public_files_are_0644_in_0755_folders_and_private_ones_owner_only_whatever_the_umask(String umask)
      throws Exception {
    Path file = tmp.resolve("demo-1.0.tar.gz");
    Files.writeString(file, "demo");
    runUnderUmask(umask, "init", "--bins", "4");
    runUnderUmask(umask, "target", "add", "--prefix", "packages", file.toString());
    runUnderUmask(umask, "publish");
    // The repository folder too: one others may write would let them swap .tufsh/ (and its keys) for their own.
    for (Path dir : List.of(repo, repo.resolve("metadata"), repo.resolve("targets"), repo.resolve("targets/packages"))) {
      assertEquals("rwxr-xr-x", mode(dir), dir.toString());
    }
    try (var walk = Files.walk(repo.resolve("metadata")); var targets = Files.walk(repo.resolve("targets"))) {
      for (Path f : (Iterable<Path>) java.util.stream.Stream.concat(walk, targets)::iterator) {
        if (Files.isRegularFile(f)) {
          assertEquals("rw-r--r--", mode(f), f.toString());
        }
      }
    }
    assertEquals("rwx------", mode(repo.resolve(".tufsh")));
    try (var walk = Files.walk(repo.resolve(".tufsh"))) {
      for (Path f : (Iterable<Path>) walk::iterator) {
        assertEquals(Files.isDirectory(f) ? "rwx------" : "rw-------", mode(f), f.toString());
      }
    }
  }

  @ParameterizedTest(name = "umask {0}")
  @ValueSource(strings = {"000", "077"})
  void exports_are_public_and_runbooks_owner_only_in_folders_made_for_them_whatever_the_umask(String umask)
      throws Exception {
    runUnderUmask(umask, "init", "--bins", "4");
    runUnderUmask(umask, "bump", "targets", "--by", "400d");
    Path exports = tmp.resolve("carry/usb");
    runUnderUmask(umask, "sign", "export", "targets", "--out", exports.toString());
    for (Path dir : List.of(tmp.resolve("carry"), exports)) {
      assertEquals("rwxr-xr-x", mode(dir), dir.toString());
    }
    assertEquals("rw-r--r--", mode(exports.resolve("targets.json")));
    Path book = tmp.resolve("books/today/rotate.tufsh");
    runUnderUmask(umask, "-c", "record start " + book + "; status; record stop");
    for (Path dir : List.of(tmp.resolve("books"), book.getParent())) {
      assertEquals("rwx------", mode(dir), dir.toString());
    }
    assertEquals("rw-------", mode(book));
    assertTrue(Files.readString(book).contains("status"), Files.readString(book));
  }

  @Test
  void a_link_planted_under_a_temp_name_is_removed_never_followed() throws Exception {
    published();
    Path outside = tmp.resolve("outside/evil.json");
    Files.createDirectories(outside.getParent());
    Path meta = repo.resolve("metadata");
    Files.createSymbolicLink(meta.resolve(".timestamp.json.tmp-4242-1"), outside);
    Files.createSymbolicLink(meta.resolve(".2.snapshot.json.tmp-4242-1"), outside);
    ok("bump", "timestamp", "--by", "2d");
    ok("publish");
    assertFalse(Files.exists(outside, LinkOption.NOFOLLOW_LINKS), "nothing was written outside the workspace");
    assertFalse(Files.isSymbolicLink(meta.resolve("timestamp.json")));
    try (var files = Files.list(meta)) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(".")).toList());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"metadata:rwxrwxr-x:group", "targets:rwxrwxrwx:world", "metadata:rwxr-xrwx:world"})
  void a_folder_others_can_write_is_refused_naming_it_and_the_mode_wanted(String c) throws Exception {
    String[] p = c.split(":");
    published();
    Path dir = repo.resolve(p[0]);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(p[1]));
    Cli.Result r = run("status");
    assertEquals(1, r.status());
    assertEquals("tufsh: error: " + dir + " is " + p[2] + "-writable (mode 0" + Integer.toOctalString(
        Integer.parseInt(p[1].replaceAll("[rwx]", "1").replace('-', '0'), 2)) + "); tufsh wants 755: chmod 755 " + dir,
        r.err().strip());
  }
}
