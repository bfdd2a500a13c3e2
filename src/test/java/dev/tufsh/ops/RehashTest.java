package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.errors.TufshException;
import dev.tufsh.errors.UsageError;
import dev.tufsh.model.TargetFile;
import dev.tufsh.repo.FileNames;
import dev.tufsh.repo.Repository;
import dev.tufsh.testing.Benches;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code target rehash}: sha256 -> sha256+sha512 -> sha512 on a published 16-bin repository with
 * real target files. Each step lists the right digest of the bytes for every target, writes the
 * hash-named copies clients fetch, passes the full client workflow with target files checked, and
 * moves the workspace's target_hashes; a target without a good copy, or left with no hash, is
 * refused with nothing staged.
 */
class RehashTest {
  static final int TARGETS = 24;

  @TempDir Path dir;
  Workbench b;
  Map<String, byte[]> content = new HashMap<>();

  @BeforeEach
  void published() throws IOException {
    b = Benches.at(dir.resolve("repo"));
    Init.run(b, Init.Request.defaults().withBins(16));
    List<TargetSpec> specs = new ArrayList<>();
    for (int i = 0; i < TARGETS; i++) {
      byte[] bytes = ("target " + i + "\n").getBytes(StandardCharsets.UTF_8);
      Path f = Files.write(dir.resolve("t" + i + ".txt"), bytes);
      String path = "pkg/t" + i + ".txt";
      content.put(path, bytes);
      specs.add(TargetSpec.ofFile(path, f));
    }
    TargetOps.add(b, specs, new TargetOps.AddOptions(List.of("sha256"), false));
    Publishing.publish(b);
  }

  private Map<String, TargetFile> listed() {
    Repository repo = b.repository();
    Map<String, TargetFile> out = new HashMap<>();
    for (String r : repo.roleNames()) {
      if (r.startsWith("bin-")) {
        out.putAll(repo.requireTargets(r).targets());
      }
    }
    return out;
  }

  @Test
  void add_then_drop_lists_the_right_digests_and_clients_find_the_copies() {
    Rehash.Result add = Rehash.run(b, new Rehash.Request("sha512", null));
    assertEquals(TARGETS, add.targets());
    assertEquals(List.of("sha256", "sha512"), add.targetHashes());
    Publishing.publish(b);
    Path targets = b.workspace().targetsDir();
    for (var e : listed().entrySet()) {
      String sha512 = HashAlgorithm.SHA512.hex(content.get(e.getKey()));
      assertEquals(Map.of("sha256", HashAlgorithm.SHA256.hex(content.get(e.getKey())), "sha512", sha512),
          e.getValue().hashes(), e.getKey());
      assertTrue(Files.exists(targets.resolve(FileNames.target(e.getKey(), sha512))), e.getKey());
    }
    assertEquals(TARGETS, Verify.run(b, null, true).targetFilesVerified());
    assertEquals(List.of("sha256", "sha512"), b.repository().settings().targetHashes());

    Rehash.Result drop = Rehash.run(b, new Rehash.Request(null, "sha256"));
    assertEquals(TARGETS, drop.targets());
    assertEquals(List.of("sha512"), drop.targetHashes());
    assertTrue(drop.warnings().get(0).contains("tough"), drop.warnings().toString());
    Publishing.publish(b);
    listed().values().forEach(f -> assertEquals(List.of("sha512"), List.copyOf(f.hashes().keySet())));
    assertEquals(TARGETS, Verify.run(b, null, true).targetFilesVerified());
    assertEquals(0, Rehash.run(b, new Rehash.Request("sha512", null)).targets(), "nothing lacks it: no change");
  }

  @Test
  void a_target_without_a_good_copy_is_refused_by_name() throws IOException {
    List<String> setting = b.repository().settings().targetHashes();
    String first = listed().keySet().stream().sorted().findFirst().orElseThrow();
    String second = listed().keySet().stream().sorted().skip(1).findFirst().orElseThrow();
    // The first one's copies are gone, the second's hold other bytes: the first is named.
    Path targets = b.workspace().targetsDir();
    try (var s = Files.list(targets.resolve("pkg"))) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(first.substring(4))) {
          Files.delete(p);
        } else if (name.endsWith(second.substring(4))) {
          Files.writeString(p, "other bytes\n");
        }
      }
    }
    TufshException e = assertThrows(TufshException.class, () -> Rehash.run(b, new Rehash.Request("sha512", null)));
    assertTrue(e.getMessage().startsWith("target " + first + " (in bin-"), e.getMessage());
    assertTrue(e.getMessage().contains("so its sha512 cannot be computed; nothing was staged"), e.getMessage());
    assertTrue(b.repository().staging().isEmpty());
    assertEquals(setting, b.workspace().settings().targetHashes(), "the setting is as it was");
  }

  @Test
  void dropping_the_only_hash_is_refused() {
    UsageError e = assertThrows(UsageError.class, () -> Rehash.run(b, new Rehash.Request(null, "sha256")));
    assertTrue(e.getMessage().contains("lists only sha256; add another hash first"), e.getMessage());
    assertThrows(UsageError.class, () -> Rehash.run(b, new Rehash.Request("md5", null)));
    assertThrows(UsageError.class, () -> Rehash.run(b, new Rehash.Request("sha512", "sha256")));
    assertTrue(b.repository().staging().isEmpty());
  }
}
