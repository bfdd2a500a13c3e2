package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.PassphraseFiles;
import dev.tufsh.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which files operations may be handed: locally anything but .tufsh/, remotely only the exchange folders. */
class FileScopeTest {
  @TempDir Path dir;
  private Path repo;

  @BeforeEach
  void layout() throws Exception {
    repo = Files.createDirectories(dir.resolve("repo"));
    for (String d : new String[] {".tufsh/keys", "metadata", "targets", "incoming/sub", "outgoing", "elsewhere"}) {
      Files.createDirectories(repo.resolve(d));
    }
    Files.writeString(repo.resolve(".tufsh/keys/root-1.key.json"), "{}");
    Files.writeString(repo.resolve("incoming/pkg.tar.gz"), "pkg");
    Files.writeString(repo.resolve("incoming/sub/pkg2.tar.gz"), "pkg");
    Files.writeString(dir.resolve("outside.txt"), "secret");
    Files.createSymbolicLink(repo.resolve("incoming/out"), dir.resolve("outside.txt"));
    Files.createSymbolicLink(repo.resolve("incoming/keys"), repo.resolve(".tufsh/keys"));
    Files.createSymbolicLink(repo.resolve("elsewhere/link-to-key"), repo.resolve(".tufsh/keys/root-1.key.json"));
  }

  @ParameterizedTest(name = "remote input {0}: {1}")
  @CsvSource({
    "incoming/pkg.tar.gz, ok",
    "incoming/sub/pkg2.tar.gz, ok",
    "incoming/./sub/../pkg.tar.gz, ok",
    "incoming/out, refused",
    "incoming/keys/root-1.key.json, refused",
    "incoming/../.tufsh/keys/root-1.key.json, refused",
    ".tufsh/keys/root-1.key.json, refused",
    "metadata, refused",
    "outgoing, refused",
    "/etc/passwd, refused",
    "incoming/missing.tar.gz, missing",
  })
  void remote_inputs_lie_in_incoming_on_their_real_path(String file, String verdict) {
    FileScope remote = FileScope.exchange(repo);
    switch (verdict) {
      case "ok" -> assertTrue(remote.input(Path.of(file), "FILE").startsWith(repo.resolve("incoming")));
      case "missing" -> assertEquals("FILE '" + file + "' does not exist",
          assertThrows(FileScope.Refused.class, () -> remote.input(Path.of(file), "FILE")).getMessage());
      default -> assertTrue(assertThrows(FileScope.Refused.class, () -> remote.input(Path.of(file), "FILE"))
          .getMessage().startsWith("over SSH, FILE must lie in incoming/"));
    }
  }

  @ParameterizedTest(name = "remote output {0}: {1}")
  @CsvSource({"outgoing, ok", "outgoing/new/deeper, ok", "outgoing/../metadata, refused", "metadata, refused",
      "/tmp, refused", "incoming, refused"})
  void remote_outputs_lie_in_outgoing(String folder, String verdict) {
    FileScope remote = FileScope.exchange(repo);
    if (verdict.equals("ok")) {
      assertTrue(remote.output(Path.of(folder), "DIR").startsWith(repo.resolve("outgoing")));
    } else {
      assertThrows(FileScope.Refused.class, () -> remote.output(Path.of(folder), "DIR"));
    }
  }

  @Test
  void an_exchange_folder_that_links_into_the_workspace_is_refused() throws Exception {
    Files.delete(repo.resolve("outgoing"));
    Files.createSymbolicLink(repo.resolve("outgoing"), repo.resolve("metadata"));
    var e = assertThrows(FileScope.Refused.class, () -> FileScope.exchange(repo).output(Path.of("outgoing"), "DIR"));
    assertTrue(e.getMessage().contains("which holds or is inside metadata/"), e.getMessage());
  }

  @ParameterizedTest(name = "local input {0}: {1}")
  @CsvSource({"incoming/pkg.tar.gz, ok", "elsewhere/link-to-key, refused", ".tufsh/keys/root-1.key.json, refused",
      "incoming/keys/root-1.key.json, refused"})
  void locally_anything_but_the_private_folder(String file, String verdict) {
    FileScope local = FileScope.local(repo);
    Path p = repo.resolve(file);
    if (verdict.equals("ok")) {
      assertEquals(p.normalize(), local.input(p, "FILE"));
    } else {
      assertTrue(assertThrows(FileScope.Refused.class, () -> local.input(p, "FILE")).getMessage()
          .contains("is in the workspace's private folder"));
    }
  }

  @ParameterizedTest(name = "local output {0}: {1}")
  @CsvSource({"outgoing, ok", "elsewhere/new, ok", "metadata, refused", "targets/sub, refused", ".tufsh, refused",
      "outgoing/../metadata, refused"})
  void locally_exports_go_anywhere_but_the_published_and_private_folders(String folder, String verdict) {
    FileScope local = FileScope.local(repo);
    Path p = repo.resolve(folder);
    if (verdict.equals("ok")) {
      assertEquals(p.normalize(), local.output(p, "DIR"));
    } else {
      assertTrue(assertThrows(FileScope.Refused.class, () -> local.output(p, "DIR")).getMessage()
          .contains("only publish writes there"));
    }
  }

  @Test
  void target_add_refuses_a_key_file_on_the_local_command_line_and_in_a_list() throws Exception {
    Path ws = dir.resolve("ws");
    Path pass = PassphraseFiles.write(dir.resolve("pass"), "local passphrase\n");
    Cli.run("--repo", ws.toString(), "--passphrase-file", pass.toString(), "init", "--bins", "2").assertOk();
    java.util.List<String> staged = java.util.List.of(dev.tufsh.repo.Workspace.open(ws).stagedDir().toFile().list());
    Path key;
    try (var s = Files.list(ws.resolve(".tufsh/keys"))) {
      key = s.findFirst().orElseThrow();
    }
    Cli.Result direct = Cli.run("--repo", ws.toString(), "--passphrase-file", pass.toString(), "target", "add",
        key.toString());
    assertEquals(1, direct.status(), direct.toString());
    assertTrue(direct.err().startsWith("tufsh: error: target " + key.getFileName() + ": file '" + key
        + "' is in the workspace's private folder"), direct.err());
    Path list = Files.writeString(dir.resolve("list.txt"), "leak ws/.tufsh/keys/" + key.getFileName() + "\n");
    Cli.Result listed = Cli.run("--repo", ws.toString(), "--passphrase-file", pass.toString(), "target", "add",
        "--list", list.toString());
    assertEquals(1, listed.status(), listed.toString());
    assertTrue(listed.err().contains("is in the workspace's private folder"), listed.err());
    assertEquals(staged, java.util.List.of(dev.tufsh.repo.Workspace.open(ws).stagedDir().toFile().list()),
        "something was staged");
  }
}
