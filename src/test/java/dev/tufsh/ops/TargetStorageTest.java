package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.Benches;
import dev.tufsh.trust.VerificationError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A published target is stored once: its hash-named copies and its plain name are hard links to
 * one file; a new version under the same path leaves the old hash-named copies as they were; and
 * verify checks every copy that is served, the plain name included.
 */
class TargetStorageTest {
  @TempDir Path dir;

  private Workbench publishedWith(String content) throws Exception {
    Workbench b = Benches.at(dir.resolve("repo"));
    Init.run(b, Init.Request.defaults().withBins(16));
    Publishing.publish(b);
    add(b, content);
    return b;
  }

  private void add(Workbench b, String content) throws Exception {
    Path f = dir.resolve("pkg-1.0.tar.gz");
    Files.writeString(f, content);
    // A new version under the same path is an explicit replace (published paths keep their bytes).
    TargetOps.add(b, List.of(TargetSpec.ofFile("packages/pkg-1.0.tar.gz", f)),
        new TargetOps.AddOptions(null, false, TargetOps.IfExists.REPLACE));
    Publishing.publish(b);
  }

  private List<Path> copies(Workbench b) throws Exception {
    try (Stream<Path> s = Files.list(b.workspace().targetsDir().resolve("packages"))) {
      return s.filter(p -> p.getFileName().toString().endsWith("pkg-1.0.tar.gz")).sorted().toList();
    }
  }

  private static Object inode(Path p) throws Exception {
    return Files.getAttribute(p, "unix:ino");
  }

  @Test
  void every_copy_is_one_file() throws Exception {
    Workbench b = publishedWith("hello tuf");
    List<Path> copies = copies(b);
    assertEquals(3, copies.size(), "sha256 and sha512 names and the plain name: " + copies);
    Set<Object> inodes = copies.stream().map(p -> {
      try {
        return inode(p);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).collect(Collectors.toSet());
    assertEquals(1, inodes.size(), "one inode for all copies");
    assertEquals(3, Files.getAttribute(copies.get(0), "unix:nlink"));
    assertEquals(1, Verify.run(b, null, true).targetsListed());
  }

  @Test
  void a_new_version_leaves_the_old_hash_named_copies_alone() throws Exception {
    Workbench b = publishedWith("version one");
    List<Path> before = copies(b);
    add(b, "version two, longer");
    for (Path p : before) {
      if (!p.getFileName().toString().equals("pkg-1.0.tar.gz")) {
        assertEquals("version one", Files.readString(p, StandardCharsets.UTF_8), p.toString());
      }
    }
    Path plain = b.workspace().targetsDir().resolve("packages/pkg-1.0.tar.gz");
    assertEquals("version two, longer", Files.readString(plain, StandardCharsets.UTF_8));
    assertEquals(5, copies(b).size());
    assertEquals(1, Verify.run(b, null, true).targetsListed());
  }

  /** Which served copy is tampered with: its name under packages/, from the target's hashes. */
  enum Copy {
    PLAIN, SHA256, SHA512;

    String name(String content) throws Exception {
      return switch (this) {
        case PLAIN -> "pkg-1.0.tar.gz";
        case SHA256 -> hex("SHA-256", content) + ".pkg-1.0.tar.gz";
        case SHA512 -> hex("SHA-512", content) + ".pkg-1.0.tar.gz";
      };
    }

    private static String hex(String algorithm, String content) throws Exception {
      return dev.tufsh.crypto.Hex.encode(java.security.MessageDigest.getInstance(algorithm)
          .digest(content.getBytes(StandardCharsets.UTF_8)));
    }
  }

  static Stream<Arguments> tamperings() {
    return Stream.of(Copy.values()).flatMap(c -> Stream.of(Arguments.of(c, true), Arguments.of(c, false)));
  }

  /**
   * Every served copy is checked: one replaced by a new file (its links keep the right bytes), or
   * edited in place (every link to the inode changes with it), verify names the copy and the hash.
   */
  @ParameterizedTest(name = "{0} copy, replaced by a new file: {1}")
  @MethodSource("tamperings")
  void verify_catches_tampering_with_any_served_copy(Copy copy, boolean replaced) throws Exception {
    Workbench b = publishedWith("hello tuf");
    String name = copy.name("hello tuf");
    Path p = b.workspace().targetsDir().resolve("packages").resolve(name);
    assertTrue(Files.isRegularFile(p), "served copy " + p + " among " + copies(b));
    if (replaced) {
      Files.delete(p);
      Files.writeString(p, "hello tug");
    } else {
      try (var out = Files.newOutputStream(p, java.nio.file.StandardOpenOption.WRITE)) {
        out.write("hello tug".getBytes(StandardCharsets.UTF_8)); // same length, new bytes
      }
    }
    VerificationError e = assertThrows(VerificationError.class, () -> Verify.run(b, null, true));
    String expectedFile = replaced ? "targets/packages/" + name : "targets/packages/";
    assertTrue(e.getMessage().contains(expectedFile) && e.getMessage().contains("hash does not match"),
        e.getMessage());
  }

  /**
   * A file changed between 'target add' and publish is refused while it is copied (streamed and
   * checked, never read whole): nothing is published, and no copy or temp file is left behind.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
      "same length other bytes, hello tug, sha",
      "longer, hello tuf and more, length",
      "shorter, hello, length"})
  void a_source_changed_since_it_was_added_is_refused_at_publish(String name, String now, String what)
      throws Exception {
    Workbench b = Benches.at(dir.resolve("repo"));
    Init.run(b, Init.Request.defaults().withBins(16));
    Publishing.publish(b);
    Path f = dir.resolve("pkg-1.0.tar.gz");
    Files.writeString(f, "hello tuf");
    TargetOps.add(b, List.of(TargetSpec.ofFile("packages/pkg-1.0.tar.gz", f)));
    Files.writeString(f, now);
    int snapshot = b.repository().publishedVersion("snapshot");
    dev.tufsh.errors.WorkspaceError e =
        assertThrows(dev.tufsh.errors.WorkspaceError.class, () -> Publishing.publish(b), name);
    assertTrue(e.getMessage().contains("packages/pkg-1.0.tar.gz") && e.getMessage().contains("changed since it was"
        + " added (" + what), e.getMessage());
    assertEquals(snapshot, b.repository().publishedVersion("snapshot"), "nothing published");
    try (Stream<Path> all = Files.walk(b.workspace().targetsDir())) {
      assertEquals(List.of(), all.filter(Files::isRegularFile).toList(), "no copy and no temp file left");
    }
  }
}
