package dev.tufsh.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench-pypi's build line (src/bench/python/bench_pypi.py, run by python3): the whole list in
 * one 'target add --list', as python-tuf's peer reads it; in parts only with --list-parts (for an
 * older --before build), which --help says. A 100-byte part limit splits a list of three 75-byte lines in two here.
 */
class BenchBuildLineTest {
  @TempDir Path dir;

  private String python(String code) throws Exception {
    Process p = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out.strip();
  }

  private String buildLine(String... options) throws Exception {
    Path list = dir.resolve("targets.list");
    Files.write(list, List.of("a/x.whl 1 " + "ab".repeat(32), "b/y.whl 2 " + "cd".repeat(32),
        "c/z.whl 3 " + "ef".repeat(32)));
    StringBuilder argv = new StringBuilder("['--bins', '16'");
    for (String o : options) {
      argv.append(", '").append(o).append('\'');
    }
    return python("import sys; sys.path.insert(0, 'src/bench/python'); import bench_pypi as b\n"
        + "a = b.parser().parse_args(" + argv + "])\n"
        + "a.list = '" + list + "'\n"
        + "a.parts = b.build_lists(a, 100)\n"
        + "print(b.Tufsh('tufsh', 'r', 'p').line('build', a))\n");
  }

  @Test
  void the_build_adds_the_whole_list_once_by_default() throws Exception {
    Path list = dir.resolve("targets.list");
    assertEquals("init --bins 16; target add --list " + list + "; publish", buildLine());
  }

  @Test
  void list_parts_adds_the_parts_for_an_older_build() throws Exception {
    Path list = dir.resolve("targets.list");
    assertEquals("init --bins 16; target add --list " + list + ".part0; target add --list " + list
        + ".part1; publish", buildLine("--list-parts"));
    String help = python("import sys; sys.path.insert(0, 'src/bench/python'); import bench_pypi as b\n"
        + "b.parser().print_help()");
    assertTrue(help.replaceAll("\\s+", " ").contains("Default: the whole list in one 'target add --list'"), help);
  }
}
