package dev.tufsh.ssh;

import dev.tufsh.errors.TufshException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.nio.file.Path;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * An OpenSSH authorized_keys file (ed25519, ecdsa and rsa keys), read afresh on every lookup like
 * sshd does, so a key added or removed takes effect at the next connection. The
 * {@code tufsh-roles="bin-*,snapshot"} option names the roles a key may change.
 */
final class AuthorizedKeys {
  static final String ROLES_OPTION = "tufsh-roles";

  private final Path file;

  AuthorizedKeys(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** Checks the file can be read and holds at least one usable key (at start-up). */
  int count() {
    return entries().size();
  }

  /** The grant of the line holding {@code key}, if any. */
  Optional<KeyGrant> find(PublicKey key) {
    for (Entry e : entries()) {
      if (KeyUtils.compareKeys(e.key, key)) {
        return Optional.of(e.grant);
      }
    }
    return Optional.empty();
  }

  private record Entry(PublicKey key, KeyGrant grant) {}

  private List<Entry> entries() {
    List<AuthorizedKeyEntry> lines;
    try {
      lines = AuthorizedKeyEntry.readAuthorizedKeys(file);
    } catch (IOException | RuntimeException e) {
      throw new TufshException("cannot read authorized keys " + file + ": " + e.getMessage(), e);
    }
    List<Entry> out = new ArrayList<>();
    for (AuthorizedKeyEntry line : lines) {
      PublicKey key;
      try {
        key = line.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
      } catch (IOException | GeneralSecurityException e) {
        throw new TufshException("authorized keys " + file + ": cannot decode the " + line.getKeyType()
            + " key '" + line.getComment() + "': " + e.getMessage(), e);
      }
      if (key == null) {
        continue; // a key type this server does not accept (sk-, certificates)
      }
      out.add(new Entry(key, new KeyGrant(KeyUtils.getFingerPrint(key), line.getComment(), roles(line))));
    }
    return out;
  }

  private static List<String> roles(AuthorizedKeyEntry line) {
    String value = line.getLoginOptions().get(ROLES_OPTION);
    if (value == null) {
      return List.of();
    }
    String v = value.strip();
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
