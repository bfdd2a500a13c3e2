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
final class UnlockAhead {
  private UnlockAhead() {}

  static void roles(Repository repo, Collection<String> roles) {
    for (String role : roles) {
      Collection<Key> keys;
      try {
        keys = repo.keysFor(role).keys().values();
      } catch (TufshException e) {
        continue; // an unknown role: the operation says so itself
      }
      for (Key k : keys) {
        try {
          repo.signers().signerFor(k).ifPresent(Signer::prepareAhead);
        } catch (TufshException e) {
          // an unreadable key store: the signature reports it
        }
      }
    }
  }
}
