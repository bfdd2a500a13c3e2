package dev.tufsh.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/tufsh, run for real on a copy of an installation (the launcher, a jar of the compiled
 * classes, the runtime jars, a source tree, and a stand-in {@code mvn} that only records that it
 * was called): two first runs at once leave one valid class-data archive; a jar newer than the
 * archive is retrained; a build waits for no one and never happens while another tufsh runs; a
 * touch or checkout that keeps content rebuilds nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherTest {
  @TempDir static Path inst;

  @BeforeAll
  static void installation() throws Exception {
    Path scripts = Files.createDirectories(inst.resolve("scripts"));
    // The launcher and what it sources (scripts/tufsh-memory).
    try (var launcher = Files.newDirectoryStream(Path.of("scripts"), "tufsh*")) {
      for (Path p : launcher) {
        Files.copy(p, scripts.resolve(p.getFileName()));
      }
    }
    Path lib = Files.createDirectories(inst.resolve("target/lib"));
    Path classes = null;
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(e);
      if (e.endsWith(".jar") && Files.isRegularFile(p) && !Files.exists(lib.resolve(p.getFileName()))) {
        Files.copy(p, lib.resolve(p.getFileName()));
      } else if (p.endsWith(Path.of("target", "classes"))) {
        classes = p;
      }
    }
    Path src = Files.createDirectories(inst.resolve("src/main/java"));
    Files.writeString(src.resolve("A.java"), "class A {}\n");
    Files.writeString(inst.resolve("pom.xml"), "<project/>\n");
    jar(classes, inst.resolve("target/tufsh.jar"));
    Path bin = Files.createDirectories(inst.resolve("bin"));
    Files.writeString(bin.resolve("mvn"), "#!/bin/sh\necho \"mvn $*\" >> \"" + inst.resolve("mvn.log") + "\"\n");
    Files.setPosixFilePermissions(bin.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  @Order(1)
  void two_first_runs_at_once_leave_one_valid_archive_and_a_newer_jar_is_retrained() throws Exception {
    Process a = launcher(List.of("help")).start();
    Process b = launcher(List.of("help")).start();
    assertEquals(0, finish(a), "first run");
    assertEquals(0, finish(b), "second run");
    Path jsa = inst.resolve("target/tufsh.jsa");
    assertTrue(Files.isRegularFile(jsa), "one of them trained the archive");
    assertArchiveMaps(jsa);
    try (Stream<Path> left = Files.list(inst.resolve("target"))) {
      assertEquals(List.of(), left.filter(p -> p.getFileName().toString().contains("jsa.")).toList(), "no debris");
    }

    // A touched jar: the JVM would refuse the archive (it checks the jar's mtime); the launcher retrains.
    Path jar = inst.resolve("target/tufsh.jar");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jsa).toMillis() + 2000));
    assertEquals(0, finish(launcher(List.of("help")).start()));
    assertTrue(Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) > 0, "retrained");
    assertArchiveMaps(jsa);
  }

  @Test
  @Order(2)
  void it_never_rebuilds_while_another_tufsh_runs_and_content_not_mtimes_decides() throws Exception {
    Path log = inst.resolve("mvn.log");
    // A tufsh reading its commands from standard input runs until that closes.
    Process holder = launcher(List.of("--repo", inst.resolve("none").toString())).start();
    awaitLockHeld();
    Path source = inst.resolve("src/main/java/A.java");
    Files.writeString(source, "class A { int changed; }\n");

    Run during = run(List.of("help"));
    assertEquals(0, during.status(), during.err());
    assertTrue(during.err().contains("another tufsh runs from target/: using the jar as built"), during.err());
    assertFalse(Files.exists(log), "no build while another tufsh runs");

    holder.getOutputStream().close();
    assertEquals(0, finish(holder));
    Run after = run(List.of("help"));
    assertTrue(after.err().contains("building target/tufsh.jar"), after.err());
    assertEquals(1, Files.readAllLines(log).size(), "built once, when none ran");

    // Same content with new mtimes (a checkout, a touch): no build.
    Files.setLastModifiedTime(source, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    Files.setLastModifiedTime(inst.resolve("pom.xml"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
    Run touched = run(List.of("help"));
    assertEquals(0, touched.status(), touched.err());
    assertFalse(touched.err().contains("building"), touched.err());
    assertEquals(1, Files.readAllLines(log).size(), "a touch rebuilds nothing");
  }

  private record Run(int status, String err) {}

  private static Run run(List<String> args) throws Exception {
    Path err = Files.createTempFile(inst, "err", ".txt");
    Process p = launcher(args).redirectError(err.toFile()).start();
    int status = finish(p);
    return new Run(status, Files.readString(err, StandardCharsets.UTF_8));
  }

  private static ProcessBuilder launcher(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(inst.resolve("scripts/tufsh").toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("PATH", inst.resolve("bin") + File.pathSeparator + System.getenv("PATH"));
    pb.environment().put("TMPDIR", inst.toString());
    pb.environment().put("TUFSH_JAVA_OPTS", "-Xmx256m");
    return pb;
  }

  private static int finish(Process p) throws InterruptedException {
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the launcher did not finish in 5 minutes");
    }
    return p.exitValue();
  }

  /** -Xshare:on makes an archive the JVM cannot map a fatal error, where the launcher's auto ignores it. */
  private static void assertArchiveMaps(Path jsa) throws Exception {
    Path target = inst.resolve("target");
    Process p = new ProcessBuilder("java", "-Xshare:on", "-XX:SharedArchiveFile=" + jsa, "-Xmx64m",
        "-cp", target.resolve("tufsh.jar") + File.pathSeparator + target.resolve("lib") + "/*",
        "dev.tufsh.app.Main", "help").redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectErrorStream(false).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, finish(p), "the archive maps: " + err);
  }

  /** Waits until a launcher holds the shared lock (an exclusive try fails): a condition, not a sleep. */
  private static void awaitLockHeld() throws Exception {
    Path lock = inst.resolve("target/.tufsh-launcher.lock");
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      if (Files.exists(lock)) {
        Process probe = new ProcessBuilder("flock", "-x", "-n", lock.toString(), "true").start();
        if (finish(probe) != 0) {
          return;
        }
      }
      assertTrue(System.nanoTime() < end, "no launcher took the lock within 2 minutes");
      Thread.sleep(50);
    }
  }

  private static void jar(Path classes, Path out) throws IOException {
    try (OutputStream file = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(file);
        Stream<Path> all = Files.walk(classes)) {
      for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
        jar.putNextEntry(new ZipEntry(classes.relativize(p).toString().replace(File.separatorChar, '/')));
        Files.copy(p, jar);
        jar.closeEntry();
      }
    }
  }
}
