package dev.tufsh.errors;

/** Another writer holds the workspace lock; the message names who and since when. */
public final class LockedError extends TufshException {
  private final String holder;

  public LockedError(String holder) {
    super("the repository is locked by " + holder + "; try again when it has finished");
    this.holder = holder;
  }

  public String holder() {
    return holder;
  }
}
