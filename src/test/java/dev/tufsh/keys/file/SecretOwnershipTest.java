package dev.tufsh.keys.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * sshd's StrictModes for every secret tufsh reads (key files, passphrase files, the host key): the
 * file is this user's (or root's), and no folder on its path lets another user rename a file onto its
 * name. The verdicts as a table, then on real files and folders (the owner case chowns, so it runs as
 * root, as CI does).
 */
class SecretOwnershipTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "owner {0} as {1}: {2}")
  @CsvSource({
      "1000, 1000, ok", "0, 1000, ok", "1001, 1000, 'owned by uid 1001, not by this user (uid 1000) or root'",
      "1001, 0, 'owned by uid 1001, not by this user (uid 0) or root'", "1001, -1, ok"})
  void an_owner_is_this_user_or_root(int uid, int self, String verdict) {
    assertEquals(verdict.equals("ok") ? Optional.empty() : Optional.of(verdict), SecretOwnership.ownerProblem(uid, self));
  }

  @ParameterizedTest(name = "folder uid {0} mode {1}: {2}")
  @CsvSource({
      "1000, 0700, ok", "1000, 0755, ok", "0, 0755, ok", "0, 01777, ok", "1000, 01770, ok",
      "1000, 0775, mode 0775", "1000, 0757, mode 0757", "0, 0777, mode 0777", "1001, 0700, owned by uid 1001"})
  void a_folder_lets_no_one_else_rename_in_it(int uid, String mode, String verdict) {
    Optional<String> got = SecretOwnership.folderProblem(uid, Integer.parseInt(mode, 8), 1000);
    if (verdict.equals("ok")) {
      assertEquals(Optional.empty(), got);
    } else {
      assertTrue(got.isPresent() && got.get().contains(verdict), got.toString());
    }
  }

  @Test
  void a_secret_in_a_folder_others_may_write_is_refused_unless_sticky() throws Exception {
    Path open = Files.createDirectory(dir.resolve("open"));
    Path f = Files.writeString(open.resolve("pass"), "secret\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertEquals(Optional.of("is in folder " + open.toRealPath() + ", which group or others may write (mode 0777):"
        + " they could replace the file; chmod go-w the folder, or keep the file in a folder of your own"),
        PrivateFiles.notPrivate(f));
    Files.setAttribute(open, "unix:mode", 01777); // /tmp's mode: no one renames another user's file there
    assertEquals(Optional.empty(), PrivateFiles.notPrivate(f));
    assertEquals("secret\n", new String(PrivateFiles.readPrivate(f, 64)));
  }

  @Test
  void a_folder_above_the_secret_counts_too() throws Exception {
    Path top = Files.createDirectory(dir.resolve("top"));
    Path f = ownerOnly(Files.createDirectories(top.resolve("repo/.tufsh/keys")).resolve("k.key.json"));
    Files.setPosixFilePermissions(top, PosixFilePermissions.fromString("rwxrwx---"));
    refusedFor(f, "is in folder " + top.toRealPath() + ", which group or others may write (mode 0770)");
  }

  @Test
  void a_secret_owned_by_another_user_is_refused() throws Exception {
    Path f = ownerOnly(dir.resolve("pass"));
    int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    assertEquals(0, self, "this test gives the file to another user (chown): it runs as root, as CI does");
    Files.setAttribute(f, "unix:uid", 65534);
    assertEquals(Optional.of("is owned by uid 65534, not by this user (uid 0) or root; give a file of your own"),
        PrivateFiles.notPrivate(f));
    Path planted = Files.createDirectory(dir.resolve("theirs"));
    Path g = ownerOnly(planted.resolve("pass"));
    Files.setAttribute(planted, "unix:uid", 65534);
    refusedFor(g, "is in folder " + planted.toRealPath() + ", which is owned by uid 65534");
  }

  /** A secret file at {@code f}, mode 0600. */
  private static Path ownerOnly(Path f) throws java.io.IOException {
    Files.writeString(f, "secret\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  private static void refusedFor(Path f, String reasonStart) throws java.io.IOException {
    Optional<String> got = PrivateFiles.notPrivate(f);
    assertTrue(got.isPresent() && got.get().startsWith(reasonStart), got.toString());
  }

  @Test
  void a_link_planted_after_the_check_is_not_followed() throws Exception {
    Path real = Files.writeString(dir.resolve("real"), "secret\n");
    Path link = Files.createSymbolicLink(dir.resolve("pass"), real);
    java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> PrivateFiles.readPrivate(link, 64));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
  }
}
