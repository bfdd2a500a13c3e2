package dev.tufsh.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code scripts/bench [--quick | --smoke] [--cpu-time] [--suite NAME]... [--json FILE] [--list]}: runs the
 * selected suites (all by default) and prints one table per suite.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    Mode mode = Mode.FULL;
    Set<String> names = new LinkedHashSet<>();
    Path json = null;
    boolean cpuTime = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> mode = Mode.QUICK;
        case "--smoke" -> mode = Mode.SMOKE;
        case "--cpu-time" -> cpuTime = true;
        case "--suite" -> names.add(value(args, ++i, "--suite"));
        case "--json" -> json = Path.of(value(args, ++i, "--json"));
        case "--list" -> {
          Suites.ALL.forEach(s -> System.out.printf(Locale.ROOT, "%-10s %s%n", s.name(), s.description()));
          return;
        }
        case "-h", "--help" -> {
          System.out.println(usage());
          return;
        }
        default -> fail("unknown option '" + args[i] + "'");
      }
    }
    List<Suite> suites = new ArrayList<>();
    for (String n : names.isEmpty() ? Suites.names() : names) {
      suites.add(Suites.byName(n).orElseThrow(
          () -> fail("unknown suite '" + n + "'; suites: " + String.join(", ", Suites.names()))));
    }
    int cores = Runtime.getRuntime().availableProcessors();
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    System.out.printf(Locale.ROOT,
        "tufsh benchmarks, %s mode: %d cores, %s %s; warm-up %d ms, %d rounds of %d ms; %s time%n",
        mode.name().toLowerCase(Locale.ROOT), cores, System.getProperty("java.vm.name"),
        System.getProperty("java.version"), mode.warmupMillis(), mode.rounds(), mode.roundMillis(),
        cpuTime ? "thread CPU" : "wall-clock");
    if (load >= cores) {
      System.out.printf(Locale.ROOT,
          "warning: load average %.1f on %d cores: other work competes for the CPU, expect a wide spread%s%n",
          load, cores, cpuTime ? "" : " (--cpu-time is steadier)");
    }
    List<Result> results =
        run(suites, mode, cpuTime, cores, System.out, System.console() != null ? System.err : null);
    if (json != null) {
      JsonReport.write(json, mode, cpuTime, cores, load, results);
      System.out.println("wrote " + json);
    }
  }

  /**
   * Runs {@code suites}, printing each suite's table to {@code out} when it ends and, when
   * {@code progress} is not null, the measurement being run.
   */
  public static List<Result> run(
      List<Suite> suites, Mode mode, boolean cpuTime, int cores, PrintStream out, PrintStream progress)
      throws Exception {
    List<Result> all = new ArrayList<>();
    Path scratch = Files.createTempDirectory("tufsh-bench");
    try {
      Context ctx = new Context(mode, cores, scratch);
      for (Suite suite : suites) {
        List<Measurement> ms = suite.prepare(ctx);
        checkIds(suite, ms);
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
          Measurement m = ms.get(i);
          if (progress != null) {
            progress.printf(Locale.ROOT, "\r\033[K%s [%d/%d] %s", suite.name(), i + 1, ms.size(), m.id());
            progress.flush();
          }
          results.add(Runner.run(suite.name(), m, mode, cpuTime));
        }
        if (progress != null) {
          progress.print("\r\033[K");
          progress.flush();
        }
        results = withRatios(results);
        out.printf(Locale.ROOT, "%n== %s: %s%n", suite.name(), suite.description());
        out.print(Table.render(results));
        out.flush();
        all.addAll(results);
      }
    } finally {
      deleteTree(scratch);
    }
    return all;
  }

  private static void checkIds(Suite suite, List<Measurement> ms) {
    Set<String> ids = new LinkedHashSet<>();
    for (Measurement m : ms) {
      if (!ids.add(m.id())) {
        throw new IllegalStateException(suite.name() + ": two measurements are named '" + m.id() + "'");
      }
    }
    for (Measurement m : ms) {
      if (m.baseline() != null && !ids.contains(m.baseline())) {
        throw new IllegalStateException(
            suite.name() + ": '" + m.id() + "' names baseline '" + m.baseline() + "', which the suite lacks");
      }
    }
  }

  private static List<Result> withRatios(List<Result> results) {
    Map<String, Result> byId = new HashMap<>();
    results.forEach(r -> byId.put(r.id(), r));
    List<Result> out = new ArrayList<>();
    for (Result r : results) {
      Result b = r.baseline() == null ? null : byId.get(r.baseline());
      out.add(b == null ? r : r.withRatio(r.medianOps() / b.medianOps()));
    }
    return out;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw fail(option + " needs a value");
    }
    return args[i];
  }

  private static IllegalArgumentException fail(String message) {
    System.err.println("bench: " + message);
    System.err.println(usage());
    System.exit(2);
    return new IllegalArgumentException(message);
  }

  private static String usage() {
    return String.join("\n",
        "usage: scripts/bench [--quick | --smoke] [--cpu-time] [--suite NAME]... [--json FILE] [--list]",
        "  --quick       shorter warm-up and fewer, shorter rounds (a quick look)",
        "  --smoke       one tiny round per measurement on small inputs (checks that everything runs)",
        "  --cpu-time    time each thread's CPU time instead of wall-clock time (steadier on a busy",
        "                machine; leaves out garbage collection and JIT work done on other threads)",
        "  --suite NAME  run only this suite (repeatable); suites: " + String.join(", ", Suites.names()),
        "  --json FILE   also write the results as JSON",
        "  --list        list the suites and exit");
  }
}
