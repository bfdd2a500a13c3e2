package dev.tufsh.crypto;

/**
 * Supplies passphrases and PINs: a no-echo prompt in the shell, a file given by
 * {@code --passphrase-file}, or an environment variable for automation. Never a command-line
 * argument.
 */
@FunctionalInterface
public interface SecretSource {
  /**
   * The secret for {@code purpose} (for example "passphrase for key timestamp-1"). When
   * {@code confirm} is true an interactive source asks twice.
   */
  Secret secret(String purpose, boolean confirm);

  /**
   * The passphrase of the key named {@code key}, for {@code purpose}. Sources that hold one per key
   * (an environment variable or a file named after the key) answer for that key; the default is
   * {@link #secret}.
   */
  default Secret forKey(String key, String purpose, boolean confirm) {
    return secret(purpose, confirm);
  }

  /**
   * The secret just given for {@code purpose} was wrong. True when asking again may help (a person
   * at a prompt, who is told so); false when the same answer would come back (a file, the
   * environment).
   */
  default boolean retry(String purpose) {
    return false;
  }

  /**
   * Whether answering may ask a person (a prompt). A source that never does can be asked from
   * another thread ahead of need ({@link Signer#prepareAhead}); the default assumes it may.
   */
  default boolean mayPrompt() {
    return true;
  }

  SecretSource NONE =
      (purpose, confirm) -> {
        throw new dev.tufsh.errors.TufshException("no passphrase available for " + purpose
            + " (use --passphrase-file or TUFSH_PASSPHRASE, or run interactively)");
      };
}
