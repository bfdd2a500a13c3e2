package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Scheme;
import dev.tufsh.errors.TufshException;
import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.TargetSpec;
import dev.tufsh.ops.Verify;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk and a read-only file system under a publish and a key generation, on a real small
 * tmpfs mounted for the test (root with CAP_SYS_ADMIN, as on the CI machines): the error is one
 * line naming the file and the cause, the published repository still verifies and is exactly the
 * old state, no partial key file appears, and once space is back a publish succeeds. Where mounting
 * is not permitted the same checks run against a failure that needs no privileges (a folder where
 * the publish must write a file, a file where the key folder should be), and the test's display name
 * says so: it is never skipped.
 */
class DiskFullTest {
  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> full_and_read_only_disks() throws Exception {
    Path mnt = tmp.resolve("mnt");
    Files.createDirectories(mnt);
    String why = Boolean.getBoolean("tufsh.diskfull.nomount")
        ? "mounting turned off by -Dtufsh.diskfull.nomount" : mount(mnt, "size=2m");
    if (why == null) {
      return Stream.of(
          DynamicTest.dynamicTest("tmpfs 2 MB: full disk fails publish and key generation cleanly",
              () -> withUnmount(mnt, () -> diskFull(mnt))),
          DynamicTest.dynamicTest("tmpfs remounted read-only: publish fails cleanly, nothing changes",
              () -> readOnly()),
          DynamicTest.dynamicTest("tmpfs full half-way through a batch of staged role files: nothing staged",
              () -> batchOnFullDisk()));
    }
    System.out.println("DiskFullTest: cannot mount tmpfs (" + why + "); running the unprivileged stand-in");
    return Stream.of(DynamicTest.dynamicTest(
        "NO TMPFS (" + why + "): write failures from a folder where a file should be, not ENOSPC",
        this::folderInTheWay));
  }

