package dev.tufsh.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The next snapshot spliced from the published one's file is byte for byte what decoding it,
 * laying the changes over it and encoding it whole give: over real snapshots (python-tuf's,
 * tough's, see fixtures/interop/README.md) and awkward ones; and it refuses what it cannot place.
 */
class SnapshotSpliceTest {
  private static final Expiry LATER = Expiry.at(Instant.parse("2031-05-06T07:08:09Z"));

  record Case(String name, byte[] file) {
    Snapshot decoded() {
      return (Snapshot) MetadataCodec.decode(file, name).signed();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> snapshots() throws IOException {
    List<Case> out = new ArrayList<>();
    Fixtures.interopMetadata(Snapshot.class).forEach((name, tree) -> out.add(new Case(name, CanonicalJson.encodeFile(tree))));
    // Names whose canonical order is not their UTF-16 order, digits that grow, an unknown member.
    Map<String, MetaFile> meta = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      meta.put(String.format("bin-%03x.json", i), MetaFile.ofVersion(1 + i % 11));
    }
    for (String n : List.of("targets.json", "Z.json", "a.json", "\u00e9t\u00e9.json", "\ud83d\ude00.json", "\uffef.json")) {
      meta.put(n, new MetaFile(9, 120L, Map.of("sha256", "ab".repeat(32)), Map.of()));
    }
    Snapshot s = new Snapshot(Signed.SPEC_VERSION, 99, Expiry.at(Instant.parse("2030-01-01T00:00:00Z")), meta,
        Map.of("x-tufsh-note", Json.parse("{\"b\":[1,2],\"a\":\"z\"}", "extra")));
    out.add(new Case("synthetic", MetadataCodec.fileBytes(new Metadata<>(s, List.of()))));
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("snapshots")
  void a_splice_is_the_full_encoding_byte_for_byte(Case c) {
    Snapshot before = c.decoded();
    List<String> names = new ArrayList<>(new TreeMap<>(before.meta()).keySet());
    Map<String, MetaFile> changed = new HashMap<>();
    changed.put(names.get(0), MetaFile.ofVersion(before.meta().get(names.get(0)).version() + 1));
    changed.put(names.get(names.size() - 1), MetaFile.ofVersion(1000));
    changed.put(names.get(names.size() / 2), MetaFile.ofVersion(before.meta().get(names.get(names.size() / 2)).version()));
    for (int version : List.of(before.version() + 1, 10, 1_000_000)) {
      Map<String, MetaFile> meta = new HashMap<>(before.meta());
      meta.putAll(changed);
      Snapshot after = new Snapshot(before.specVersion(), version, LATER, meta, before.extras());
      byte[] spliced = SnapshotSplice.signedBytes(c.file(), version, LATER, changed).orElseThrow();
      assertArrayEquals(MetadataCodec.canonicalSigned(after), spliced,
          c + " at version " + version + ": " + new String(spliced, StandardCharsets.UTF_8));
    }
    // Nothing changed but version and expiry: still the full encoding.
    Snapshot bumped = before.withVersion(before.version() + 1).withExpires(LATER);
    assertArrayEquals(MetadataCodec.canonicalSigned(bumped),
        SnapshotSplice.signedBytes(c.file(), before.version() + 1, LATER, Map.of()).orElseThrow(), c.toString());
  }

  /**
   * Splices in a row, each over the file the last one made and with the layout it kept, are byte
   * for byte the full encoding (versions gaining digits, entries first, last and in between); a
   * kept layout is not used for other bytes (a file changed by hand is scanned as it is).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("snapshots")
  void a_splice_over_the_layout_the_last_one_kept_is_the_full_encoding(Case c) {
    Snapshot snap = c.decoded();
    byte[] file = c.file();
    SnapshotSplice.Layout layout = null;
    List<String> names = new ArrayList<>(new TreeMap<>(snap.meta()).keySet());
    for (int step = 0; step < 12; step++) {
      Map<String, MetaFile> changed = new HashMap<>();
      for (String n : List.of(names.get(step % names.size()), names.get(names.size() - 1 - step % names.size()),
          names.get(names.size() / 2))) {
        if (snap.meta().get(n).length() == null && snap.meta().get(n).hashes() == null) {
          changed.put(n, MetaFile.ofVersion(snap.meta().get(n).version() + 1 + step * 7));
        }
      }
      int version = snap.version() + 1 + step * 3;
      Map<String, MetaFile> meta = new HashMap<>(snap.meta());
      meta.putAll(changed);
      Snapshot next = new Snapshot(snap.specVersion(), version, LATER, meta, snap.extras());
      var spliced = SnapshotSplice.splice(file, layout, version, LATER, changed);
      if (spliced.isEmpty()) {
        return; // entries this cannot place (length, hashes): covered above
      }
      byte[] canonical = MetadataCodec.canonicalSigned(next);
      assertArrayEquals(canonical, spliced.get().signed(), c + " step " + step);
      byte[] nextFile = MetadataCodec.fileBytes(canonical, List.of(), next);
      layout = spliced.get().layout()
          .in(nextFile, spliced.get().signed(), nextFile.length - canonical.length - 1).orElseThrow();
      assertTrue(layout.describes(nextFile));
      file = nextFile;
      snap = next;
    }
    // The kept layout and a file with other bytes (an entry raised by hand): scanned, not trusted.
    String text = new String(file, StandardCharsets.UTF_8);
    int at = text.indexOf("\"version\":", text.indexOf("\"meta\":")) + "\"version\":".length();
    byte[] edited = (text.substring(0, at) + "9" + text.substring(at)).getBytes(StandardCharsets.UTF_8);
    assertFalse(layout.describes(edited));
    Map<String, MetaFile> one = Map.of(); // version and expiry: the edited entry stays as edited
    byte[] fromEdited = SnapshotSplice.splice(edited, layout, 5000, LATER, one).orElseThrow().signed();
    assertArrayEquals(SnapshotSplice.splice(edited, null, 5000, LATER, one).orElseThrow().signed(), fromEdited,
        "the edited file's own bytes, as a scan finds them");
    assertFalse(java.util.Arrays.equals(fromEdited,
        SnapshotSplice.splice(file, layout, 5000, LATER, one).orElseThrow().signed()), "the edit is carried");
  }

  @Test
  void what_it_cannot_place_is_left_to_the_full_encoding() throws IOException {
    Case c = snapshots().get(snapshots().size() - 1);
    Map<String, MetaFile> one = Map.of("bin-000.json", MetaFile.ofVersion(5));
    assertTrue(SnapshotSplice.signedBytes(c.file(), 100, LATER, one).isPresent());
    // A role the snapshot does not list yet: its place is the encoder's to find.
    assertFalse(SnapshotSplice.signedBytes(c.file(), 100, LATER, Map.of("new.json", MetaFile.ofVersion(1))).isPresent());
    // An entry with a length or hashes.
    assertFalse(SnapshotSplice.signedBytes(c.file(), 100, LATER,
        Map.of("bin-000.json", new MetaFile(5, 3L, null, Map.of()))).isPresent());
    // Bytes that are not canonical (a space), or not a snapshot.
    String text = new String(c.file(), StandardCharsets.UTF_8);
    byte[] spaced = text.replaceFirst("\"version\":", "\"version\": ").getBytes(StandardCharsets.UTF_8);
    assertFalse(SnapshotSplice.signedBytes(spaced, 100, LATER, one).isPresent());
    byte[] other = text.replace("\"_type\":\"snapshot\"", "\"_type\":\"timestamp\"").getBytes(StandardCharsets.UTF_8);
    assertFalse(SnapshotSplice.signedBytes(other, 100, LATER, one).isPresent());
    assertEquals(false, SnapshotSplice.signedBytes(c.file(), 0, LATER, one).isPresent());
  }
}
