package dev.tufsh.trust;

import dev.tufsh.errors.TufshException;

/**
 * The thread whose interrupt (Ctrl-C in the shell, SIGINT on a one-shot command) stops a
 * verification. The walk's parts run on the common pool, whose threads never see that interrupt,
 * and the thread that started the walk waits for them without checking it: so each part asks this
 * before it starts, and a 16,384-bin walk stops within the parts already under way.
 */
final class Interruption {
  private final Thread owner;

  private Interruption(Thread owner) {
    this.owner = owner;
  }

  /** Interrupts of the calling thread stop the work. */
  static Interruption ofCurrentThread() {
    return new Interruption(Thread.currentThread());
  }

  boolean requested() {
    return owner.isInterrupted();
  }

  /** Throws the cancellation (an {@link InterruptedException} cause: exit 130) if an interrupt came. */
  void check(String progress) {
    if (requested()) {
      throw cancelled(progress);
    }
  }

  static TufshException cancelled(String progress) {
    return new TufshException("interrupted while verifying (" + progress + ")", new InterruptedException());
  }
}