  private void diskFull(Path mnt) throws Exception {
    Path dir = mnt.resolve("repo");
    Workbench b = Benches.at(dir);
    Init.run(b, Init.Request.defaults().withBins(64));
    Publishing.publish(b);
    Path meta = dir.resolve("metadata");
    byte[] oldTs = Files.readAllBytes(meta.resolve("timestamp.json"));
    String before = listing(meta);

    // Staged while there is room; the disk fills before the publish.
    TargetOps.add(b, List.of(TargetSpec.external("pkg/a-1.0.tar.gz", 3,
        Map.of("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))));
    Path filler = mnt.resolve("filler");
    long filled = fill(filler);
    System.out.printf("DiskFullTest: filler %d bytes%n", filled);

    // Full, then a page or a few left: the publish runs out at the lock, or while writing metadata.
    for (int pages : new int[] {0, 1, 2}) {
      try (var ch = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.WRITE)) {
        ch.truncate(filled - pages * 4096L);
      }
      TufshException e = assertThrows(TufshException.class, () -> Publishing.publish(Benches.at(dir)),
          pages + " pages free");
      String m = e.getMessage();
      System.out.println("DiskFullTest: publish with " + pages + " pages free: " + m);
      assertEquals(1, m.lines().count(), m);
      assertTrue(m.contains("no space left on device"), m);
      assertTrue(m.contains(dir.toString()), "names the file: " + m);
      assertArrayEquals(oldTs, Files.readAllBytes(meta.resolve("timestamp.json")), "timestamp.json changed");
      assertEquals(before, listing(meta), "the published folder changed");
      assertEquals(1, Verify.run(Benches.at(dir), null, false).timestampVersion());
      filled = fill(filler);
    }

    // Key generation on the full disk: one clear line, and no key file, partial or temp.
    Path keys = dir.resolve(".tufsh/keys");
    String keysBefore = listing(keys);
    TufshException k = assertThrows(TufshException.class,
        () -> Benches.at(dir).keys().generate(Scheme.ED25519, "full-disk"));
    assertEquals(1, k.getMessage().lines().count(), k.getMessage());
    assertTrue(k.getMessage().contains("full-disk.key.json"), k.getMessage());
    assertTrue(k.getMessage().toLowerCase().contains("no space left"), k.getMessage());
    System.out.println("DiskFullTest: key generation on a full disk: " + k.getMessage());
    assertEquals(keysBefore, listing(keys), "a key file or temp file was left");

    // Space again: the staged change publishes and verifies.
    Files.delete(filler);
    assertEquals(2, Publishing.publish(Benches.at(dir)).versions().get("timestamp"));
    assertEquals(2, Verify.run(Benches.at(dir), null, false).timestampVersion());
    Benches.at(dir).keys().generate(Scheme.ED25519, "full-disk");
    assertFalse(listing(meta).contains(".tmp-"), "temp files left: " + listing(meta));
  }

  private void readOnly() throws Exception {
    Path mnt = tmp.resolve("ro");
    Files.createDirectories(mnt);
    String why = mount(mnt, "size=4m");
    assertEquals(null, why, "the first mount worked, so this one must");
    withUnmount(mnt, () -> {
      Path dir = mnt.resolve("repo");
      Workbench b = Benches.at(dir);
      Init.run(b, Init.Request.defaults().withBins(16));
      Publishing.publish(b);
      TargetOps.add(b, List.of(TargetSpec.external("pkg/b-1.0.tar.gz", 3,
          Map.of("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))));
      Path meta = dir.resolve("metadata");
      byte[] oldTs = Files.readAllBytes(meta.resolve("timestamp.json"));
      String before = listing(meta);
      run("mount", "-o", "remount,ro", mnt.toString());
      try {
        TufshException e = assertThrows(TufshException.class, () -> Publishing.publish(Benches.at(dir)));
        String m = e.getMessage();
        System.out.println("DiskFullTest: publish on a read-only file system: " + m);
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.toLowerCase().contains("read-only file system"), m);
        assertTrue(m.contains(dir.toString()), "names the file: " + m);
        TufshException k = assertThrows(TufshException.class,
            () -> Benches.at(dir).keys().generate(Scheme.ED25519, "ro"));
        System.out.println("DiskFullTest: key generation on a read-only file system: " + k.getMessage());
        assertEquals(1, k.getMessage().lines().count(), k.getMessage());
        assertTrue(k.getMessage().toLowerCase().contains("read-only file system"), k.getMessage());
        assertArrayEquals(oldTs, Files.readAllBytes(meta.resolve("timestamp.json")));
        assertEquals(before, listing(meta));
        assertEquals(1, Verify.run(Benches.at(dir), null, false).timestampVersion());
      } finally {
        run("mount", "-o", "remount,rw", mnt.toString());
      }
      assertEquals(2, Publishing.publish(Benches.at(dir)).versions().get("timestamp"));
    });
  }

  /**
   * A bump of every bin (a batch large enough to stage each role as a file of its own) on a disk
   * that fills up part-way: one line naming the file, nothing staged, no staged role file left,
   * metadata/ as it was; with space again the bump and its publish work.
   */
  private void batchOnFullDisk() throws Exception {
    Path mnt = tmp.resolve("batch");
    Files.createDirectories(mnt);
    assertEquals(null, mount(mnt, "size=8m"), "the first mount worked, so this one must");
    withUnmount(mnt, () -> {
      Path dir = mnt.resolve("repo");
      Workbench b = Benches.at(dir);
      Init.run(b, Init.Request.defaults().withBins(Staging.Batch.FILES_ROLES));
      Publishing.publish(b);
      Path meta = dir.resolve("metadata");
      Path staged = dir.resolve(".tufsh/staged");
      String metaBefore = listing(meta);
      String stagedBefore = listing(staged);
      Path filler = mnt.resolve("filler");
      long filled = fill(filler);
      try (var ch = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.WRITE)) {
        ch.truncate(filled - 64 * 4096L); // room for 64 of the bins' files (a page each on tmpfs), not 256
      }
      var all = new dev.tufsh.ops.Resign.Selection(List.of("bin-*"), null, null);
      TufshException e = assertThrows(TufshException.class, () -> dev.tufsh.ops.Resign.bump(Benches.at(dir), all, null));
      String m = e.getMessage();
      System.out.println("DiskFullTest: a batch of staged role files on a full disk: " + m);
      assertEquals(1, m.lines().count(), m);
      assertTrue(m.contains("no space left on device") && m.contains(staged.toString()), m);
      assertEquals(stagedBefore, listing(staged), "something of the batch is left staged");
      assertEquals(0, Staging.count(staged));
      assertEquals(metaBefore, listing(meta));
      Files.delete(filler);
      dev.tufsh.ops.Resign.bump(Benches.at(dir), all, null);
      assertEquals(2, Publishing.publish(Benches.at(dir)).versions().get("timestamp"));
      assertEquals(2, Verify.run(Benches.at(dir), null, false).timestampVersion());
    });
  }

  /** Without a mount: a folder sits where the publish must write a file, and a file where the key folder goes. */
  private void folderInTheWay() throws Exception {
    Path dir = tmp.resolve("repo");
    Workbench b = Benches.at(dir);
    Init.run(b, Init.Request.defaults().withBins(64));
    Publishing.publish(b);
    Path meta = dir.resolve("metadata");
    byte[] oldTs = Files.readAllBytes(meta.resolve("timestamp.json"));
    TargetOps.add(b, List.of(TargetSpec.external("pkg/a-1.0.tar.gz", 3,
        Map.of("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))));
    Path blocker = meta.resolve("2.snapshot.json");
    Files.createDirectories(blocker.resolve("occupied"));
    String before = listing(meta);
    TufshException e = assertThrows(TufshException.class, () -> Publishing.publish(Benches.at(dir)));
    String m = e.getMessage();
    System.out.println("DiskFullTest (stand-in): " + m);
    assertEquals(1, m.lines().count(), m);
    assertTrue(m.contains("2.snapshot.json"), m);
    assertArrayEquals(oldTs, Files.readAllBytes(meta.resolve("timestamp.json")));
    assertEquals(1, Verify.run(Benches.at(dir), null, false).timestampVersion());
    assertFalse(listing(meta).contains(".tmp-"), listing(meta));
    assertTrue(before.length() > 0);
    Files.delete(blocker.resolve("occupied"));
    Files.delete(blocker);
    assertEquals(2, Publishing.publish(Benches.at(dir)).versions().get("timestamp"));

    Path keysParent = tmp.resolve("keys-parent");
    Files.writeString(keysParent, "a file, not a folder");
    var store = new dev.tufsh.keys.file.FileKeyStore(keysParent.resolve("keys"),
        (p, c) -> new dev.tufsh.crypto.Secret(Benches.PASSPHRASE.toCharArray()),
        dev.tufsh.keys.file.ScryptParams.withLog2N(10));
    TufshException k = assertThrows(TufshException.class, () -> store.generate(Scheme.ED25519, "k"));
    assertEquals(1, k.getMessage().lines().count(), k.getMessage());
    assertTrue(k.getMessage().contains(keysParent.toString()), k.getMessage());
  }

  /** Files in {@code dir} with their sizes, hidden ones included, sorted. */
  private static String listing(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        sb.append(f.getFileName()).append(' ').append(Files.isRegularFile(f) ? Files.size(f) : -1).append('\n');
      }
    }
    return sb.toString();
  }

  /** Writes zeros until the file system refuses; returns how many bytes fitted. */
  private static long fill(Path filler) throws IOException {
    byte[] block = new byte[4096];
    long n = Files.exists(filler) ? Files.size(filler) : 0;
    try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND)) {
      while (true) {
        out.write(block);
        n += block.length;
      }
    } catch (IOException e) {
      if (e.getMessage() == null || !e.getMessage().contains("No space left")) {
        throw e;
      }
    }
    return n;
  }

  /** Mounts a tmpfs at {@code at}; null when it worked, else why not. */
  private static String mount(Path at, String options) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString())
        .redirectErrorStream(true);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return "no mount command";
    }
    String out = new String(p.getInputStream().readAllBytes()).strip();
    return p.waitFor() == 0 ? null : (out.isEmpty() ? "mount failed" : out.lines().findFirst().orElse(out));
  }

  private interface Body {
    void run() throws Exception;
  }

  private static void withUnmount(Path mnt, Body body) throws Exception {
    try {
      body.run();
    } finally {
      run("umount", mnt.toString());
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
    }
  }
}
