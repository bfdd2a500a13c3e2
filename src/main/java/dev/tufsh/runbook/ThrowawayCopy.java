package dev.tufsh.runbook;

import dev.tufsh.errors.TufshException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.Set;

/**
 * A throwaway copy of a workspace for a dry run: metadata and private state are copied, target
 * files are hard-linked where the file system allows (they are never modified in place), and the
 * audit log and lock stay behind. Deleted on close.
 */
public final class ThrowawayCopy implements AutoCloseable {
  private static final Set<String> SKIP = Set.of("audit.log", "lock");
  private final Path dir;

  private ThrowawayCopy(Path dir) {
    this.dir = dir;
  }

  public static ThrowawayCopy of(Path workspace) {
    try {
      Path tmp = Files.createTempDirectory("tufsh-dry-run-");
      Path dest = tmp.resolve(workspace.getFileName() == null ? "repo" : workspace.getFileName().toString());
      Files.createDirectories(dest);
      if (Files.isDirectory(workspace)) {
        copyTree(workspace, dest);
      }
      return new ThrowawayCopy(dest);
    } catch (IOException e) {
      throw new TufshException("cannot make a dry-run copy of " + workspace + ": " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(d).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Path rel = from.relativize(f);
        if (rel.getNameCount() == 2 && rel.getName(0).toString().equals(".tufsh")
            && SKIP.contains(rel.getFileName().toString())) {
          return FileVisitResult.CONTINUE;
        }
        Path target = to.resolve(rel.toString());
        if (rel.getName(0).toString().equals("targets")) {
          try {
            Files.createLink(target, f);
            return FileVisitResult.CONTINUE;
          } catch (IOException | UnsupportedOperationException e) {
            // Different file system: fall back to a copy.
          }
        }
        // A link is copied as a link (the dry run meets it as the real run would), never followed.
        Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  @Override
  public void close() {
    try (var s = Files.walk(dir.getParent())) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new TufshException("cannot delete dry-run copy " + dir + ": " + e.getMessage(), e);
    }
  }
}
