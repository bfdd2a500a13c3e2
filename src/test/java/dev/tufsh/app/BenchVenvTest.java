package dev.tufsh.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench-pypi's venv rule, run for real on a worktree-shaped copy: target/bench-venv a link
 * to another checkout's venv (as the lead links worktrees to main's), with stand-ins for python3,
 * the venv's python, the launcher and the benchmark that record that they ran. A requirements.txt
 * newer than the venv but with the installed content touches nothing; other content is installed
 * into the venv, which is not remade.
 */
class BenchVenvTest {
  private static final String REQ = "tuf==5.1.0\n";

  @TempDir Path dir;

  private Path worktree;
  private Path log;

  private Path setUp(String installed) throws Exception {
    log = dir.resolve("log");
    Files.writeString(log, "");
    Path mainVenv = Files.createDirectories(dir.resolve("main/target/bench-venv/bin"));
    script(mainVenv.resolve("python"), "echo \"venv-python $*\" >> " + log);
    Files.writeString(mainVenv.resolveSibling("requirements.installed"), installed);
    Files.writeString(mainVenv.resolveSibling("installed"), "");
    worktree = dir.resolve("wt");
    Files.createDirectories(worktree.resolve("target"));
    Files.createSymbolicLink(worktree.resolve("target/bench-venv"), mainVenv.getParent());
    Path scripts = Files.createDirectories(worktree.resolve("scripts"));
    Files.copy(Path.of("scripts/bench-pypi"), scripts.resolve("bench-pypi"));
    script(scripts.resolve("tufsh"), "true");
    script(Files.createDirectories(dir.resolve("bin")).resolve("python3"), "echo \"python3 $*\" >> " + log);
    Path req = Files.createDirectories(worktree.resolve("src/bench/python")).resolve("requirements.txt");
    Files.writeString(req, REQ);
    Files.writeString(req.resolveSibling("bench_pypi.py"), "");
    // The worktree's checkout is newer than main's venv and its stamps.
    Instant old = Instant.now().minusSeconds(3600);
    for (Path p : List.of(mainVenv.resolveSibling("requirements.installed"), mainVenv.resolveSibling("installed"))) {
      Files.setLastModifiedTime(p, FileTime.from(old));
    }
    return mainVenv.getParent();
  }

  private static void script(Path p, String body) throws Exception {
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
  }

  private List<String> run() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(worktree.resolve("scripts/bench-pypi").toString(), "--help")
        .redirectErrorStream(true);
    pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return Files.readAllLines(log);
  }

  @Test
  void a_newer_requirements_file_with_the_installed_content_leaves_the_linked_venv_alone() throws Exception {
    Path venv = setUp(REQ);
    List<String> ran = run();
    String bench = worktree.toRealPath().resolve("src/bench/python/bench_pypi.py").toString();
    assertEquals(List.of("venv-python " + bench + " --python " + worktree.resolve("target/bench-venv/bin/python")
        + " --help"), ran, "only the benchmark ran: no venv made, nothing installed");
    assertEquals(REQ, Files.readString(venv.resolve("requirements.installed")));
  }

  @Test
  void other_content_is_installed_into_the_venv_without_remaking_it() throws Exception {
    Path venv = setUp("tuf==5.0.0\n");
    List<String> ran = run();
    assertEquals("venv-python -m pip install -q --disable-pip-version-check -r "
        + worktree.toRealPath().resolve("src/bench/python/requirements.txt"), ran.get(0));
    assertEquals(2, ran.size(), ran.toString()); // then the benchmark; python3 -m venv never ran
    assertEquals(REQ, Files.readString(venv.resolve("requirements.installed")));
  }
}
