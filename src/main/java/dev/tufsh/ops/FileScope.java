package dev.tufsh.ops;

import dev.tufsh.errors.TufshException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Which files an operation may be handed, checked on their real paths (every symlink followed,
 * then checked, so {@code incoming/link -> /etc/shadow} and {@code incoming/../.tufsh} are both
 * caught). Locally anything but the workspace's private folder may be read (its keys and staged
 * state are never targets) and exports go anywhere but the published and private folders; over
 * SSH only the exchange folders: {@code incoming/} to read from,
 * {@code outgoing/} to write to. The published and private folders are never reachable remotely,
 * even when an exchange folder is a link into them.
 */
public final class FileScope {
  public static final String INCOMING = "incoming";
  public static final String OUTGOING = "outgoing";

  private final Path repo;
  private final boolean remote;

  private FileScope(Path repo, boolean remote) {
    this.repo = repo.toAbsolutePath().normalize();
    this.remote = remote;
  }

  /** The local operator: any file but those under {@code .tufsh/}; relative names as typed. */
  public static FileScope local(Path repo) {
    return new FileScope(repo, false);
  }

  /** A remote key holder: files in {@code incoming/}, exports to {@code outgoing/}; names relative to the workspace. */
  public static FileScope exchange(Path repo) {
    return new FileScope(repo, true);
  }

  public boolean remote() {
    return remote;
  }

  /** The real path of {@code file}, which {@code what} (an option or argument label) is about to read. */
  public Path input(Path file, String what) {
    Path abs = absolute(file);
    if (remote) {
      Path folder = folder(INCOMING);
      if (!abs.startsWith(repo.resolve(INCOMING)) && !abs.startsWith(folder)) {
        throw outside(file, what, INCOMING, folder);
      }
      Path real = real(file, abs, what);
      if (!real.startsWith(folder)) {
        throw outside(file, what, INCOMING, folder);
      }
      return real;
    }
    Path real = real(file, abs, what);
    Path priv = realOrSelf(repo.resolve(".tufsh"));
    if (real.startsWith(priv)) {
      throw new Refused(what + " '" + file + "' is in the workspace's private folder " + priv
          + " (keys, staged changes, audit log); nothing there is ever published or imported");
    }
    return real;
  }

  /**
   * The real path of folder {@code dir} (it need not exist yet) that {@code what} is about to write
   * into. Locally any folder; remotely one under {@code outgoing/}.
   */
  public Path output(Path dir, String what) {
    Path abs = absolute(dir);
    if (!remote) {
      Path real = deepestReal(abs);
      for (String kept : List.of(".tufsh", "metadata", "targets")) {
        Path k = realOrSelf(repo.resolve(kept));
        if (real.startsWith(k)) {
          throw new Refused(what + " '" + dir + "' is in the workspace's " + kept + "/ folder; only publish"
              + " writes there");
        }
      }
      return abs;
    }
    Path folder = folder(OUTGOING);
    if (!abs.startsWith(repo.resolve(OUTGOING)) && !abs.startsWith(folder)) {
      throw outside(dir, what, OUTGOING, folder);
    }
    Path real = deepestReal(abs);
    if (!real.startsWith(folder)) {
      throw outside(dir, what, OUTGOING, folder);
    }
    return real;
  }

  /** {@code abs} with its deepest existing part resolved; the rest is created under it (no links there yet). */
  private static Path deepestReal(Path abs) {
    Path existing = abs;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    return (existing == null ? abs : realOrSelf(existing).resolve(existing.relativize(abs))).normalize();
  }

  private Path absolute(Path p) {
    return (remote ? repo.resolve(p) : p.toAbsolutePath()).normalize();
  }

  /** The real path of an exchange folder, refused when it is (a link to) a published or private folder. */
  private Path folder(String name) {
    Path f = realOrSelf(repo.resolve(name));
    for (String kept : List.of(".tufsh", "metadata", "targets")) {
      Path k = realOrSelf(repo.resolve(kept));
      if (f.startsWith(k) || k.startsWith(f)) {
        throw new Refused("the exchange folder " + repo.resolve(name) + " resolves to " + f + ", which holds or is"
            + " inside " + kept + "/; the server's operator must make it a folder of its own");
      }
    }
    return f;
  }

  private static Path real(Path shown, Path abs, String what) {
    try {
      return abs.toRealPath();
    } catch (NoSuchFileException e) {
      throw new Refused(what + " '" + shown + "' does not exist");
    } catch (IOException e) {
      throw new Refused(what + " '" + shown + "' cannot be resolved: " + e.getClass().getSimpleName());
    }
  }

  private static Path realOrSelf(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p;
    }
  }

  private Refused outside(Path shown, String what, String name, Path folder) {
    return new Refused("over SSH, " + what + " must lie in " + name + "/ (" + folder + "); '" + shown + "' does not");
  }

  /** A file an operation may not be given. */
  public static final class Refused extends TufshException {
    public Refused(String message) {
      super(message);
    }
  }
}
