package dev.tufsh.cli;

import dev.tufsh.errors.TufshException;

/** Decides whether a session may perform an {@link Access}; refuses with a one-line reason. */
public interface Permissions {
  /** Throws {@link Denied} naming the missing permission when {@code access} is not allowed. */
  void check(Access access);

  /** A local operator may do everything the file system lets them. */
  Permissions ALL = access -> {};

  /** A refused command: names what was asked and which permission is missing. */
  final class Denied extends TufshException {
    public Denied(String message) {
      super(message);
    }
  }
}
