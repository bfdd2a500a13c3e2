package dev.tufsh.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Folder trees for tests: a workspace built once and copied per test (keys and modes kept), a
 * folder's contents to compare before and after, a signature damaged in place, a tree removed.
 */
public final class Trees {
  private Trees() {}

  /** Copies {@code from} to {@code to} with file and folder modes, over files there; returns {@code to}. */
  public static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
          Files.setPosixFilePermissions(q, Files.getPosixFilePermissions(p));
        } else {
          Files.copy(p, q, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return to;
  }

  /** The files directly in {@code dir}, by name, with their bytes; a folder as {@code name/} with none. */
  public static Map<String, byte[]> contents(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (Files.isDirectory(p)) {
          out.put(name + "/", new byte[0]);
        } else {
          out.put(name, Files.readAllBytes(p));
        }
      }
    }
    return out;
  }

  /** Removes {@code dir} and everything under it (a link is removed, never followed); nothing if absent. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Changes one hex digit of the last signature in {@code file}: still valid JSON, no longer a valid signature. */
  public static void flipLastSignature(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.ISO_8859_1);
    int sig = text.lastIndexOf("\"sig\":\"") + 7;
    char c = text.charAt(sig);
    Files.writeString(file, text.substring(0, sig) + (c == '0' ? '1' : '0') + text.substring(sig + 1),
        StandardCharsets.ISO_8859_1);
  }
}
