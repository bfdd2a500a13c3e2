package dev.tufsh.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build step ({@code mvn package}, after the runtime jars are copied to {@code target/lib}): makes
 * the launcher's copies of the jars archivable by class-data sharing. Signed jars lose their
 * signatures ({@link UnsignedJars}), and jars compiled for Java 5 (picocli 4.7.7, class version 49) class
 * version 52 with stack map frames computed by ASM. Java 17's class-data sharing never archives a
 * class older than version 50, so each one-shot command loaded and verified picocli's 175 classes
 * with the old verifier: with them archived, a one-shot upload costs 0.9x the CPU. The bytecode is
 * otherwise unchanged; the jars in the Maven repository, which the tests use, are left as they are.
 */
public final class ArchivableJars {
  /** The first class version that CDS archives and the split verifier checks. */
  static final int OLDEST_ARCHIVED = Opcodes.V1_6;

  private ArchivableJars() {}

  public static void main(String[] args) throws IOException {
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
      for (Path jar : jars) {
        UnsignedJars.unsign(jar);
        upgrade(jar);
      }
    }
  }

  /** Rewrites {@code jar}'s classes older than version 50 as version 52; false when it has none. */
  static boolean upgrade(Path jar) throws IOException {
    Path tmp = jar.resolveSibling(jar.getFileName() + ".frames");
    try (ZipFile in = new ZipFile(jar.toFile());
        URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()},
            ArchivableJars.class.getClassLoader())) {
      if (in.stream().noneMatch(e -> isClass(e) && old(read(in, e)))) {
        return false;
      }
      try (OutputStream file = Files.newOutputStream(tmp); ZipOutputStream out = new ZipOutputStream(file)) {
        for (ZipEntry e : Collections.list(in.entries())) {
          byte[] body = read(in, e);
          if (isClass(e) && old(body)) {
            body = withFrames(body, classes);
          }
          ZipEntry copy = new ZipEntry(e.getName());
          copy.setTime(e.getTime()); // the same bytes on every build
          out.putNextEntry(copy);
          out.write(body);
          out.closeEntry();
        }
      }
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    return true;
  }

  /** {@code bytes} as version 52 with frames; the common superclass of two types comes from {@code classes}. */
  static byte[] withFrames(byte[] bytes, ClassLoader classes) {
    ClassReader reader = new ClassReader(bytes);
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected ClassLoader getClassLoader() {
        return classes;
      }
    };
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public void visit(int version, int access, String name, String signature, String superName, String[] faces) {
        super.visit(Opcodes.V1_8, access, name, signature, superName, faces);
      }
    }, ClassReader.SKIP_FRAMES);
    return writer.toByteArray();
  }

  /** A class file's major version is below 50 (bytes 6-7; META-INF/versions copies are newer anyway). */
  static boolean old(byte[] classFile) {
    int major = ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    return major < (OLDEST_ARCHIVED & 0xffff);
  }

  private static boolean isClass(ZipEntry e) {
    return e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/");
  }

  private static byte[] read(ZipFile zip, ZipEntry e) {
    try (InputStream in = zip.getInputStream(e)) {
      return in.readAllBytes();
    } catch (IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
  }
}
