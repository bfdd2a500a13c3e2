package dev.tufsh.cli;

import dev.tufsh.errors.TufshException;

/** The person said no, or pressed Ctrl-C. */
public final class CancelledException extends TufshException {
  public CancelledException(String message) {
    super(message);
  }
}
