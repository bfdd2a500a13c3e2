package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.cli.ExitCodes;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.Staging;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.CliRepo;
import dev.tufsh.testing.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command that reads a published role and signs a new version of it refuses when that
 * role's file in metadata/ was changed by hand since it was signed (still valid JSON): exit 1, one
 * line naming the role and its file, nothing staged, metadata/ and the keystore as they were (a
 * key generated for the change is taken back). The same command on the untouched repository
 * works. One published repository is built once and copied per row.
 */
class TamperedResignTest {
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  static final String SHA = "ab".repeat(32);

  @TempDir static Path shared;
  @TempDir Path dir;
  static Path template;
  static Path checkpoint;

  /**
   * One row: the command, the role whose published file is changed by hand (a bin is named by a
   * target path it holds, {@code bin:PATH}; {@code member:} adds a member rather than a target, for
   * a command that would first miss the added target's file), and the clock it runs at.
   */
  record Row(String name, String tamper, Instant at, List<String> args) {
    Row(String name, String tamper, String... args) {
      this(name, tamper, NOW, List.of(args));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("target add into a bin", "bin:packages/new-1.0.tar.gz",
            "target", "add", "--path", "packages/new-1.0.tar.gz", "--length", "5", "--sha256", SHA),
        new Row("target remove from a bin", "bin:packages/a-1.0.tar.gz", "target", "remove", "packages/a-1.0.tar.gz"),
        new Row("target rehash", "member:bin:packages/b-1.0.tar.gz", "target", "rehash", "--add", "sha512"),
        new Row("reshape reads every bin", "bin:packages/a-1.0.tar.gz", "reshape", "--bins", "8"),
        new Row("reshape under a tampered delegator", "bins", "reshape", "--bins", "8"),
        new Row("refresh re-signs the snapshot", "snapshot", NOW.plus(Duration.ofHours(13)), List.of("refresh")),
        new Row("refresh re-signs the timestamp", "timestamp", NOW.plus(Duration.ofHours(13)), List.of("refresh")),
        new Row("delegation add", "targets", "delegation", "add", "proj2", "--path", "proj2/*", "--key", "targets-1",
            "--before", "bins"),
        new Row("delegation remove", "targets", "delegation", "remove", "proj"),
        new Row("delegation set re-signs the delegator", "targets", "delegation", "set", "proj", "--key",
            "snapshot-1"),
        new Row("delegation set re-signs the role", "proj", "delegation", "set", "proj", "--key", "snapshot-1"),
        new Row("restore into a bin", "bin:packages/c-1.0.tar.gz", "restore", "--from", "CHECKPOINT", "--key",
            "targets-1"),
        new Row("rotate a bin key", "bin:packages/a-1.0.tar.gz", "rotate", "bin-0"),
        new Row("rotate the targets key", "targets", "rotate", "targets"),
        new Row("rotate an online key under a tampered root", "root", "rotate", "timestamp"),
        new Row("revoke --generate (the incident)", "bin:packages/b-1.0.tar.gz", "revoke", "bin-n-1", "--generate"),
        new Row("bump", "bin:packages/a-1.0.tar.gz", "bump", "bin-*"),
        new Row("resign", "bin:packages/a-1.0.tar.gz", "resign", "bin-*"));
  }

  /** Four bins holding three targets, a delegated role 'proj', a checkpoint, then a target removed. */
  @BeforeAll
  static void publish() throws IOException {
    CliRepo t = CliRepo.published(Files.createDirectories(shared.resolve("t")), 4, NOW);
    Path in = Files.createDirectories(shared.resolve("in"));
    List<String> add = new ArrayList<>(List.of("target", "add", "--prefix", "packages"));
    for (String n : List.of("a", "b", "c")) {
      add.add(Files.writeString(in.resolve(n + "-1.0.tar.gz"), n + n + n).toString());
    }
    t.at(NOW, add.toArray(String[]::new)).assertOk();
    t.at(NOW, "delegation", "add", "proj", "--path", "proj/*", "--key", "targets-1", "--before", "bins")
        .assertOk();
    t.at(NOW, "publish").assertOk();
    checkpoint = shared.resolve("checkpoint.json");
    t.at(NOW, "checkpoint", "--out", checkpoint.toString(), "--key", "targets-1").assertOk();
    t.at(NOW, "target", "remove", "packages/c-1.0.tar.gz").assertOk();
    t.at(NOW, "publish").assertOk();
    template = shared.resolve("t");
  }

