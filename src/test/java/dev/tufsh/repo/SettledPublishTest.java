package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Resign;
import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.TargetSpec;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import dev.tufsh.trust.ClientVerifier;
import dev.tufsh.trust.KnownRole;
import dev.tufsh.trust.VerificationError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publish in a process that published last takes the bins its walk settled then as they stand
 * where the new snapshot keeps their very entries (trust.SettledBins), and writes the same bytes a
 * publish walking every bin writes; whatever another process or hand changed (the snapshot, the
 * verified index, a temp file) is judged as in a fresh process, and a settled bin that expired
 * since is still refused.
 */
class SettledPublishTest {
  @TempDir Path dir;

  private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

  private static Workbench init(Path repo, Clock clock, int bins) {
    Workbench b = Benches.at(repo, clock);
    Init.run(b, Init.Request.defaults().withBins(bins));
    Publishing.publish(b);
    return b;
  }

  private static void upload(Workbench b, String path) {
    TargetOps.add(b, List.of(TargetSpec.external(path, 3, Map.of("sha256", "ab".repeat(32)))));
    Publishing.publish(b);
  }

  private static VerifiedIndex.Known known(Workbench b) {
    return VerifiedIndex.load(b.workspace(), b.repository().published());
  }

  /** What a walk of every bin, as a fresh process's publish makes it, establishes about the leaves. */
  private static Map<String, KnownRole> everyBinWalked(Workbench b) {
    Repository repo = b.repository();
    Path meta = b.workspace().metadataDir();
    return new HashMap<>(new ClientVerifier(repo.now()).keepLeafMetadata(false)
        .verify(repo.published().rootBytes(), name -> {
          Path p = meta.resolve(name);
          return Files.exists(p) ? Optional.of(AtomicFiles.read(p)) : Optional.empty();
        }, null, null).leaves());
  }

  @Test
  void uploads_in_one_process_settle_on_the_last_and_index_what_walking_every_bin_gives() throws Exception {
    Workbench b = init(dir.resolve("repo"), Benches.fixed(T), 64);
    for (int i = 0; i < 4; i++) {
      upload(b, "pkgs/p" + i + "-1.0.tar.gz");
      VerifiedIndex.Known k = known(b);
      assertNotNull(k.settled(), "the publish left its bins settled for the next");
      Map<String, KnownRole> file = VerifiedIndex.parse(Files.readAllBytes(index(b))).roles();
      assertEquals(everyBinWalked(b), new HashMap<>(file), "upload " + i + ": the index is the full walk's");
      assertEquals(new HashMap<>(file), new HashMap<>(k.roles()), "what is held is what the file says");
    }
  }

  @Test
  void a_settled_publish_writes_the_bytes_a_publish_walking_every_bin_writes() throws Exception {
    Workbench b = init(dir.resolve("repo"), Benches.fixed(T), 32);
    upload(b, "pkgs/a-1.0.tar.gz");
    copy(dir.resolve("repo"), dir.resolve("twin")); // a fresh process's view: nothing held for it
    Workbench twin = Benches.at(dir.resolve("twin"), Benches.fixed(T));
    assertNotNull(known(b).settled());
    assertNull(known(twin).settled(), "the twin's index is parsed from its file");
    // Several in a row: each splice after the first takes the offsets the one before kept.
    for (String p : List.of("pkgs/b-1.0.tar.gz", "pkgs/c-1.0.tar.gz", "pkgs/d-1.0.tar.gz")) {
      upload(b, p);
      upload(twin, p);
    }
    assertNotNull(SpliceLayouts.get(b.workspace().metadataDir()), "the splice kept its layout");
    assertEquals(files(dir.resolve("twin/metadata")).keySet(), files(dir.resolve("repo/metadata")).keySet());
    files(dir.resolve("repo/metadata")).forEach((n, bytes) ->
        assertArrayEquals(bytes, files(dir.resolve("twin/metadata")).get(n), n));
    for (String f : List.of("verified.index", "published.index", "high-water.json", "high-water.log")) {
      Path a = b.workspace().privateDir().resolve(f);
      Path c = twin.workspace().privateDir().resolve(f);
      assertEquals(Files.exists(a), Files.exists(c), f);
      if (Files.exists(a)) {
        assertArrayEquals(Files.readAllBytes(c), Files.readAllBytes(a), f);
      }
    }
  }

