package dev.tufsh.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's copy of BouncyCastle's signed jar: no signature, every class still there and loadable. */
class UnsignedJarsTest {
  @Test
  void a_signed_jar_loses_its_signature_and_keeps_its_classes(@TempDir Path dir) throws Exception {
    Path signed = Path.of(org.bouncycastle.jce.provider.BouncyCastleProvider.class.getProtectionDomain()
        .getCodeSource().getLocation().toURI());
    Path jar = dir.resolve(signed.getFileName());
    Files.copy(signed, jar);
    assertTrue(signers(jar) > 0, "the jar from the Maven repository is signed");

    assertTrue(UnsignedJars.unsign(jar));
    assertEquals(0, signers(jar));
    assertFalse(UnsignedJars.unsign(jar), "an unsigned jar is left alone");
    try (JarFile before = new JarFile(signed.toFile(), false); JarFile after = new JarFile(jar.toFile(), false)) {
      assertEquals(classes(before), classes(after));
      assertEquals(before.getManifest().getMainAttributes(), after.getManifest().getMainAttributes());
      assertTrue(after.getManifest().getEntries().isEmpty(), "the per-entry digests are gone");
      assertTrue(after.isMultiRelease());
      JarEntry e = after.getJarEntry("org/bouncycastle/crypto/generators/SCrypt.class");
      try (InputStream a = before.getInputStream(before.getJarEntry(e.getName()));
          InputStream b = after.getInputStream(e)) {
        assertEquals(java.util.Arrays.toString(a.readAllBytes()), java.util.Arrays.toString(b.readAllBytes()));
      }
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      Class<?> c = loader.loadClass("org.bouncycastle.jce.provider.BouncyCastleProvider");
      assertNull(c.getProtectionDomain().getCodeSource().getCodeSigners());
      assertNotNull(c.getDeclaredConstructor().newInstance());
    }
  }

  private static long classes(JarFile jar) {
    return Collections.list(jar.entries()).stream().filter(e -> e.getName().endsWith(".class")).count();
  }

  /** How many entries of {@code jar} carry verified signers (read whole, as verification needs). */
  private static int signers(Path jar) throws Exception {
    int n = 0;
    try (JarFile f = new JarFile(jar.toFile(), true)) {
      for (JarEntry e : Collections.list(f.entries())) {
        try (InputStream in = f.getInputStream(e)) {
          in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (e.getCodeSigners() != null) {
          n++;
        }
      }
    }
    return n;
  }
}
