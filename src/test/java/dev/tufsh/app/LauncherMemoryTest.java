package dev.tufsh.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The memory settings scripts/tufsh gives each kind of process, read back from the JVM it starts
 * (-XX:+PrintFlagsFinal -version in TUFSH_JAVA_OPTS): a one-shot command's heap cap and collector, the
 * long-lived shell's. The launcher runs from a copy beside an empty jar and archive, so nothing is built
 * or trained and tufsh never starts.
 */
class LauncherMemoryTest {
  private static final long MB = 1L << 20;

  record Case(String name, List<String> args, String extraOpts, String collector, long maxHeap, long initialHeap) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    return List.of(
        // small work (C1 only): a small start, so an upload touches what it uses
        new Case("status", List.of("status"), "", "UseSerialGC", 256 * MB, 128 * MB),
        new Case("an upload's -c line", List.of("-c", "target add --path a/b-1.tar.gz --length 1 --sha256 "
            + "0".repeat(64) + "; publish"), "", "UseSerialGC", 256 * MB, 128 * MB),
        // work that grows with the repository starts at its cap (a smaller start doubled daily's GC time)
        new Case("a -c line (the daily job)", List.of("-c", "bump 'bin-*'; publish"), "", "UseSerialGC", 256 * MB,
            256 * MB),
        new Case("a PyPI-size build's -c line",
            List.of("-c", "init --bins 16384; target add --list x.list; publish"), "", "UseSerialGC", 256 * MB,
            256 * MB),
        new Case("serve lives long", List.of("serve", "--help"), "", "UseSerialGC", 384 * MB, 128 * MB),
        new Case("a collector in TUFSH_JAVA_OPTS wins, the cap stays", List.of("status"), "-XX:+UseParallelGC",
            "UseParallelGC", 256 * MB, 128 * MB));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void heapAndCollector(Case c, @TempDir Path dir) throws Exception {
    Map<String, String> flags = flags(dir, c.args(), c.extraOpts());
    assertEquals("true", flags.get(c.collector()), c.collector() + " for " + c.args());
    assertEquals(String.valueOf(c.maxHeap()), flags.get("MaxHeapSize"), "heap cap for " + c.args());
    assertEquals(String.valueOf(c.initialHeap()), flags.get("InitialHeapSize"), "initial heap for " + c.args());
    assertEquals("262144", flags.get("jdk.nio.maxCachedBufferSize"), "NIO's cached direct buffers bounded");
    if (c.initialHeap() == 128 * MB && c.maxHeap() == 256 * MB) {
      assertEquals(String.valueOf(16 * MB), flags.get("MaxNewSize"), "small work's young generation fixed for " + c.args());
    } else {
      assertTrue(Long.parseLong(flags.get("MaxNewSize")) > 48 * MB, "young generation free to grow for " + c.args());
    }
  }

