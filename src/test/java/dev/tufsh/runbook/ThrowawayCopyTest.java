package dev.tufsh.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThrowawayCopyTest {
  @TempDir Path tmp;

  @Test
  void a_link_in_the_workspace_is_copied_as_the_link_never_as_what_it_points_to() throws Exception {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "not the workspace's");
    Path ws = tmp.resolve("repo");
    Files.createDirectories(ws.resolve(".tufsh"));
    Files.createDirectories(ws.resolve("metadata"));
    Files.writeString(ws.resolve("metadata/1.root.json"), "{}");
    Files.createSymbolicLink(ws.resolve(".tufsh/planted.json"), secret);
    Path dir;
    try (ThrowawayCopy copy = ThrowawayCopy.of(ws)) {
      dir = copy.dir();
      Path planted = dir.resolve(".tufsh/planted.json");
      assertTrue(Files.isSymbolicLink(planted), "the copy holds the link itself");
      assertEquals(secret, Files.readSymbolicLink(planted));
      assertEquals("{}", Files.readString(dir.resolve("metadata/1.root.json")));
    }
    assertFalse(Files.exists(dir, LinkOption.NOFOLLOW_LINKS), "deleted on close");
    assertEquals("not the workspace's", Files.readString(secret), "deleting the copy left the link's target alone");
  }
}
