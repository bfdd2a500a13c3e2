package dev.tufsh.bench;

import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Start-up as an operator feels it, each a fresh JVM: {@code tufsh --version}, the interactive
 * shell to a usable prompt (a real terminal, tmux), and {@code status} to its end on a PEP 458
 * repository of 16384 bins. With the AppCDS archive that scripts/tufsh makes, against the same
 * command without it.
 */
final class StartupSuite implements Suite {
  @Override
  public String name() {
    return "startup";
  }

  @Override
  public String description() {
    return "fresh-JVM start-up: --version, REPL to its prompt (tmux), status on a 16384-bin repository; AppCDS vs none";
  }

  @Override
  public List<Measurement> prepare(Context ctx) throws Exception {
    Path dir = ctx.newFolder("startup");
    classpath = prepareClasspath(dir);
    Path repo = dir.resolve("pypi");
    Workbench b = Benches.at(repo);
    Init.run(b, Init.Request.defaults().withBins(ctx.size(16384, 16)));
    Publishing.publish(b);
    Path cds = dir.resolve("tufsh.jsa");
    run(List.of("-XX:ArchiveClassesAtExit=" + cds), "--repo", repo.toString(), "status");
    List<String> shared = List.of("-XX:SharedArchiveFile=" + cds, "-Xshare:auto");
    List<Measurement> out = new ArrayList<>();
    out.add(Measurement.of("--version, no CDS", () -> run(List.of(), "--version")));
    out.add(Measurement.of("--version, AppCDS", () -> run(shared, "--version")).baseline("--version, no CDS"));
    out.add(Measurement.of("status " + ctx.size(16384, 16) + " bins, no CDS",
        () -> run(List.of(), "--repo", repo.toString(), "status")));
    out.add(Measurement.of("status " + ctx.size(16384, 16) + " bins, AppCDS",
        () -> run(shared, "--repo", repo.toString(), "status"))
        .baseline("status " + ctx.size(16384, 16) + " bins, no CDS"));
    out.add(Measurement.of("REPL to prompt, no CDS", () -> prompt(dir, repo, List.of())));
    out.add(Measurement.of("REPL to prompt, AppCDS", () -> prompt(dir, repo, shared))
        .baseline("REPL to prompt, no CDS"));
    return out;
  }

  /**
   * The launcher's classpath: the built jar and its libraries. AppCDS archives only jars (a
   * classes folder on the path makes the JVM refuse to dump), so when {@code mvn test} has built
   * no jar yet, the classes folder is packed into one here, beside the jars already on the path.
   */
  private static String launcherClasspath() {
    return classpath;
  }

  private static String classpath;

  private static String prepareClasspath(Path scratch) throws java.io.IOException {
    Path jar = Path.of("target", "tufsh.jar").toAbsolutePath();
    Path lib = Path.of("target", "lib").toAbsolutePath();
    if (Files.isRegularFile(jar) && Files.isDirectory(lib)) {
      return jar + java.io.File.pathSeparator + lib + "/*";
    }
    List<String> parts = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p) && p.endsWith(Path.of("target", "classes"))) {
        Path packed = scratch.resolve("tufsh-classes.jar");
        packJar(p, packed);
        parts.add(0, packed.toString());
      } else if (entry.endsWith(".jar")) {
        parts.add(entry);
      }
    }
    return String.join(java.io.File.pathSeparator, parts);
  }

  private static void packJar(Path classes, Path jar) throws java.io.IOException {
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
        var walk = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }

  private static List<String> java(List<String> jvm, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.add("-cp");
    cmd.add(launcherClasspath());
    cmd.add("dev.tufsh.app.Main");
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static Object run(List<String> jvm, String... args) throws Exception {
    Process p = new ProcessBuilder(java(jvm, args))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException("tufsh " + String.join(" ", args) + " exited " + rc);
    }
    return rc;
  }

  private static Object prompt(Path dir, Path repo, List<String> jvm) throws Exception {
    List<String> cmd = java(jvm, "--repo", repo.toString());
    try (Tmux t = Tmux.start(dir, cmd, Map.of("TERM", "xterm-256color", "NO_COLOR", "1",
        "TUFSH_HISTORY", dir.resolve("history").toString()))) {
      t.waitFor("tufsh pypi>$", Duration.ofSeconds(60));
      return t;
    }
  }
}
