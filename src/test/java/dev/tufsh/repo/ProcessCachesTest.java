package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Snapshot;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.TargetSpec;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one process keeps across commands (the verified index, the high-water marks, the status
 * cache, the snapshot it published) is what reading the files again would give, and a file changed
 * by anyone else is read and judged as it is now, never answered from memory.
 */
class ProcessCachesTest {
  @TempDir Path dir;

  private Workbench published(int bins) {
    return Benches.published(dir.resolve("repo"), bins);
  }

  private static void upload(Workbench b, String path) {
    TargetOps.add(b, List.of(TargetSpec.external(path, 3, Map.of("sha256", "ab".repeat(32)))));
    Publishing.publish(b);
  }

  private static Path index(Workbench b) {
    return b.workspace().privateDir().resolve("verified.index");
  }

  private static byte[] snapshotBytes(Workbench b) {
    return b.repository().published().snapshotBytes();
  }

  @Test
  void the_held_verified_index_is_what_its_file_says_and_a_changed_file_is_read_anew() throws Exception {
    Workbench b = published(16);
    for (int i = 0; i < 5; i++) {
      upload(b, "pkgs/c" + i + "-1.0.tar.gz");
    }
    byte[] file = Files.readAllBytes(index(b));
    VerifiedIndex.Known held = VerifiedIndex.load(b.workspace(), snapshotBytes(b));
    assertTrue(held.vouchesForPublished());
    assertEquals(VerifiedIndex.parse(file).roles(), held.roles(), "what a fresh process would read");
    assertEquals(16, held.roles().size());
    // Another process rewrites a line (same length, binding kept): the file's word now counts.
    String text = new String(file, StandardCharsets.UTF_8);
    String bin0 = dev.tufsh.crypto.Hex.encode("bin-0".getBytes(StandardCharsets.UTF_8)) + "\t";
    int at = text.lastIndexOf("\n" + bin0) + 1;
    String line = text.substring(at, text.indexOf('\n', at));
    String[] f = line.split("\t");
    f[3] = f[3].startsWith("0") ? "1" + f[3].substring(1) : "0" + f[3].substring(1);
    Files.writeString(index(b), text.substring(0, at) + String.join("\t", f) + text.substring(at + line.length()));
    VerifiedIndex.Known now = VerifiedIndex.load(b.workspace(), snapshotBytes(b));
    assertEquals(f[3], now.get("bin-0").sha256());
    assertNotEquals(held.get("bin-0").sha256(), now.get("bin-0").sha256());
  }

  @Test
  void the_held_marks_are_the_files_and_a_rewound_file_is_read_anew() throws Exception {
    Workbench b = published(4);
    upload(b, "pkgs/m-1.0.tar.gz");
    Path file = b.workspace().highWaterFile();
    Path journal = HighWaterMark.journalOf(file);
    byte[] written = Files.readAllBytes(file);
    byte[] journaled = Files.readAllBytes(journal);
    assertEquals(2, HighWaterMark.load(b.workspace()).mark("timestamp"));
    upload(b, "pkgs/n-1.0.tar.gz");
    assertArrayEquals(written, Files.readAllBytes(file), "an upload appends its marks to the journal");
    assertEquals(3, HighWaterMark.load(b.workspace()).mark("timestamp"));
    Files.write(journal, journaled); // rewound by someone else: its word now, as for a fresh process
    assertEquals(2, HighWaterMark.load(b.workspace()).mark("timestamp"));
    // A torn append (no binding after it) is ignored whole: the marks file's word alone (and the
    // audit log's, which publish reads from the position that file keeps).
    byte[] torn = java.util.Arrays.copyOf(journaled, journaled.length + 12);
    System.arraycopy("74696d65737".getBytes(StandardCharsets.US_ASCII), 0, torn, journaled.length, 11);
    Files.write(journal, torn);
    assertEquals(1, HighWaterMark.load(b.workspace()).mark("timestamp"));
    // The marks file changed by anyone: a journal bound to its old SHA-256 no longer counts.
    Files.write(journal, journaled);
    assertEquals(2, HighWaterMark.load(b.workspace()).mark("timestamp"));
    Files.writeString(file, new String(written, StandardCharsets.UTF_8).replace("\"timestamp\":1", "\"timestamp\":9"));
    assertEquals(9, HighWaterMark.load(b.workspace()).mark("timestamp"));
    Files.writeString(file, new String(written, StandardCharsets.UTF_8).replace("\"timestamp\":1", "\"timestamp\":0"));
    assertEquals(0, HighWaterMark.load(b.workspace()).mark("timestamp"), "the journal is bound to other bytes");
  }

  @Test
  void the_marks_file_is_the_canonical_encoding_of_its_document() {
    java.util.TreeMap<String, Integer> marks = new java.util.TreeMap<>(dev.tufsh.json.CanonicalJson.CODE_POINT_ORDER);
    for (String role : List.of("timestamp", "bin-00a", "Z", "\u00e9t\u00e9", "\ud83d\ude00", "\uffef", "q\"uote")) {
      marks.put(role, role.length() * 1000);
    }
    for (String position : java.util.Arrays.asList(null, "120:4:abcd")) {
      com.fasterxml.jackson.databind.node.ObjectNode o = dev.tufsh.json.Json.object();
      com.fasterxml.jackson.databind.node.ObjectNode roles = o.putObject("roles");
      marks.forEach(roles::put);
      if (position != null) {
        o.put("audit_position", position);
      }
      assertArrayEquals(dev.tufsh.json.CanonicalJson.encodeFile(o), HighWaterMark.encode(marks, position));
    }
  }

  @Test
  void the_snapshot_a_publish_wrote_is_kept_as_decoded_and_a_tampered_one_is_decoded_anew() throws Exception {
    Workbench b = published(16);
    upload(b, "pkgs/s-1.0.tar.gz");
    Repository repo = b.repository();
    String name = repo.publishedVersion("snapshot") + ".snapshot.json";
    byte[] bytes = Files.readAllBytes(b.workspace().metadataDir().resolve(name));
    Metadata<Snapshot> held = repo.published().snapshot().orElseThrow();
    // The planner's splice and its record are what encoding and decoding the file give.
    Metadata<Snapshot> decoded = MetadataCodec.decode(bytes, name, Snapshot.class);
    assertEquals(decoded, held);
    assertArrayEquals(bytes, MetadataCodec.fileBytes(new Metadata<>(decoded.signed(), decoded.signatures())));
    // Someone lowers a bin's version in place: the next command sees the file, not memory.
    String text = new String(bytes, StandardCharsets.UTF_8);
    String tampered = text.replaceFirst("\"bin-0\\.json\":\\{\"version\":[0-9]+\\}", "\"bin-0.json\":{\"version\":7}");
    assertNotEquals(text, tampered);
    Files.writeString(b.workspace().metadataDir().resolve(name), tampered);
    assertEquals(7, b.repository().published().version("bin-0"));
  }
}