  @Test
  void after_another_process_published_every_bin_is_walked_and_its_change_kept() throws Exception {
    Workbench b = init(dir.resolve("repo"), Benches.fixed(T), 32);
    upload(b, "pkgs/a-1.0.tar.gz");
    assertNotNull(known(b).settled());
    // Another process publishes into the same folder: here, a copy's publish written back over it.
    copy(dir.resolve("repo"), dir.resolve("other"));
    Workbench other = Benches.at(dir.resolve("other"), Benches.fixed(T));
    String theirs = TargetOps.add(other, List.of(TargetSpec.external("pkgs/c-1.0.tar.gz", 3,
        Map.of("sha256", "ab".repeat(32))))).roleByPath().get("pkgs/c-1.0.tar.gz");
    Publishing.publish(other);
    copy(dir.resolve("other"), dir.resolve("repo"));
    assertNull(known(b).settled(), "the index on disk is another's: nothing settled is taken");
    upload(b, "pkgs/d-1.0.tar.gz");
    assertEquals(everyBinWalked(b), new HashMap<>(VerifiedIndex.parse(Files.readAllBytes(index(b))).roles()));
    assertEquals(3, b.repository().publishedVersion(theirs) + (theirs.equals(binOf(b, "pkgs/d-1.0.tar.gz")) ? 0 : 1),
        "their bin's change is kept");
    assertNotNull(known(b).settled(), "and this publish settles again");
  }

  private static String binOf(Workbench b, String path) {
    return b.repository().roleNames().stream().filter(r -> b.repository().targets(r)
        .map(t -> t.targets().containsKey(path)).orElse(false)).findFirst().orElseThrow();
  }

  @Test
  void an_index_changed_by_anyone_else_settles_nothing() throws Exception {
    Workbench b = init(dir.resolve("repo"), Benches.fixed(T), 16);
    upload(b, "pkgs/a-1.0.tar.gz");
    assertNotNull(known(b).settled());
    Files.writeString(index(b), Files.readString(index(b)) + ""); // same bytes: still held
    assertNotNull(known(b).settled());
    byte[] bytes = Files.readAllBytes(index(b));
    Files.write(index(b), java.util.Arrays.copyOf(bytes, bytes.length)); // rewritten alike: same bytes
    assertNotNull(known(b).settled());
    String text = Files.readString(index(b));
    int at = text.indexOf('\t') + 1; // the first line's version, one more
    Files.writeString(index(b), text.substring(0, at) + "9" + text.substring(at));
    assertNull(known(b).settled(), "changed bytes: parsed as a fresh process would");
  }

  @Test
  void a_snapshot_changed_by_hand_after_a_settled_publish_is_refused() throws Exception {
    Workbench b = init(dir.resolve("repo"), Benches.fixed(T), 16);
    upload(b, "pkgs/a-1.0.tar.gz");
    Path snap = b.workspace().metadataDir().resolve(b.repository().publishedVersion("snapshot") + ".snapshot.json");
    String text = Files.readString(snap);
    String tampered = text.replaceFirst("\\{\"version\":1\\}", "{\"version\":7}"); // a role's entry raised
    assertFalse(text.equals(tampered));
    Files.writeString(snap, tampered);
    TargetOps.add(b, List.of(TargetSpec.external("pkgs/b-1.0.tar.gz", 3, Map.of("sha256", "ab".repeat(32)))));
    RuntimeException e = assertThrows(RuntimeException.class, () -> Publishing.publish(b));
    assertTrue(e.getMessage().contains("snapshot"), e.getMessage());
  }

  /**
   * A bin the last publish of this process settled, then changed by hand in metadata/, is not
   * re-signed by the next upload into it: the tamper check judges the bytes read now, not what the
   * settled walk or the held index remember, so the change is refused, nothing staged or published.
   */
  @Test
  void a_settled_bin_changed_by_hand_is_refused_by_the_next_change_to_it() throws Exception {
    Workbench b = init(dir.resolve("repo"), Benches.fixed(T), 16);
    String first = "pkgs/a-1.0.tar.gz";
    upload(b, first);
    assertNotNull(known(b).settled(), "the publish left its bins settled for the next");
    String bin = binOf(b, first);
    long index = dev.tufsh.model.SuccinctRoles.binIndex(first, 4);
    String same = java.util.stream.IntStream.range(0, 100_000).mapToObj(i -> "pkgs/b" + i + "-1.0.tar.gz")
        .filter(p -> dev.tufsh.model.SuccinctRoles.binIndex(p, 4) == index).findFirst().orElseThrow();
    Path file = b.workspace().metadataDir().resolve(FileNames.metadata(bin, b.repository().publishedVersion(bin)));
    dev.tufsh.testing.Trees.flipLastSignature(file);
    Path timestamp = b.workspace().metadataDir().resolve(FileNames.TIMESTAMP);
    byte[] published = Files.readAllBytes(timestamp);
    RuntimeException e = assertThrows(RuntimeException.class, () -> upload(b, same));
    assertTrue(e.getMessage().contains(bin), e.getMessage());
    assertTrue(b.repository().staging().roles().isEmpty(), "nothing staged");
    assertArrayEquals(published, Files.readAllBytes(timestamp), "nothing published");
  }

