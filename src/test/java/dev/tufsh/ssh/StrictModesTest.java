package dev.tufsh.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.errors.TufshException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Like sshd's StrictModes: files others may write (authorized_keys) or read (host key) are refused, naming the mode. */
class StrictModesTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "authorized_keys {0}: {1}")
  @CsvSource({"rw-------, ok", "rw-r--r--, ok", "rw-rw----, 0660", "rw-r--rw-, 0646", "rw-rw-rw-, 0666"})
  void authorized_keys_writable_by_others_is_refused(String mode, String verdict) throws Exception {
    Path keys = OpenSsh.keygen(dir, "k", "k@host");
    Path file = Files.writeString(dir.resolve("authorized_keys"), Files.readString(Path.of(keys + ".pub")));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    AuthorizedKeys ak = new AuthorizedKeys(file, w -> {});
    if (verdict.equals("ok")) {
      assertEquals(1, ak.count());
    } else {
      TufshException e = assertThrows(TufshException.class, ak::count);
      assertEquals("authorized keys " + file + " is writable by group or others (mode " + verdict + "); it must be"
          + " 0600 or 0644 (chmod go-w), as sshd's StrictModes requires", e.getMessage());
    }
  }

  @Test
  void authorized_keys_in_a_folder_others_may_write_is_refused() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("shared"));
    Path keys = OpenSsh.keygen(dir, "k2", "k2@host");
    Path file = Files.writeString(sub.resolve("authorized_keys"), Files.readString(Path.of(keys + ".pub")));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxrwxrwx"));
    TufshException e = assertThrows(TufshException.class, () -> new AuthorizedKeys(file, w -> {}).count());
    assertEquals("authorized keys folder " + sub + " is writable by group or others (mode 0777); it must be 0700 or"
        + " 0755 (chmod go-w), as sshd's StrictModes requires", e.getMessage());
  }

  @ParameterizedTest(name = "host key {0}: {1}")
  @CsvSource({"rw-------, ok", "r--------, ok", "rw-r-----, 0640", "rw-r--r--, 0644", "rw-----w-, 0602"})
  void host_key_readable_by_others_is_refused(String mode, String verdict) throws Exception {
    Path key = dir.resolve("host_key_" + mode.replace('-', '_'));
    HostKey.loadOrCreate(key);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(mode));
    if (verdict.equals("ok")) {
      HostKey.loadOrCreate(key);
    } else {
      TufshException e = assertThrows(TufshException.class, () -> HostKey.loadOrCreate(key));
      assertEquals("host key " + key + " is accessible by group or others (mode " + verdict + "); it must be"
          + " owner-only: chmod 600 " + key, e.getMessage());
    }
  }

  @Test
  void a_host_key_in_a_folder_others_may_write_is_refused() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Path key = shared.resolve("host_key");
    HostKey.loadOrCreate(key);
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    TufshException e = assertThrows(TufshException.class, () -> HostKey.loadOrCreate(key));
    assertTrue(e.getMessage().startsWith("host key " + key + " is in folder " + shared.toRealPath()
        + ", which group or others may write (mode 0777)"), e.getMessage());
  }

  @Test
  void a_host_key_that_is_a_link_is_refused_as_a_key_file_is() throws Exception {
    Path real = dir.resolve("host_key_real");
    HostKey.loadOrCreate(real);
    Path link = Files.createSymbolicLink(dir.resolve("host_key_link"), real.getFileName());
    TufshException e = assertThrows(TufshException.class, () -> HostKey.loadOrCreate(link));
    assertEquals("host key " + link + " is a symbolic link; give the file itself", e.getMessage());
  }

  /**
   * The host key's name flips between the owner-only key and another key others may write (a planted
   * one): every load returns the real key or refuses the planted one, never reads it. Checking the name and then opening it by name (before) returned the other key when a
   * flip fell between the two; here the opened file is checked. A few thousand loads, at most 10 s.
   */
  @Test
  void a_name_swapped_between_check_and_read_never_feeds_another_key() throws Exception {
    Path real = dir.resolve("hk_real");
    Path other = dir.resolve("hk_other");
    java.security.KeyPair want = HostKey.loadOrCreate(real);
    java.security.KeyPair planted = HostKey.loadOrCreate(other);
    // The planted key is one others may write (they planted it): refused when checked, read when not.
    Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-rw-rw-"));
    Path name = dir.resolve("hk");
    Path asFile = dir.resolve("hk.file");
    Path asLink = dir.resolve("hk.link");
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Files.createLink(name, other); // not real's: a rename onto a name of the same file does nothing
    Thread flipper = new Thread(() -> {
      try {
        while (!stop.get()) {
          Files.createLink(asFile, real); // the same owner-only file under a second name: the flip is two renames
          Files.move(asFile, name, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          Files.createLink(asLink, other);
          Files.move(asLink, name, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    flipper.start();
    int fed = 0;
    int loaded = 0;
    try {
      long end = System.nanoTime() + 10_000_000_000L;
      for (int i = 0; i < 3000 && System.nanoTime() < end && fed == 0; i++) {
        try {
          java.security.KeyPair got = HostKey.loadOrCreate(name);
          loaded++;
          if (got.getPublic().equals(planted.getPublic())) {
            fed++;
          } else {
            assertEquals(want.getPublic(), got.getPublic());
          }
        } catch (TufshException e) {
          // refused (a link) or caught mid-flip: what matters is never the other key
        }
      }
    } finally {
      stop.set(true);
      flipper.join();
    }
    assertEquals(0, fed, "loads that returned the planted key (of " + loaded + " loaded)");
    assertTrue(loaded > 0, "the real key loaded at times");
  }

  @Test
  void the_server_does_not_start_on_a_world_writable_authorized_keys() throws Exception {
    Path keys = OpenSsh.keygen(dir, "k3", "k3@host");
    Path file = Files.writeString(dir.resolve("ak3"), Files.readString(Path.of(keys + ".pub")));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertThrows(TufshException.class, () -> SshFrontend.start(new SshFrontend.Options("127.0.0.1", 0,
        dir.resolve("hk3"), file, Duration.ofMinutes(1), dir, null)));
  }
}
