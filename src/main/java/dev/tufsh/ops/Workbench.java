package dev.tufsh.ops;

import dev.tufsh.keys.KeyStore;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.Workspace;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;

/**
 * What every operation needs: the workspace folder, its key store, the clock and who is acting
 * (named in the lock others see). Built per command by the shell, runbooks or the SSH frontend.
 */
public final class Workbench {
  private final Path dir;
  private final Function<Workspace, KeyStore> keyStores;
  private final Clock clock;
  private final String actor;
  private Workspace ws;
  private KeyStore keys;
  private dev.tufsh.repo.Progress progress = dev.tufsh.repo.Progress.NONE;
  private FileScope files;

  public Workbench(Path dir, Function<Workspace, KeyStore> keyStores, Clock clock, String actor) {
    this.dir = dir;
    this.keyStores = keyStores;
    this.clock = clock;
    this.actor = actor;
  }

  public Path dir() {
    return dir;
  }

  public Clock clock() {
    return clock;
  }

  public String actor() {
    return actor;
  }

  public Workspace workspace() {
    if (ws == null) {
      ws = Workspace.open(dir);
    }
    return ws;
  }

  /** Used by init, which creates the workspace itself. */
  void workspace(Workspace w) {
    this.ws = w;
    this.keys = null;
  }

  public KeyStore keys() {
    if (keys == null) {
      Workspace w = workspace();
      keys = w.foreign() ? readOnlyKeys(w) : keyStores.apply(w);
    }
    return keys;
  }

  /** A foreign repository has no keys here, and none may be stored there. */
  private static KeyStore readOnlyKeys(Workspace w) {
    return new KeyStore() {
      @Override
      public dev.tufsh.crypto.Signer generate(dev.tufsh.crypto.Scheme scheme, String name) {
        w.requireWritable("store key " + name);
        throw new IllegalStateException();
      }

      @Override
      public dev.tufsh.crypto.Signer importKey(dev.tufsh.keys.KeyMaterial material, String name, boolean overwrite) {
        w.requireWritable("store key " + name);
        throw new IllegalStateException();
      }

      @Override
      public void remove(String name) {
        w.requireWritable("remove key " + name);
        throw new IllegalStateException();
      }

      @Override
      public java.util.List<dev.tufsh.keys.KeyEntry> list() {
        return java.util.List.of();
      }

      @Override
      public java.util.Optional<dev.tufsh.crypto.Signer> signerFor(dev.tufsh.crypto.Key key) {
        return java.util.Optional.empty();
      }
    };
  }

  /** Where long work reports progress. */
  public Workbench progress(dev.tufsh.repo.Progress p) {
    this.progress = p;
    return this;
  }

  /** Which files this actor may hand to operations (local: anything but .tufsh/). */
  public Workbench files(FileScope scope) {
    this.files = scope;
    return this;
  }

  public FileScope files() {
    return files != null ? files : FileScope.local(dir);
  }

  /** The repository as it stands now, published state with staged changes over it. */
  public Repository repository() {
    return Repository.open(workspace(), keys(), clock).progress(progress);
  }

  private java.time.Duration lockWait = java.time.Duration.ZERO;

  /** How long {@link #lock} waits for another writer to finish (zero: refuse at once). */
  public Workbench lockWait(java.time.Duration wait) {
    this.lockWait = wait == null ? java.time.Duration.ZERO : wait;
    return this;
  }

  private java.util.function.Consumer<String> lockWaiting = who -> {};

  /** Told who holds the lock when a wait for it begins (the person is told they are waiting). */
  public Workbench lockWaiting(java.util.function.Consumer<String> told) {
    this.lockWaiting = told;
    return this;
  }

  /** Takes the workspace lock for a change, waiting up to {@link #lockWait} for it. */
  public PublishLock lock() {
    return PublishLock.acquire(workspace(), actor, lockWait, lockWaiting);
  }
}
