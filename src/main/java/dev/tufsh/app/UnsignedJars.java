package dev.tufsh.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Part of the build step {@link ArchivableJars} ({@code mvn package}): drops the jar signatures of
 * the copies the launcher runs from. BouncyCastle's jars are signed, and a
 * signed jar costs every process that loads one class from it: the JDK reads its 855 KB manifest
 * and checks the signature (0.2 s of CPU in a one-shot upload), and class-data sharing never
 * archives classes from a signed jar. OpenJDK does not require JCE providers to be signed; the
 * jars in the Maven repository, which the tests use, keep their signatures.
 */
public final class UnsignedJars {
  private UnsignedJars() {}

  /** Rewrites {@code jar} without its signature files and per-entry digests; unsigned jars are left alone. */
  static boolean unsign(Path jar) throws IOException {
    Path tmp = jar.resolveSibling(jar.getFileName() + ".unsigned");
    try (ZipFile in = new ZipFile(jar.toFile())) {
      if (in.stream().noneMatch(e -> isSignature(e.getName()))) {
        return false;
      }
      try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(file)) {
        for (ZipEntry e : java.util.Collections.list(in.entries())) {
          if (isSignature(e.getName())) {
            continue;
          }
          ZipEntry copy = new ZipEntry(e.getName());
          copy.setTime(e.getTime()); // the same bytes on every build
          out.putNextEntry(copy);
          try (InputStream body = in.getInputStream(e)) {
            if (e.getName().equals("META-INF/MANIFEST.MF")) {
              out.write(mainSection(body));
            } else {
              body.transferTo(out);
            }
          }
          out.closeEntry();
        }
      }
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    return true;
  }

  /** The manifest's main attributes only: the per-entry digests exist for the signature. */
  private static byte[] mainSection(InputStream manifest) throws IOException {
    Manifest m = new Manifest(manifest);
    Manifest out = new Manifest();
    out.getMainAttributes().putAll(m.getMainAttributes());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    out.write(bytes);
    return bytes.toByteArray();
  }

  private static boolean isSignature(String name) {
    if (!name.startsWith("META-INF/") || name.indexOf('/', "META-INF/".length()) >= 0) {
      return false;
    }
    String n = name.toUpperCase(java.util.Locale.ROOT);
    return n.endsWith(".SF") || n.endsWith(".RSA") || n.endsWith(".DSA") || n.endsWith(".EC")
        || n.startsWith("META-INF/SIG-");
  }
}
