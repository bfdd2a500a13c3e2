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

  SecretSource NONE =
      (purpose, confirm) -> {
        throw new dev.tufsh.errors.TufshException("no passphrase available for " + purpose
            + " (use --passphrase-file or TUFSH_PASSPHRASE, or run interactively)");
      };
}
