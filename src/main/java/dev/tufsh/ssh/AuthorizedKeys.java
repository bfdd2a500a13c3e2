package dev.tufsh.ssh;

import dev.tufsh.errors.TufshException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * An OpenSSH authorized_keys file (ed25519, ecdsa and rsa keys), read afresh on every lookup like
 * sshd does, so a key added or removed takes effect at the next connection. Read as sshd reads it:
 * a line that cannot be parsed, or whose options this server cannot honour ({@code command=},
 * {@code cert-authority}, {@code permitopen=}...), is skipped with a warning naming its line, and
 * the other keys still work; {@code from=}, {@code expiry-time=}, {@code restrict} and
 * {@code no-pty} are honoured ({@link KeyGrant}); and, like StrictModes, a file that others may
 * write is refused as a whole. {@code tufsh-roles="bin-*,snapshot"} names the roles a key may change.
 */
final class AuthorizedKeys {
  static final String ROLES_OPTION = "tufsh-roles";

  /** Options that restrict or are meaningless here (every forwarding is refused anyway). */
  private static final Set<String> HONOURED = Set.of(ROLES_OPTION, "from", "expiry-time", "restrict", "no-pty",
      "pty", "no-port-forwarding", "no-agent-forwarding", "no-X11-forwarding", "no-user-rc", "no-touch-required",
      "verify-required", "port-forwarding", "agent-forwarding", "X11-forwarding", "user-rc");

  private static final int MAX_LINE = 16 * 1024;

  private final Path file;
  private final Consumer<String> warnings;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  AuthorizedKeys(Path file, Consumer<String> warnings) {
    this.file = file;
    this.warnings = warnings;
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
    strictModes(file);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new TufshException("cannot read authorized keys " + file + ": " + e.getClass().getSimpleName(), e);
    }
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      try {
        Entry e = entry(text);
        if (e != null) {
          out.add(e);
        }
      } catch (Skipped s) {
        warn(i + 1, s.getMessage());
      }
    }
    return out;
  }

  private Entry entry(String text) {
    if (text.length() > MAX_LINE) {
      throw new Skipped("longer than " + MAX_LINE + " characters");
    }
    AuthorizedKeyEntry line;
    PublicKey key;
    try {
      line = AuthorizedKeyEntry.parseAuthorizedKeyEntry(text);
      if (line == null) {
        return null;
      }
      key = line.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new Skipped("not a key this server can read (" + e.getClass().getSimpleName() + ")");
    }
    if (key == null) {
      throw new Skipped("key type " + line.getKeyType() + " is not accepted (ed25519, ecdsa and rsa are)");
    }
    Map<String, String> options = line.getLoginOptions();
    for (String name : options.keySet()) {
      if (name.equals("command")) {
        throw new Skipped("command= (a forced command) is not supported, so the key is not accepted");
      }
      if (!HONOURED.contains(name)) {
        throw new Skipped("option " + name + " is not supported, so the key is not accepted");
      }
    }
    KeyGrant grant = new KeyGrant(KeyUtils.getFingerPrint(key), line.getComment(), roles(options.get(ROLES_OPTION)))
        .restricted(KeyRestrictions.parse(options));
    return new Entry(key, grant);
  }

  private void warn(int line, String why) {
    String w = "authorized keys " + file + " line " + line + " skipped: " + why;
    if (warned.add(w)) {
      warnings.accept(w);
    }
  }

  /** Like sshd's StrictModes: a file (or its folder) that group or others may write is not trusted. */
  static void strictModes(Path file) {
    for (Path p : new Path[] {file, file.toAbsolutePath().getParent()}) {
      Set<PosixFilePermission> perms;
      try {
        perms = Files.getPosixFilePermissions(p);
      } catch (UnsupportedOperationException e) {
        return;
      } catch (IOException e) {
        throw new TufshException("cannot read authorized keys " + file + ": " + e.getClass().getSimpleName(), e);
      }
      if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw new TufshException("authorized keys " + (p.equals(file) ? "" : "folder ") + p
            + " is writable by group or others (mode " + dev.tufsh.files.FileModes.octal(perms) + "); it must be " + (p.equals(file)
                ? "0600 or 0644" : "0700 or 0755") + " (chmod go-w), as sshd's StrictModes requires");
      }
    }
  }

  private static List<String> roles(String value) {
    if (value == null) {
      return List.of();
    }
    String v = value.strip();
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** Why one line is skipped. */
  static final class Skipped extends TufshException {
    Skipped(String message) {
      super(message);
    }
  }
}
