package dev.tufsh.ops;

import dev.tufsh.crypto.Secret;
import dev.tufsh.keys.file.FileKeyStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The intake of {@code target add --list} alone: reads, checks, routes and spills a list into a
 * repository's bins as an add does (on this thread, one lane), {@code rounds} times, and prints each
 * round's CPU time of this thread, wall time and MB/s of list. Nothing is staged. Usage: {@code
 * IntakeBench REPO PASSPHRASE_FILE LIST [ROUNDS]} with the repository made by {@code init --bins N}.
 * The list is parsed by the command's own parser (cli's TargetListFile, reached by reflection: it is
 * that package's), so an older build's jar runs the same harness compiled against it.
 */
public final class IntakeBench {
  private IntakeBench() {}

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]);
    String pass = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8).strip();
    Path list = Path.of(args[2]);
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    Workbench bench = new Workbench(repo, ws -> new FileKeyStore(ws.keysDir(),
        (purpose, confirm) -> new Secret(pass.toCharArray())), Clock.systemUTC(), "intake-bench");
    var ctor = Class.forName("dev.tufsh.cli.commands.TargetListFile").getDeclaredConstructor(Path.class);
    ctor.setAccessible(true);
    TargetLines lines = (TargetLines) ctor.newInstance(list);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double mb = Files.size(list) / 1e6;
    for (int r = 0; r < rounds; r++) {
      var repository = bench.repository();
      long cpu = threads.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      try (TargetSpill spill = new TargetSpill(bench.workspace().privateDir())) {
        TargetIntake in = new TargetIntake(bench, repository, TargetOps.AddOptions.DEFAULTS, spill);
        in.list(lines, 1, TargetIntake.CHUNK);
      }
      double c = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
      double w = (System.nanoTime() - wall) / 1e9;
      System.out.printf(java.util.Locale.ROOT, "round %d: %.2f s CPU, %.2f s wall, %.0f MB/s of CPU (%.0f MB)%n",
          r + 1, c, w, mb / c, mb);
    }
  }
}
