package dev.tufsh.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.errors.WorkspaceError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one place tufsh's creation modes are spelled: what each helper makes, and what it leaves alone. */
class FileModesTest {
  @TempDir Path dir;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void owner_only_dirs_are_0700_at_every_level_they_create() throws Exception {
    Path deep = dir.resolve("a/b/c");
    FileModes.createOwnerOnlyDirs(deep);
    for (Path p = deep; !p.equals(dir); p = p.getParent()) {
      assertEquals("rwx------", mode(p), p.toString());
    }
  }

  @Test
  void public_dirs_are_0755_where_created_and_an_existing_folder_is_never_widened() throws Exception {
    Path existing = dir.resolve("kept");
    Files.createDirectory(existing, PosixFilePermissions.asFileAttribute(FileModes.OWNER_DIR));
    FileModes.createPublicDirs(existing.resolve("x/y"));
    assertEquals("rwx------", mode(existing));
    assertEquals("rwxr-xr-x", mode(existing.resolve("x")));
    assertEquals("rwxr-xr-x", mode(existing.resolve("x/y")));
  }

  @Test
  void a_group_writable_folder_is_refused_with_its_mode_and_the_fix() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
    WorkspaceError e = assertThrows(WorkspaceError.class, () -> FileModes.requireNotWritableByOthers(shared, "755"));
    assertEquals(shared + " is group-writable (mode 0775); tufsh wants 755: chmod 755 " + shared, e.getMessage());
    Files.setPosixFilePermissions(shared, FileModes.PUBLIC_DIR);
    FileModes.requireNotWritableByOthers(shared, "755"); // no longer refused
    assertTrue(Files.isDirectory(shared));
  }

  @Test
  void octal_spells_each_bit_in_its_place() {
    assertEquals("0755", FileModes.octal(FileModes.PUBLIC_DIR));
    assertEquals("0600", FileModes.octal(FileModes.OWNER_FILE));
    assertEquals("0421", FileModes.octal(PosixFilePermissions.fromString("r---w---x")));
  }
}
