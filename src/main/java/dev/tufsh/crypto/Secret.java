package dev.tufsh.crypto;

import java.util.Arrays;

/**
 * A passphrase or PIN. It has no useful {@code toString}, so it cannot end up in a log, the audit
 * trail or a runbook by accident, and it is wiped when closed.
 */
public final class Secret implements AutoCloseable {
  private final char[] chars;

  public Secret(char[] chars) {
    this.chars = chars.clone();
  }

  /** A copy of the characters; the caller wipes it. */
  public char[] chars() {
    return chars.clone();
  }

  public boolean isEmpty() {
    return chars.length == 0;
  }

  @Override
  public void close() {
    Arrays.fill(chars, '\0');
  }

  @Override
  public String toString() {
    return "Secret[hidden]";
  }
}
