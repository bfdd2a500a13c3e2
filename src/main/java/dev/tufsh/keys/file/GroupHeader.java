package dev.tufsh.keys.file;

import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.TufshException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key file's passphrase group (scrypt salt and cost, and the check value), read without a JSON
 * parser, so a one-shot command can start its scrypt run before the JVM has loaded one
 * ({@link FileKeyStore#unlockGroupAhead}). A hint, never a verdict: what it reads only chooses what
 * to derive ahead, and a derivation is kept only under the salt and cost it was made with and only
 * when it matches the check (see {@link PassphraseGroups#deriveAhead}), so a misread costs a
 * needless scrypt run, never a wrong key. {@link KeyFile#parse} remains what reads and checks a key
 * file. Empty for anything unusual: a link, a file others may read, a field missing or given twice.
 */
record GroupHeader(byte[] salt, ScryptParams params, byte[] check) {
  private static final Pattern KDF = Pattern.compile("\"kdf\"\\s*:\\s*\\{([^{}]*)\\}");
  private static final Pattern CHECK = Pattern.compile("\"check\"\\s*:\\s*\"([0-9a-fA-F]+)\"");
  private static final Pattern SALT = Pattern.compile("\"salt\"\\s*:\\s*\"([0-9a-fA-F]+)\"");
  // Literal patterns, no string concatenation: its first call sites cost a cold JVM tens of ms.
  private static final Pattern N = Pattern.compile("\"n\"\\s*:\\s*([0-9]{1,9})\\b");
  private static final Pattern R = Pattern.compile("\"r\"\\s*:\\s*([0-9]{1,9})\\b");
  private static final Pattern P = Pattern.compile("\"p\"\\s*:\\s*([0-9]{1,9})\\b");

  /** The same group: one scrypt run opens both. */
  boolean sameGroup(GroupHeader o) {
    // n, r and p by hand: a record's equals links through ObjectMethods, ~30 ms in a cold JVM.
    return Arrays.equals(salt, o.salt) && params.n() == o.params.n() && params.r() == o.params.r()
        && params.p() == o.params.p() && Arrays.equals(check, o.check);
  }

  static Optional<GroupHeader> read(Path file) {
    String text;
    try {
      // The key files' own rule (a link, access by group or others, another owner: not read), then a regular file.
      if (PrivateFiles.notPrivate(file).isPresent() || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      text = new String(PrivateFiles.readPrivate(file, KeyFile.MAX_FILE_BYTES), StandardCharsets.UTF_8);
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
    return parse(text);
  }

  static Optional<GroupHeader> parse(String text) {
    Matcher kdf = KDF.matcher(text);
    if (!kdf.find()) {
      return Optional.empty();
    }
    String body = kdf.group(1);
    if (kdf.find()) {
      return Optional.empty();
    }
    try {
      String salt = only(SALT, body);
      String check = only(CHECK, text);
      Long n = integer(N, body);
      Long r = integer(R, body);
      Long p = integer(P, body);
      if (salt == null || check == null || n == null || r == null || p == null
          || ScryptParams.problem(n, r, p) != null) {
        return Optional.empty();
      }
      byte[] saltBytes = Hex.decode(salt, "salt");
      byte[] checkBytes = Hex.decode(check, "check");
      if (saltBytes.length < KeyFileCipher.SALT_BYTES || checkBytes.length != KeyFileCipher.CHECK_BYTES) {
        return Optional.empty();
      }
      return Optional.of(new GroupHeader(saltBytes, new ScryptParams(n.intValue(), r.intValue(), p.intValue()),
          checkBytes));
    } catch (TufshException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The one value {@code field} has in {@code text}, or null when it has none or several. */
  private static String only(Pattern field, String text) {
    Matcher m = field.matcher(text);
    if (!m.find()) {
      return null;
    }
    String v = m.group(1);
    return m.find() ? null : v;
  }

  private static Long integer(Pattern field, String body) {
    String v = only(field, body);
    return v == null ? null : Long.valueOf(v);
  }
}
