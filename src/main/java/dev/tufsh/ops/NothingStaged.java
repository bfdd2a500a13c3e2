package dev.tufsh.ops;

import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.repo.Repository;

/**
 * For changes that restage a whole subtree (reshape, a hash transition): an unreviewed change
 * staged beside them would be published along with them, so they start from nothing staged.
 */
final class NothingStaged {
  private NothingStaged() {}

  /** Throws, starting with {@code what}, when anything is staged. */
  static void require(Repository repo, String what) {
    if (!repo.staging().isEmpty()) {
      throw new WorkspaceError(what + ", but " + (repo.staging().roles().size() + repo.staging().files().size())
          + " staged change(s) are pending; publish or discard them first");
    }
  }
}
