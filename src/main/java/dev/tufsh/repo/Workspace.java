package dev.tufsh.repo;

import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.files.FileModes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A repository folder. What clients fetch lives in {@code metadata/} and {@code targets/} (serve
 * them with any static web server); private state lives in {@code .tufsh/}, created owner-only.
 *
 * <p>A folder with {@code metadata/} and no {@code .tufsh/} is a <em>foreign</em> repository (a
 * mirror, or one written by python-tuf, RSTUF or tuf-on-ci): it opens read-only, so {@code verify},
 * {@code status} and {@code plan} work on it and nothing is ever written there (no lock, no audit
 * log, no cache) until {@code adopt} makes it a workspace.
 */
public final class Workspace {
  private final Path root;

  private Workspace(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Opens an existing workspace, or a foreign repository read-only; a clear error when {@code dir} is neither. */
  public static Workspace open(Path dir) {
    Workspace w = new Workspace(dir);
    if (!Files.isDirectory(w.metadataDir())) {
      throw new WorkspaceError(w.root + " is not a repository: it has no metadata/ folder"
          + (Files.isDirectory(w.privateDir()) ? "" : " (create one with 'init')"));
    }
    FileModes.requireNotWritableByOthers(w.metadataDir(), "755");
    FileModes.requireNotWritableByOthers(w.targetsDir(), "755");
    return w;
  }

  /**
   * True for a folder holding only published metadata (no .tufsh/settings.json): nothing may be
   * written to it. A .tufsh/ holding only an audit log (the intent of an adopt that is running or
   * failed) is not a workspace yet.
   */
  public boolean foreign() {
    return !Files.isRegularFile(settingsFile());
  }

  /** Throws when this is a foreign repository; {@code what} names the refused action. */
  public void requireWritable(String what) {
    if (foreign()) {
      throw new WorkspaceError(root + " is a foreign repository (metadata/ without .tufsh/), open read-only: cannot "
          + what + "; take it over with 'adopt'");
    }
  }

  /** Whether {@code dir} holds a workspace (not merely a foreign repository). */
  public static boolean exists(Path dir) {
    Workspace w = new Workspace(dir);
    return Files.isRegularFile(w.settingsFile()) && Files.isDirectory(w.metadataDir());
  }

  /** Creates the folders of a new workspace; refuses a folder that already holds metadata. */
  public static Workspace create(Path dir, Settings settings) {
    Workspace w = new Workspace(dir);
    // .tufsh/ may already hold the audit log with init's own intent record, nothing else.
    if (Files.exists(w.metadataDir().resolve(FileNames.TIMESTAMP)) || Files.exists(w.settingsFile())
        || Files.exists(w.keysDir()) || Files.exists(w.stagedDir())) {
      throw new WorkspaceError(w.root + " already holds a repository; refusing to overwrite it");
    }
    try {
      AtomicFiles.publicDirs(w.root); // 0755 whatever the umask: others who may write it could swap .tufsh/
      AtomicFiles.publicDirs(w.metadataDir());
      AtomicFiles.publicDirs(w.targetsDir());
      ownerOnlyDir(w.privateDir());
      ownerOnlyDir(w.stagedDir());
      ownerOnlyDir(w.keysDir());
    } catch (IOException e) {
      throw new WorkspaceError("cannot create the repository in " + w.root + ": " + AtomicFiles.reason(e), e);
    }
    AtomicFiles.write(w.settingsFile(), settings.toBytes());
    return w;
  }

  /**
   * Makes the private state ({@code .tufsh/}) for a foreign repository whose {@code metadata/} is
   * already published, leaving what is published untouched. Refuses a folder that is a workspace
   * already or holds no published timestamp.
   */
  public static Workspace adopt(Path dir, Settings settings) {
    Workspace w = new Workspace(dir);
    if (!w.foreign()) {
      throw new WorkspaceError(w.root + " is already a tufsh repository (it has .tufsh/)");
    }
    if (!Files.isRegularFile(w.metadataDir().resolve(FileNames.TIMESTAMP))) {
      throw new WorkspaceError(w.root + " has no published metadata/" + FileNames.TIMESTAMP + " to adopt");
    }
    try {
      AtomicFiles.publicDirs(w.targetsDir());
      ownerOnlyDir(w.privateDir());
      ownerOnlyDir(w.stagedDir());
      ownerOnlyDir(w.keysDir());
    } catch (IOException e) {
      throw new WorkspaceError("cannot create " + w.privateDir() + ": " + AtomicFiles.reason(e), e);
    }
    AtomicFiles.write(w.settingsFile(), settings.toBytes());
    return w;
  }

  static void ownerOnlyDir(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Files.createDirectory(dir, FileModes.ownerOnlyDir());
  }

  public Path root() {
    return root;
  }

  public Path metadataDir() {
    return root.resolve("metadata");
  }

  public Path targetsDir() {
    return root.resolve("targets");
  }

  public Path privateDir() {
    return root.resolve(".tufsh");
  }

  public Path stagedDir() {
    return privateDir().resolve("staged");
  }

  public Path keysDir() {
    return privateDir().resolve("keys");
  }

  public Path auditLog() {
    return privateDir().resolve("audit.log");
  }

  /** The highest version of each role ever published: {@link HighWaterMark}. */
  public Path highWaterFile() {
    return privateDir().resolve("high-water.json");
  }

  public Path lockFile() {
    return privateDir().resolve("lock");
  }

  public Path settingsFile() {
    return privateDir().resolve("settings.json");
  }

  public Settings settings() {
    Path f = settingsFile();
    return Files.exists(f) ? Settings.fromBytes(AtomicFiles.read(f), f.toString()) : Settings.pep458();
  }

  public void saveSettings(Settings s) {
    AtomicFiles.write(settingsFile(), s.toBytes());
  }

  /**
   * Removes a workspace that {@link #create} made and that was never published (init failed
   * half-way). Refuses when anything was published.
   */
  public void destroyNew() {
    if (Files.exists(metadataDir().resolve(FileNames.TIMESTAMP))) {
      throw new WorkspaceError(root + " holds published metadata; refusing to remove it");
    }
    for (Path p : new Path[] {privateDir(), metadataDir(), targetsDir()}) {
      if (!Files.exists(p)) {
        continue;
      }
      try (var walk = Files.walk(p)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
      } catch (IOException e) {
        // best effort: the error that made init fail is the one to report
      }
    }
  }

  /** A short name for prompts: the folder's name. */
  public String name() {
    Path n = root.getFileName();
    return n == null ? root.toString() : n.toString();
  }
}
