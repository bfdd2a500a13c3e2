package dev.tufsh.cli;

import dev.tufsh.errors.TufshException;

/** A confirmation the person declined, or that nobody was there to give (and no --yes). */
public final class NotConfirmedException extends TufshException {
  public NotConfirmedException(String message) {
    super(message);
  }
}
