package dev.tufsh.cli;

import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.SecretSource;
import dev.tufsh.errors.TufshException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where passphrases come from for one command: {@code --passphrase-file} (its first line), else
 * {@code TUFSH_PASSPHRASE}, else a no-echo prompt. Never a command-line argument, so never in
 * history, runbooks or the audit log. A passphrase chosen for a new key is asked once (twice, to
 * confirm) and reused for the other keys the same command creates.
 */
final class Secrets implements SecretSource {
  private final Path file;
  private final Interaction interaction;
  private char[] fixed;
  private char[] forNewKeys;

  Secrets(Path file, Interaction interaction) {
    this.file = file;
    this.interaction = interaction;
  }

  @Override
  public synchronized Secret secret(String purpose, boolean confirm) {
    if (fixed == null) {
      fixed = fromFileOrEnv();
    }
    if (fixed != null) {
      return new Secret(fixed);
    }
    if (confirm && forNewKeys != null) {
      return new Secret(forNewKeys);
    }
    if (!interaction.interactive()) {
      throw new TufshException("cannot ask for the " + purpose
          + " without a terminal (use --passphrase-file FILE or TUFSH_PASSPHRASE, or run interactively)");
    }
    // The purpose reads "passphrase for key bin-n-1": the prompt is that, capitalised.
    String prompt = purpose.isEmpty() ? "Passphrase" : Character.toUpperCase(purpose.charAt(0)) + purpose.substring(1);
    try (Secret first = interaction.readSecret(prompt)) {
      if (confirm) {
        try (Secret again = interaction.readSecret("Repeat the passphrase")) {
          if (!Arrays.equals(first.chars(), again.chars())) {
            throw new TufshException("the passphrases do not match");
          }
        }
        forNewKeys = first.chars();
      }
      return new Secret(first.chars());
    }
  }

  private char[] fromFileOrEnv() {
    if (file != null) {
      try {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.replace("\r", "").toCharArray();
      } catch (IOException e) {
        throw new TufshException("cannot read the passphrase file " + file + ": " + e.getMessage());
      }
    }
    String env = System.getenv("TUFSH_PASSPHRASE");
    return env != null ? env.toCharArray() : null;
  }
}
