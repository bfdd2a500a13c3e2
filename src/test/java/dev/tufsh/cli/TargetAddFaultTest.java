package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.TargetSpec;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.JsonResults;
import dev.tufsh.testing.PassphraseFiles;
import dev.tufsh.testing.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code target add --list} whose staging runs into a real write failure half-way: the child
 * process runs under {@code ulimit -f} (a file-size limit needs no privileges; the kernel refuses
 * the write that would pass it with EFBIG, which the JVM reports instead of dying of SIGXFSZ), so
 * the staging log stops growing part-way through the add's bins. Nothing of the add is staged:
 * the staging folder is byte for byte what it was (no torn record, no target file listed), the
 * error is one line with exit status 1, and the same add succeeds once the limit is gone.
 */
class TargetAddFaultTest {
  private static final String SHA = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  /** KiB the child may write to one file: the staging log holds the earlier change, not this add's ~700 KB. */
  private static final int LIMIT_KIB = 256;
  private static final int TARGETS = 4000;

  @TempDir Path dir;

  @Test
  void an_add_cut_off_by_a_write_failure_stages_nothing() throws Exception {
    Path repo = dir.resolve("repo");
    Workbench b = Benches.published(repo, 16);
    // Staged before: one role and one target file, which the failed add must leave exactly so.
    Path upload = Files.writeString(dir.resolve("first-1.0.tar.gz"), "abc");
    TargetOps.add(b, List.of(TargetSpec.ofFile("first/first-1.0.tar.gz", upload)));
    Path staged = repo.resolve(".tufsh/staged");
    Map<String, byte[]> before = Trees.contents(staged);
    assertTrue(before.containsKey("roles.log") && before.containsKey("files.json"), before.keySet().toString());

    Path pass = PassphraseFiles.write(dir.resolve("pass"), Benches.PASSPHRASE);
    Path second = Files.writeString(dir.resolve("second-1.0.tar.gz"), "second");
    StringBuilder list = new StringBuilder("second/second-1.0.tar.gz " + second + "\n");
    for (int i = 0; i < TARGETS; i++) {
      list.append(String.format("p/%04d/pkg%04d-1.0.tar.gz %d %s%n", i, i, 1000 + i, SHA));
    }
    Path listFile = Files.writeString(dir.resolve("list.txt"), list);

    String err = addLimited(repo, pass, listFile);
    assertStagedAsBefore(staged, before, err);
    try (Stream<Path> l = Files.list(repo.resolve(".tufsh"))) {
      assertEquals(List.of(), l.filter(f -> f.getFileName().toString().startsWith("add-spill-")).toList());
    }
    assertEquals(1, JsonResults.result(Cli.inRepo(repo, pass, "--json", "plan").assertOk().out())
        .get("target_files").size(), "only the earlier target file is staged");

    // No limit: the same add stages every target.
    String out = Cli.inRepo(repo, pass, "--json", "target", "add", "--list", listFile.toString()).assertOk().out();
    assertEquals(TARGETS + 1, JsonResults.result(out).get("added").asInt(), out);
    assertEquals(2, JsonResults.result(Cli.inRepo(repo, pass, "--json", "plan").assertOk().out())
        .get("target_files").size());
  }

  /**
   * The put-back of {@code files.json} needs no room: an add that replaces staged target files
   * listed with long source paths by files with short ones writes a shorter list, which fits
   * under the limit, and then fails at the staging log's commit; a rewrite of the longer list it
   * replaced would not fit under the limit either, so only a rename puts it back (before, the list
   * kept the failed add's files: staged target files that no staged role listed).
   */
  @Test
  void a_failed_add_puts_back_a_target_file_list_larger_than_the_disk_allows() throws Exception {
    Path repo = dir.resolve("repo");
    Workbench b = Benches.published(repo, 16);
    Path deep = dir;
    while (deep.toString().length() < 2800) {
      deep = deep.resolve("d".repeat(200));
    }
    Files.createDirectories(deep);
    List<TargetSpec> longSources = new ArrayList<>();
    StringBuilder list = new StringBuilder();
    Path shortDir = Files.createDirectories(dir.resolve("s"));
    int replaced = 100;
    for (int i = 0; i < replaced; i++) {
      longSources.add(TargetSpec.ofFile(String.format("r/f%03d.tgz", i), Files.writeString(deep.resolve("f" + i), "old" + i)));
      list.append(String.format("r/f%03d.tgz %s%n", i, Files.writeString(shortDir.resolve("n" + i), "new" + i)));
    }
    TargetOps.add(b, longSources);
    Path staged = repo.resolve(".tufsh/staged");
    Map<String, byte[]> before = Trees.contents(staged);
    assertTrue(before.get("files.json").length > LIMIT_KIB * 1024, "the list is larger than the child may write");
    for (int i = 0; i < TARGETS; i++) {
      list.append(String.format("p/%04d/pkg%04d-1.0.tar.gz %d %s%n", i, i, 1000 + i, SHA));
    }
    Path listFile = Files.writeString(dir.resolve("list.txt"), list);
    Path pass = PassphraseFiles.write(dir.resolve("pass"), Benches.PASSPHRASE);

    String err = addLimited(repo, pass, listFile, "--if-exists", "replace");
    assertStagedAsBefore(staged, before, err);
    String out = Cli.inRepo(repo, pass, "--json", "target", "add", "--list", listFile.toString(), "--if-exists",
        "replace").assertOk().out();
    assertEquals(TARGETS + replaced, JsonResults.result(out).get("added").asInt(), out);
  }

  /** Runs {@code target add --list LIST ARGS} in a child under the file-size limit; its one-line error. */
  private static String addLimited(Path repo, Path pass, Path listFile, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of("timeout", "-s", "KILL", "300", "bash", "-c",
        "ulimit -f " + LIMIT_KIB + " && exec \"$@\"", "limited", java, "-Xmx256m", "-XX:-UsePerfData", "-cp",
        System.getProperty("java.class.path"), "dev.tufsh.app.Main", "--repo", repo.toString(),
        "--passphrase-file", pass.toString(), "target", "add", "--list", listFile.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assertEquals(ExitCodes.FAILED, p.exitValue(), err);
    assertEquals(1, err.lines().count(), err);
    Path log = repo.resolve(".tufsh/staged/roles.log");
    assertTrue(err.contains(log.toString()) && err.contains("File too large"), err);
    return err;
  }

  /** The staging folder byte for byte as {@code before}: nothing of the failed add is staged. */
  private static void assertStagedAsBefore(Path staged, Map<String, byte[]> before, String err) throws Exception {
    Map<String, byte[]> after = Trees.contents(staged);
    assertEquals(before.keySet(), after.keySet(), "files in .tufsh/staged");
    for (String f : before.keySet()) {
      assertArrayEquals(before.get(f), after.get(f), () -> f + " changed: part of the add was staged: "
          + new String(before.get(f), StandardCharsets.UTF_8) + " -> " + new String(after.get(f), StandardCharsets.UTF_8)
          + " (" + err + ")");
    }
  }
}