  /** A launcher case: the command line, and the value one JIT flag must have for it. */
  record Jit(String name, List<String> args, String flag) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Jit> jits() {
    return List.of(
        new Jit("the daily job waits longer for C2", List.of("-c", "bump 'bin-*'; publish"), "100000"),
        new Jit("a resign too", List.of("resign", "bin-*"), "100000"),
        new Jit("a build keeps the default tiers",
            List.of("-c", "init --bins 16384; target add --list x.list; publish"), "5000"),
        new Jit("a bump beside other work keeps them", List.of("-c", "bump 'bin-*'; target add --list x; publish"),
            "5000"),
        new Jit("serve keeps them", List.of("serve", "--help"), "5000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jits")
  void compileThresholds(Jit c, @TempDir Path dir) throws Exception {
    assertEquals(c.flag(), flags(dir, c.args(), "").get("Tier4InvocationThreshold"), c.name());
  }

  static List<Jit> inlining() {
    return List.of(
        new Jit("a build inlines less", List.of("-c", "init --bins 16384; target add --list x.list; publish"), "60"),
        new Jit("the daily job too", List.of("-c", "bump 'bin-*'; publish"), "60"),
        new Jit("verify too", List.of("verify", "--no-targets"), "60"),
        new Jit("an upload (C1 only) keeps the defaults", List.of("-c", "target add --path a/b --length 1 "
            + "--sha256 " + "0".repeat(64) + "; publish"), "325"),
        new Jit("serve keeps them", List.of("serve", "--help"), "325"));
  }

  /** One-shot work that keeps C2 compiles smaller methods: C2 took a third of a full-size build's CPU. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("inlining")
  void oneShotWorkInlinesLess(Jit c, @TempDir Path dir) throws Exception {
    assertEquals(c.flag(), flags(dir, c.args(), "").get("FreqInlineSize"), c.name());
  }

  /**
   * A publish of a small staging area (an upload's) runs C1 only; one of many staged bins (a list's
   * 1,024 bins of 30 KB each, none over the 4 MB mark) keeps C2: it hashes every path of every bin,
   * and C1 runs SHA-256 without its intrinsic (23 s vs 6.3 s CPU at 1,024 x 142k).
   */
  @ParameterizedTest(name = "publish with {0} staged files")
  @org.junit.jupiter.params.provider.ValueSource(ints = {2, 64, 65, 1024})
  void a_publish_of_many_staged_bins_keeps_c2(int files, @TempDir Path dir) throws Exception {
    Path roles = Files.createDirectories(dir.resolve("repo/.tufsh/staged/roles"));
    for (int i = 0; i < files; i++) {
      Files.write(roles.resolve("r" + i), new byte[100]);
    }
    assertEquals(files > 64 ? "4" : "1", flags(dir, List.of("publish"), "").get("TieredStopAtLevel"),
        files + " staged files");
  }

  /** A line and, when {@code binBytes >= 0}, one published bin of that size: the tier the launcher stops at. */
  record Tiers(String name, List<String> args, int binBytes, String stopAt) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Tiers> tiers() {
    String revoke = "revoke bin-n-1 --generate; publish";
    return List.of(
        new Tiers("init and publish of empty bins stop at C1", List.of("-c", "init --bins 16384; publish"), -1, "1"),
        new Tiers("a build with a list keeps C2", List.of("-c", "init --bins 16384; target add --list x; publish"),
            -1, "4"),
        new Tiers("the incident over near-empty bins stops at C1", List.of("-c", revoke), 341, "1"),
        new Tiers("the incident over PyPI-size bins keeps C2", List.of("-c", revoke), 30_000, "4"),
        new Tiers("the incident where no bin is found keeps C2", List.of("-c", revoke), -1, "4"),
        new Tiers("a revoke beside other work keeps C2", List.of("-c", revoke + "; bump 'bin-*'"), 341, "4"),
        new Tiers("the daily job keeps C2", List.of("-c", "bump 'bin-*'; publish"), 341, "4"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tiers")
  void tierPerLine(Tiers c, @TempDir Path dir) throws Exception {
    if (c.binBytes() >= 0) {
      Path meta = Files.createDirectories(dir.resolve("repo/metadata"));
      Files.write(meta.resolve("1.bins.json"), new byte[40_000]); // the delegator: not a bin
      Files.write(meta.resolve("1.bin-0a1f.json"), new byte[c.binBytes()]);
    }
    assertEquals(c.stopAt(), flags(dir, c.args(), "").get("TieredStopAtLevel"), c.name());
  }

  /** The JVM's final flags (and its jdk.nio properties) when scripts/tufsh starts with {@code args}. */
  private static Map<String, String> flags(Path dir, List<String> args, String extraOpts)
      throws IOException, InterruptedException {
    Path scripts = Files.createDirectories(dir.resolve("scripts"));
    for (String s : List.of("tufsh", "tufsh-memory")) {
      Path to = scripts.resolve(s);
      Files.copy(Path.of("scripts", s), to);
      to.toFile().setExecutable(true, true);
    }
    Files.createDirectories(dir.resolve("target/lib"));
    Files.write(dir.resolve("target/tufsh.jar"), new byte[0]); // no sources beside it: the launcher builds nothing
    Path cds = Files.write(dir.resolve("target/tufsh.jsa"), new byte[0]); // and trains no class-data archive
    Files.setLastModifiedTime(cds, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    List<String> cmd = new ArrayList<>(List.of(scripts.resolve("tufsh").toString(), "--repo",
        dir.resolve("repo").toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("TUFSH_JAVA_OPTS", (extraOpts + " -XX:+PrintFlagsFinal -XshowSettings:properties -version")
        .trim());
    pb.environment().put("TMPDIR", dir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher finished");
    assertEquals(0, p.exitValue(), "java -version through the launcher: " + out);
    Map<String, String> flags = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^\\s*\\S+\\s+(\\w+)\\s+:?=\\s+(\\S+)").matcher(out);
    while (m.find()) {
      flags.put(m.group(1), m.group(2));
    }
    Matcher prop = Pattern.compile("(?m)^\\s*(jdk\\.nio\\.\\S+) = (\\S+)").matcher(out);
    while (prop.find()) {
      flags.put(prop.group(1), prop.group(2));
    }
    return flags;
  }
}