  /**
   * After a publish in this process the timestamp check takes the timestamp and root chain it
   * vouched for as they are (VouchedTimestamp), and the splice the offsets it kept (SpliceLayouts):
   * a timestamp.json or a root file changed by hand since is refused as in a fresh process.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"timestamp.json", "1.root.json"})
  void a_file_changed_by_hand_after_a_publish_in_this_process_is_refused(String name) throws Exception {
    Workbench b = init(dir.resolve("repo"), Benches.fixed(T), 16);
    upload(b, "pkgs/a-1.0.tar.gz");
    upload(b, "pkgs/b-1.0.tar.gz");
    assertTrue(VouchedTimestamp.holds(b.workspace().metadataDir()), "the publish vouched for its timestamp");
    Path file = b.workspace().metadataDir().resolve(name);
    String text = Files.readString(file);
    // A member's value changed, the signatures kept: no longer what they sign.
    String tampered = name.startsWith("timestamp")
        ? text.replaceFirst("(\"_type\":\"timestamp\",.*\"version\":)\\d+", "$12147483000")
        : text.replaceFirst("\"expires\":\"(\\d{4})", "\"expires\":\"2999");
    assertFalse(text.equals(tampered));
    Files.writeString(file, tampered);
    Map<String, byte[]> before = files(b.workspace().metadataDir());
    // Refused by the upload's re-sign of its bin (the root) or by publish (the timestamp), as in a fresh process.
    RuntimeException e = assertThrows(RuntimeException.class, () -> {
      TargetOps.add(b, List.of(TargetSpec.external("pkgs/c-1.0.tar.gz", 3, Map.of("sha256", "ab".repeat(32)))));
      Publishing.publish(b);
    });
    String role = name.startsWith("timestamp") ? "timestamp" : "root";
    assertTrue(e.getMessage().contains("role '" + role + "'") && e.getMessage().contains("refusing to re-sign"),
        e.getMessage());
    assertEquals(before.keySet(), files(b.workspace().metadataDir()).keySet(), "nothing published");
  }

  @Test
  void a_settled_bin_that_expired_since_is_refused() throws Exception {
    // 256 bins bumped to one hour: a snapshot of many changed entries is flat again (model.Overlay),
    // so the uploads after it lay one bin over it and walk that one bin, the others settled.
    Workbench b = init(dir.resolve("repo"), Benches.fixed(T), 256);
    Resign.bump(b, new Resign.Selection(List.of("bin-*"), null, null),
        new Resign.NewExpiry(null, Duration.ofHours(1), true));
    Publishing.publish(b);
    String first = "pkgs/a-1.0.tar.gz";
    upload(b, first); // settles the other 255 bins, each with its one hour
    assertNotNull(known(b).settled());
    long bin = dev.tufsh.model.SuccinctRoles.binIndex(first, 8);
    String same = java.util.stream.IntStream.range(0, 100_000).mapToObj(i -> "pkgs/b" + i + "-1.0.tar.gz")
        .filter(p -> dev.tufsh.model.SuccinctRoles.binIndex(p, 8) == bin).findFirst().orElseThrow();
    Workbench later = Benches.at(dir.resolve("repo"), Benches.fixed(T.plus(Duration.ofHours(2))));
    // The upload changes the bin the last one changed, renewed: every other bin expired meanwhile.
    TargetOps.add(later, List.of(TargetSpec.external(same, 3, Map.of("sha256", "ab".repeat(32)))));
    VerificationError e = assertThrows(VerificationError.class, () -> Publishing.publish(later));
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
  }

  /**
   * A batch that changes most bins (the daily's bump of every bin) writes the verified index whole
   * instead of appending its lines (the file stays about one line a bin for the next upload to
   * parse): the same bytes a publish that had no index writes, and an index judged as before.
   */
  @Test
  void a_daily_writes_the_index_whole_with_the_bytes_a_publish_without_one_writes() throws Exception {
    // 256 bins: past the few batches' slack an index may grow by (IndexJournal.compactAt).
    Workbench b = init(dir.resolve("repo"), Benches.fixed(T), 256);
    upload(b, "pkgs/a-1.0.tar.gz");
    copy(dir.resolve("repo"), dir.resolve("twin"));
    Workbench twin = Benches.at(dir.resolve("twin"), Benches.fixed(T));
    Files.delete(index(twin)); // the twin's daily verifies every bin and writes the index anew
    for (Workbench w : List.of(b, twin)) {
      Resign.bump(w, new Resign.Selection(List.of("bin-*"), null, null),
          new Resign.NewExpiry(null, Duration.ofDays(3), true));
      Publishing.publish(w);
    }
    assertEquals(257, Files.readAllLines(index(b)).size(), "a line a bin and the binding, not appended");
    assertArrayEquals(Files.readAllBytes(index(twin)), Files.readAllBytes(index(b)));
    assertEquals(everyBinWalked(b), new HashMap<>(VerifiedIndex.parse(Files.readAllBytes(index(b))).roles()));
    upload(b, "pkgs/b-1.0.tar.gz");
    assertEquals(259, Files.readAllLines(index(b)).size(), "an upload after it appends its bin and a binding");
  }

