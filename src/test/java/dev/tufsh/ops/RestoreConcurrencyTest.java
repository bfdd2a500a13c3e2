package dev.tufsh.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.Cli;
import dev.tufsh.testing.CliRepo;
import dev.tufsh.testing.JsonResults;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code tufsh restore} in a child JVM reads its checkpoint from a named pipe, so this test
 * decides when the read ends: while the child is still reading, another writer works on the
 * repository in this JVM. Restore holds no lock while it reads (the other writer gets in); a
 * publish or a staged change meanwhile makes it refuse with one line and stage nothing; a reader
 * meanwhile changes nothing and the restore goes through.
 */
class RestoreConcurrencyTest {
  @TempDir Path dir;

  record Row(String name, Function<CliRepo, Cli.Result> meanwhile, int status, String error) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("a publish", cli -> {
          cli.run("target", "add", "--prefix", "packages", newFile(cli, "y-1.0.tar.gz")).assertOk();
          return cli.run("publish");
        }, 1, "restore: snapshot version 4 was published while restore read its input (it started from snapshot"
            + " version 3); nothing was staged: run restore again"),
        new Row("a staged change", cli -> cli.run("target", "add", "--prefix", "packages",
            newFile(cli, "y-1.0.tar.gz")), 1, "restore: another writer staged or discarded changes while restore"
            + " read its input; nothing was staged: run restore again"),
        new Row("a verify (reads only)", cli -> cli.run("verify"), 0, ""));
  }

  private static String newFile(CliRepo cli, String name) {
    try {
      return Files.writeString(cli.repo().resolveSibling(name), name + "\n").toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void restore_reads_without_the_lock_and_refuses_if_the_repository_changed_meanwhile(Row row) throws Exception {
    CliRepo cli = CliRepo.published(dir, 8, Instant.now());
    cli.run("target", "add", "--prefix", "packages", newFile(cli, "a-1.0.tar.gz")).assertOk();
    cli.run("publish").assertOk();
    Path cp = dir.resolve("good.checkpoint.json");
    cli.run("checkpoint", "--out", cp.toString(), "--key", "targets-1").assertOk();
    cli.run("target", "remove", "packages/a-1.0.tar.gz").assertOk();
    cli.run("publish").assertOk(); // snapshot version 3: what the restore starts from

    Path fifo = dir.resolve("checkpoint.fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
    Path err = dir.resolve("restore.err");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        dev.tufsh.app.Main.class.getName(), "--repo", cli.repo().toString(), "--passphrase-file",
        cli.pass().toString(), "restore", "--from", fifo.toString(), "--key", "targets-1")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    // Should the child die before it opens the pipe, open it here so the write below does not wait forever.
    child.onExit().thenRun(() -> {
      try {
        Files.newInputStream(fifo).close();
      } catch (java.io.IOException ignored) {
        // the writer already has its reader
      }
    });
    byte[] bytes = Files.readAllBytes(cp);
    String before;
    try (OutputStream pipe = Files.newOutputStream(fifo)) {
      // Opened: the child is reading the checkpoint. All but its last byte, so it waits for the rest.
      pipe.write(bytes, 0, bytes.length - 1);
      pipe.flush();
      assertTrue(child.isAlive(), "the child stopped before the checkpoint was read: " + Files.readString(err));
      row.meanwhile().apply(cli).assertOk(); // before the fix: refused, the restore held the lock
      before = cli.run("--json", "diff", "--against", cp.toString(), "--key", "targets-1").assertOk().out();
      pipe.write(bytes, bytes.length - 1, 1);
    } catch (java.io.IOException e) {
      throw new AssertionError("the child stopped reading: " + Files.readString(err), e);
    }
    assertTrue(child.waitFor(120, TimeUnit.SECONDS));
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(row.status(), child.exitValue(), stderr);
    String now = cli.run("--json", "diff", "--against", cp.toString(), "--key", "targets-1").assertOk().out();
    if (row.status() != 0) {
      assertEquals(List.of("tufsh: error: " + row.error()), stderr.lines().toList());
      assertEquals(JsonResults.result(before).get("changes"), JsonResults.result(now).get("changes"),
          "the refused restore staged nothing");
      cli.run("restore", "--from", cp.toString(), "--key", "targets-1").assertOk();
    } else {
      assertEquals("", stderr);
    }
    assertEquals(0, JsonResults.result(cli.run("--json", "diff", "--against", cp.toString(), "--key", "targets-1")
        .assertOk().out()).get("changes").size(), "restored (again, after the refusal)");
  }
}
