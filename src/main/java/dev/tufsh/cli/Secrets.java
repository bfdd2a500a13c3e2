package dev.tufsh.cli;

import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.SecretSource;
import dev.tufsh.errors.TufshException;
import dev.tufsh.errors.UsageError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where passphrases come from for one command. For key NAME, in this order:
 * {@code TUFSH_PASSPHRASE_NAME} (upper case, other characters as {@code _}; as go-tuf reads
 * {@code TUF_ROLE_PASSPHRASE}), the file {@code NAME} in a {@code --passphrase-file} folder,
 * {@code --passphrase-file FILE} (its first line), {@code TUFSH_PASSPHRASE}, then a no-echo prompt
 * (asked again after a wrong answer). Never a command-line argument, so never in history, runbooks
 * or the audit log. Files must be owner-only, as sshd's StrictModes wants of its keys. A new
 * passphrase typed at a prompt is asked twice and reused for the other keys the same command
 * creates; {@link #sources()} says which keys share which source.
 */
public final class Secrets implements SecretSource, AutoCloseable {
  private final Path file;
  private final Interaction interaction;
  private final Map<String, String> env;
  private char[] fixed;
  private boolean fixedRead;
  private char[] forNewKeys;
  private boolean lastFromPrompt;
  private final Map<String, String> sources = new TreeMap<>();

  Secrets(Path file, Interaction interaction) {
    this(file, interaction, System.getenv());
  }

  Secrets(Path file, Interaction interaction, Map<String, String> env) {
    this.file = file;
    this.interaction = interaction;
    this.env = env;
  }

  /** The environment variable that holds key {@code name}'s own passphrase. */
  public static String variableFor(String name) {
    return "TUFSH_PASSPHRASE_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  @Override
  public synchronized Secret forKey(String key, String purpose, boolean confirm) {
    String var = variableFor(key);
    String own = env.get(var);
    if (own != null) {
      return served(key, var, own.toCharArray());
    }
    if (file != null && Files.isDirectory(file)) {
      Path perKey = file.resolve(key);
      if (Files.exists(perKey, LinkOption.NOFOLLOW_LINKS)) {
        return served(key, perKey.toString(), firstLine(perKey));
      }
    }
    Secret s = secret(purpose, confirm);
    sources.put(key, lastFromPrompt ? "the prompt" : fixedSource());
    return s;
  }

  private Secret served(String key, String source, char[] chars) {
    lastFromPrompt = false;
    sources.put(key, source);
    try {
      return new Secret(chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  private String fixedSource() {
    return file != null && !Files.isDirectory(file) ? file.toString() : "TUFSH_PASSPHRASE";
  }

  @Override
  public synchronized Secret secret(String purpose, boolean confirm) {
    if (!fixedRead) {
      fixed = fromFileOrEnv();
      fixedRead = true;
    }
    if (fixed != null) {
      lastFromPrompt = false;
      return new Secret(fixed);
    }
    if (confirm && forNewKeys != null) {
      lastFromPrompt = true;
      return new Secret(forNewKeys);
    }
    if (!interaction.interactive()) {
      throw new TufshException("cannot ask for the " + purpose
          + " without a terminal (use --passphrase-file FILE, TUFSH_PASSPHRASE or TUFSH_PASSPHRASE_<KEY>,"
          + " or run interactively)");
    }
    // The purpose reads "passphrase for key bin-n-1": the prompt is that, capitalised.
    String prompt = purpose.isEmpty() ? "Passphrase" : Character.toUpperCase(purpose.charAt(0)) + purpose.substring(1);
    lastFromPrompt = true;
    try (Secret first = interaction.readSecret(prompt)) {
      if (confirm) {
        try (Secret again = interaction.readSecret("Repeat the passphrase")) {
          char[] a = first.chars();
          char[] b = again.chars();
          try {
            if (!Arrays.equals(a, b)) {
              throw new UsageError("the passphrases do not match");
            }
          } finally {
            Arrays.fill(b, '\0');
          }
          forNewKeys = a;
        }
      }
      return new Secret(chars(first));
    }
  }

  private static char[] chars(Secret s) {
    return s.chars();
  }

  /** Only a person at a terminal is asked; files and the environment answer without one. */
  @Override
  public boolean mayPrompt() {
    return interaction.interactive();
  }

  @Override
  public synchronized boolean retry(String purpose) {
    if (!lastFromPrompt || !interaction.interactive()) {
      return false;
    }
    interaction.tell("wrong " + purpose + "; try again");
    return true;
  }

  /** Which keys got their passphrase from where, for this command (key name to source). */
  public synchronized Map<String, String> sources() {
    return Map.copyOf(sources);
  }

  /** Wipes the passphrases this command read; the next use reads them again. */
  @Override
  public synchronized void close() {
    if (fixed != null) {
      Arrays.fill(fixed, '\0');
    }
    if (forNewKeys != null) {
      Arrays.fill(forNewKeys, '\0');
    }
    fixed = null;
    forNewKeys = null;
    fixedRead = false;
  }

  private char[] fromFileOrEnv() {
    if (file != null && !Files.isDirectory(file)) {
      return firstLine(file);
    }
    String v = env.get("TUFSH_PASSPHRASE");
    return v != null ? v.toCharArray() : null;
  }

  /** A passphrase file's first line is a passphrase: a file beyond this is not one. */
  private static final int MAX_PASSPHRASE_FILE = 64 * 1024;

  /** The first line of a passphrase file, refused unless it is this user's alone (sshd's StrictModes). */
  static char[] firstLine(Path f) {
    try {
      java.util.Optional<String> loose = dev.tufsh.keys.file.PrivateFiles.notPrivate(f);
      if (loose.isPresent()) {
        throw new UsageError("passphrase file " + f + " " + loose.get());
      }
      byte[] bytes = dev.tufsh.keys.file.PrivateFiles.readPrivate(f, MAX_PASSPHRASE_FILE);
      CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
      Arrays.fill(bytes, (byte) 0);
      int end = 0;
      while (end < cb.limit() && cb.get(end) != '\n' && cb.get(end) != '\r') {
        end++;
      }
      char[] line = new char[end];
      cb.get(line, 0, end);
      Arrays.fill(cb.array(), '\0');
      return line;
    } catch (NoSuchFileException e) {
      throw new UsageError("no such passphrase file: " + f);
    } catch (UnsupportedOperationException e) {
      throw new UsageError("passphrase file " + f + ": cannot check its permissions on this file system");
    } catch (IOException e) {
      throw new TufshException("cannot read the passphrase file " + f + ": " + Errors.message(e));
    }
  }
}