  private CliRepo copy(String name) throws IOException {
    Path to = Trees.copy(template, dir.resolve(name));
    return new CliRepo(to.resolve("repo"), to.resolve("pass"));
  }

  private static Cli.Result run(CliRepo r, Row row) {
    List<String> args = new ArrayList<>(List.of("--yes"));
    row.args().forEach(a -> args.add(a.equals("CHECKPOINT") ? checkpoint.toString() : a));
    return r.at(row.at(), args.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void a_role_changed_by_hand_is_refused_and_the_untouched_repository_works(Row row) throws IOException {
    run(copy("clean"), row).assertOk();

    CliRepo r = copy("tampered");
    Workbench bench = Benches.at(r.repo(), Benches.fixed(NOW));
    boolean member = row.tamper().startsWith("member:");
    String role = role(bench, row.tamper().substring(member ? 7 : 0));
    Path file = tamper(bench, role, member);
    Map<String, byte[]> metadata = listing(r.repo().resolve("metadata"));
    Map<String, byte[]> keys = listing(r.repo().resolve(".tufsh/keys"));

    Cli.Result res = run(r, row);
    assertRefused(res, role, file);
    assertEquals(0, Staging.count(bench.workspace().stagedDir()), "nothing staged");
    assertSame(metadata, listing(r.repo().resolve("metadata")), "metadata/ as it was");
    assertSame(keys, listing(r.repo().resolve(".tufsh/keys")), "no key left behind");
  }

  /**
   * Publish builds the new snapshot on the published one's entries: when that file is not the one
   * tufsh last published and verified, it must still carry the snapshot keys' signatures, or the
   * publish is refused before anything is written (the staged change stays for another try).
   */
  @org.junit.jupiter.api.Test
  void publish_refuses_to_carry_a_snapshot_changed_by_hand() throws IOException {
    String[] add = {"target", "add", "--path", "packages/new-1.0.tar.gz", "--length", "5", "--sha256", SHA};
    CliRepo clean = copy("clean");
    clean.at(NOW, add).assertOk();
    clean.at(NOW, "publish").assertOk();

    CliRepo r = copy("tampered");
    r.at(NOW, add).assertOk();
    Workbench bench = Benches.at(r.repo(), Benches.fixed(NOW));
    Path file = tamper(bench, "snapshot", false);
    Map<String, byte[]> metadata = listing(r.repo().resolve("metadata"));
    assertRefused(r.at(NOW, "publish"), "snapshot", file);
    assertSame(metadata, listing(r.repo().resolve("metadata")), "metadata/ as it was");
    assertEquals(1, Staging.count(bench.workspace().stagedDir()), "the staged bin kept");
  }

  /**
   * Publish builds the new timestamp on the published one (its members kept, its version the next
   * above it): a timestamp.json changed by hand, with a member added or its version raised toward
   * the largest clients accept, is refused before anything is written; the staged change stays.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"member", "version"})
  void publish_refuses_to_build_on_a_timestamp_changed_by_hand(String edit) throws IOException {
    String[] add = {"target", "add", "--path", "packages/new-1.0.tar.gz", "--length", "5", "--sha256", SHA};
    CliRepo r = copy("tampered");
    r.at(NOW, add).assertOk();
    Workbench bench = Benches.at(r.repo(), Benches.fixed(NOW));
    Path file = r.repo().resolve("metadata/timestamp.json");
    if (edit.equals("member")) {
      tamper(bench, "timestamp", false);
    } else {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String edited = text.replaceFirst("(\"_type\":\"timestamp\",.*\"version\":)\\d+", "$12147483000");
      assertTrue(!edited.equals(text), "version raised");
      Files.writeString(file, edited, StandardCharsets.UTF_8);
    }
    Map<String, byte[]> metadata = listing(r.repo().resolve("metadata"));
    assertRefused(r.at(NOW, "publish"), "timestamp", file);
    assertSame(metadata, listing(r.repo().resolve("metadata")), "metadata/ as it was");
    assertEquals(1, Staging.count(bench.workspace().stagedDir()), "the staged bin kept");
  }

  /** Exit 1 and one line naming {@code role} and {@code file}. */
  private static void assertRefused(Cli.Result res, String role, Path file) {
    assertEquals(ExitCodes.FAILED, res.status(), res.err());
    String name = file.getFileName().toString();
    assertTrue(res.err().lines().anyMatch(l -> l.contains("role '" + role + "'") && l.contains(name)
        && l.contains("refusing to re-sign")), "one line naming " + role + " and " + name + ":\n" + res.err());
  }

  /**
   * The check's cheap path: a bin whose file is the one the last publish verified is vouched for by
   * its SHA-256 in the verified index, with no signature checked; only the few delegating roles
   * above the bins (root, targets, bins) are checked by signatures, however many bins change. A
   * renewal always has the index at hand; any other change loads it from {@link
   * Repository#INDEX_WORTH} published bins on. Without the index (a foreign repository) every role
   * is checked by its signatures, and the change still works.
   */
  @org.junit.jupiter.api.Test
  void untouched_bins_are_vouched_for_by_the_verified_index_not_by_signatures() throws IOException {
    int bins = Repository.INDEX_WORTH;
    Workbench b = Benches.at(dir.resolve("r"), Benches.fixed(NOW));
    Init.run(b, Init.Request.defaults().withBins(bins));
    Publishing.publish(b);
    Trees.copy(dir.resolve("r"), dir.resolve("foreign"));

    Repository first = b.repository();
    List<String> names = first.roleNames().stream().filter(first::isBin).toList();
    assertEquals(bins, names.size());
    // Changes kept in memory (not saved) first: a renewal's batch is staged on disk.
    Repository one = b.repository();
    one.stage(names.get(1), one.requireTargets(names.get(1)).withExpires(one.freshExpiry(names.get(1))));
    assertEquals(new Repository.Checked(0, 4), one.checked(), "one bin: its signatures, not a 16,384-line index");

    Repository change = b.repository();
    Map<String, dev.tufsh.model.Targets> read = new TreeMap<>();
    names.forEach(n -> read.put(n, change.requireTargets(n)));
    change.stage(names.get(0), read.get(names.get(0)).withExpires(change.freshExpiry(names.get(0))));
    assertEquals(new Repository.Checked(bins, 3), change.checked(), "a change over every bin loads the index");

    Repository renewal = b.repository();
    renewal.renewAll(names, (r, cur) -> null); // staged: the last
    assertEquals(new Repository.Checked(bins, 3), renewal.checked(), "bins by the index; root, targets, bins signed");

    Workbench foreign = Benches.at(dir.resolve("foreign"), Benches.fixed(NOW));
    Files.delete(foreign.workspace().privateDir().resolve("verified.index"));
    Repository noIndex = foreign.repository();
    noIndex.renewAll(names, (r, cur) -> null);
    assertEquals(new Repository.Checked(0, bins + 3), noIndex.checked(), "no index: every role by its signatures");
    noIndex.save();
    assertEquals(bins, Staging.count(foreign.workspace().stagedDir()));
  }

  /**
   * The bytes checked are the bytes a change carries: a bin changed by hand, read for a change,
   * then put back before the check (a writer that ignores the lock) is refused, whether the check
   * takes the verified index (a change read {@code others} more bins) or the bin's signatures (its
   * decoded copy dropped since, so the check would read the put-back file).
   */
  @ParameterizedTest(name = "{0} other bins read")
  @org.junit.jupiter.params.provider.ValueSource(ints = {Repository.INDEX_WORTH - 1, 32})
  void a_bin_put_back_after_it_was_read_is_refused(int others) throws IOException {
    Workbench b = Benches.at(dir.resolve("r"), Benches.fixed(NOW));
    Init.run(b, Init.Request.defaults().withBins(Repository.INDEX_WORTH));
    Publishing.publish(b);
    Repository repo = b.repository();
    List<String> names = repo.roleNames().stream().filter(repo::isBin).toList();
    String victim = names.get(0);
    Path file = b.workspace().metadataDir().resolve(repo.publishedVersion(victim) + "." + victim + ".json");
    byte[] original = Files.readAllBytes(file);
    String text = new String(original, StandardCharsets.UTF_8);
    String edited = text.replace("\"targets\":{}", "\"targets\":{\"packages/evil-1.0.tar.gz\":{\"hashes\":{\"sha256\":\""
        + "cd".repeat(32) + "\"},\"length\":5}}");
    assertTrue(!edited.equals(text), "an empty bin gains a target");
    Files.writeString(file, edited, StandardCharsets.UTF_8);

    dev.tufsh.model.Targets read = repo.requireTargets(victim);
    assertTrue(read.targets().containsKey("packages/evil-1.0.tar.gz"), "read as changed");
    names.subList(1, 1 + others).forEach(repo::requireTargets);
    Files.write(file, original);
    var e = org.junit.jupiter.api.Assertions.assertThrows(dev.tufsh.errors.SignatureError.class,
        () -> repo.stage(victim, read.withExpires(repo.freshExpiry(victim))));
    assertTrue(e.getMessage().contains("role '" + victim + "'") && e.getMessage().contains(file.getFileName()
        + " changed while it was read"), e.getMessage());
    assertEquals(0, repo.staging().roles().size(), "nothing staged");
  }

  /** {@code tamper}'s role: a role name, or {@code bin:PATH} for the bin that holds (or would hold) PATH. */
  private static String role(Workbench bench, String tamper) {
    return tamper.startsWith("bin:") ? new TargetRouter(bench.repository()).roleFor(tamper.substring(4)) : tamper;
  }

  /**
   * Changes {@code role}'s published file as an intruder would and keeps it valid JSON: a bin
   * gains a target, any other role (or any with {@code member}) a member in what its signatures cover.
   */
  static Path tamper(Workbench bench, String role, boolean member) throws IOException {
    Repository repo = bench.repository();
    Path meta = bench.workspace().metadataDir();
    Path file = switch (role) {
      case "root" -> meta.resolve(repo.publishedVersion("root") + ".root.json");
      case "timestamp" -> meta.resolve("timestamp.json");
      default -> meta.resolve(repo.publishedVersion(role) + "." + role + ".json");
    };
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String edited = repo.isBin(role) && !member
        ? text.replace("\"targets\":{", "\"targets\":{\"packages/evil-1.0.tar.gz\":{\"hashes\":{\"sha256\":\""
            + "cd".repeat(32) + "\"},\"length\":5},")
        : text.replaceFirst("\"signed\":\\{", "\"signed\":{\"x-edited\":true,");
    assertTrue(!edited.equals(text), "tampered " + file);
    Files.writeString(file, edited, StandardCharsets.UTF_8);
    return file;
  }

  static Map<String, byte[]> listing(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  private static void assertSame(Map<String, byte[]> before, Map<String, byte[]> after, String what) {
    assertEquals(before.keySet(), after.keySet(), what);
    before.forEach((n, b) -> assertArrayEquals(b, after.get(n), what + ": " + n));
  }
}
