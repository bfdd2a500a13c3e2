package dev.tufsh.ops;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Signer;
import dev.tufsh.errors.TufshException;
import dev.tufsh.repo.Repository;
import java.util.Collection;

/**
 * Starts unlocking the keys that will sign {@code roles} as soon as an operation knows them, on
 * another thread ({@link Signer#prepareAhead}): a file key's scrypt run (about a third of a
 * one-shot upload) then overlaps reading, routing and staging instead of waiting for the first
 * signature. Nothing is reported from here; the signature that needs a key reports its failure.
 */
public final class UnlockAhead {
  private UnlockAhead() {}

  /**
   * Starts, on a daemon thread, unlocking the keys the published root gives the top-level
   * {@code roles}, before the command that will sign with them is even parsed (a one-shot
   * {@code publish}: its scrypt run then overlaps the JVM's and picocli's start-up instead of
   * following them). It reads only {@code metadata/} and the key store: no staging area, no lock,
   * nothing written, so it may run beside the command; which keys it picks changes no outcome, only
   * how soon a signature finds its key unlocked. Nothing is reported from here (see above).
   */
  public static void early(Workbench bench, Collection<String> roles) {
    Thread t = new Thread(() -> {
      try {
        // Before the root is even decoded: a store whose keys share one passphrase starts the
        // scrypt run any of them needs now; the unlocks below then join it.
        bench.keys().unlockAhead();
        dev.tufsh.repo.Workspace ws = bench.workspace();
        var root = new dev.tufsh.repo.PublishedState(ws.metadataDir()).root();
        if (root.isEmpty()) {
          return;
        }
        for (String role : roles) {
          var type = dev.tufsh.model.RoleType.fromWire(role);
          if (type.isPresent()) {
            prepare(bench.keys(), root.get().signed().keysOf(type.get()).values());
          }
        }
      } catch (RuntimeException e) {
        // not a workspace, an unreadable root or key store: the command says so itself
      }
    }, "tufsh-unlock-early");
    t.setDaemon(true); // a command that ends (or fails) first does not wait for it
    t.start();
  }

  static void roles(Repository repo, Collection<String> roles) {
    for (String role : roles) {
      Collection<Key> keys;
      try {
        keys = repo.keysFor(role).keys().values();
      } catch (TufshException e) {
        continue; // an unknown role: the operation says so itself
      }
      prepare(repo.signers(), keys);
    }
  }

  private static void prepare(dev.tufsh.crypto.SignerResolver signers, Collection<Key> keys) {
    for (Key k : keys) {
      try {
        signers.signerFor(k).ifPresent(Signer::prepareAhead);
      } catch (TufshException e) {
        // an unreadable key store: the signature reports it
      }
    }
  }
}
