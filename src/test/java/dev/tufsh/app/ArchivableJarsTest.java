package dev.tufsh.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's copy of picocli (Java 5 class files): version 52 with frames, every class still verifying. */
class ArchivableJarsTest {
  @Test
  void java5_classes_get_version_52_and_verify(@TempDir Path dir) throws Exception {
    Path original = jarOf(picocli.CommandLine.class);
    Path jar = dir.resolve(original.getFileName());
    Files.copy(original, jar);
    Map<String, Integer> before = versions(jar);
    assertEquals(49, before.get("picocli/CommandLine.class"), "picocli 4.7.7 ships Java 5 class files");

    assertTrue(ArchivableJars.upgrade(jar));
    Map<String, Integer> after = versions(jar);
    assertEquals(before.keySet(), after.keySet(), "the same classes");
    after.forEach((name, v) -> assertTrue(v >= 52 || name.startsWith("META-INF/"), name + " is version " + v));
    assertFalse(ArchivableJars.upgrade(jar), "a jar with nothing older than version 50 is left alone");

    // Initialising a class links it, which verifies it against the frames ASM computed: a wrong frame is a
    // VerifyError (version 52 has no fall-back to the old verifier).
    int verified = 0;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      for (String name : after.keySet()) {
        if (name.startsWith("META-INF/")) {
          continue;
        }
        try {
          Class.forName(name.replace('/', '.').replaceAll("\\.class$", ""), true, loader);
          verified++;
        } catch (ExceptionInInitializerError | NoClassDefFoundError notVerification) {
          // a class whose initialiser needs what an isolated loader lacks (java.sql for a converter, say)
        }
      }
      Class<?> cl = loader.loadClass("picocli.CommandLine");
      Object spec = loader.loadClass("picocli.CommandLine$Model$CommandSpec").getMethod("create").invoke(null);
      Object cmd = cl.getConstructor(Object.class).newInstance(spec);
      cl.getMethod("parseArgs", String[].class).invoke(cmd, (Object) new String[0]);
    }
    assertTrue(verified > 150, "verified " + verified + " classes");
  }

  @Test
  void modern_jars_are_left_alone(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("jackson-core.jar");
    Files.copy(jarOf(com.fasterxml.jackson.core.JsonFactory.class), jar);
    byte[] bytes = Files.readAllBytes(jar);
    assertFalse(ArchivableJars.upgrade(jar));
    assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(jar)));
  }

  private static Path jarOf(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** Class file name to major version. */
  private static Map<String, Integer> versions(Path jar) throws Exception {
    Map<String, Integer> out = new TreeMap<>();
    try (ZipFile z = new ZipFile(jar.toFile())) {
      List<? extends ZipEntry> entries = Collections.list(z.entries());
      for (ZipEntry e : entries) {
        if (e.getName().endsWith(".class")) {
          try (InputStream in = z.getInputStream(e)) {
            byte[] head = in.readNBytes(8);
            out.put(e.getName(), ((head[6] & 0xff) << 8) | (head[7] & 0xff));
          }
        }
      }
    }
    return out;
  }
}