  /**
   * After a daily wrote the index whole, what was tampered with is refused by the next upload of a
   * fresh process (a copy of the repository, nothing held): a bin it changes, the snapshot, the
   * timestamp; nothing published.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"bin", "snapshot", "timestamp"})
  void after_a_daily_a_tampered_file_is_refused_by_the_next_upload(String what) throws Exception {
    Workbench b = init(dir.resolve("repo"), Benches.fixed(T), 16);
    Resign.bump(b, new Resign.Selection(List.of("bin-*"), null, null),
        new Resign.NewExpiry(null, Duration.ofDays(3), true));
    Publishing.publish(b);
    copy(dir.resolve("repo"), dir.resolve("fresh"));
    Workbench fresh = Benches.at(dir.resolve("fresh"), Benches.fixed(T));
    String path = "pkgs/a-1.0.tar.gz";
    String bin = "bin-" + Long.toHexString(dev.tufsh.model.SuccinctRoles.binIndex(path, 4));
    Path meta = fresh.workspace().metadataDir();
    Path file = switch (what) {
      case "bin" -> meta.resolve(FileNames.metadata(bin, fresh.repository().publishedVersion(bin)));
      case "snapshot" -> meta.resolve(fresh.repository().publishedVersion("snapshot") + ".snapshot.json");
      default -> meta.resolve(FileNames.TIMESTAMP);
    };
    if (what.equals("bin")) {
      dev.tufsh.testing.Trees.flipLastSignature(file);
    } else {
      String text = Files.readString(file);
      String tampered = text.replaceFirst("\"expires\":\"(\\d{4})", "\"expires\":\"2999");
      assertFalse(text.equals(tampered));
      Files.writeString(file, tampered);
    }
    Map<String, byte[]> before = files(meta);
    RuntimeException e = assertThrows(RuntimeException.class, () -> upload(fresh, path));
    assertTrue(e.getMessage().contains(what.equals("bin") ? bin : what), e.getMessage());
    Map<String, byte[]> after = files(meta);
    assertEquals(before.keySet(), after.keySet(), "nothing published");
    before.forEach((n, bytes) -> assertArrayEquals(bytes, after.get(n), n));
  }

  @Test
  void a_temp_file_left_by_another_writer_is_removed_by_the_next_publish() throws Exception {
    Workbench b = init(dir.resolve("repo"), Benches.fixed(T), 16);
    upload(b, "pkgs/a-1.0.tar.gz"); // leaves metadata/ clean, as recorded
    Path debris = b.workspace().metadataDir().resolve(".9.bin-0.json" + AtomicFiles.TEMP_MARK + "killed");
    Files.write(debris, new byte[] {1});
    upload(b, "pkgs/b-1.0.tar.gz");
    assertFalse(Files.exists(debris), "the folder changed since it was left clean: it is listed");
  }

  private static Path index(Workbench b) {
    return b.workspace().privateDir().resolve("verified.index");
  }

  private static Map<String, byte[]> files(Path d) {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(d)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  private static void copy(Path from, Path to) throws Exception {
    dev.tufsh.testing.Trees.copy(from, to);
  }
}
