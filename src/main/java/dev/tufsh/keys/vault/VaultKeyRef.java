package dev.tufsh.keys.vault;

import dev.tufsh.keys.KeyStoreError;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Transit key and version as a URI: {@code vault:transit/tuf-root#2} (mount {@code transit},
 * key {@code tuf-root}, version 2). The version is pinned when the key is added, because a TUF key
 * id names one public key and Vault's "latest" moves on rotation.
 */
public record VaultKeyRef(String mount, String name, int version) {
  private static final Pattern URI = Pattern.compile("vault:([A-Za-z0-9_./-]+)/([A-Za-z0-9_.-]+)#([0-9]{1,9})");
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

  public VaultKeyRef {
    if (!PART.matcher(mount).matches() || mount.contains("..")) {
      throw new KeyStoreError("Vault mount path '" + mount + "' may hold only letters, digits, '.', '_', '-' and '/'");
    }
    if (!PART.matcher(name).matches() || name.contains("/") || name.contains("..")) {
      throw new KeyStoreError("Vault key name '" + name + "' may hold only letters, digits, '.', '_' and '-'");
    }
    if (version < 1) {
      throw new KeyStoreError("Vault key version must be 1 or more, got " + version);
    }
  }

  public static VaultKeyRef parse(String uri) {
    Matcher m = URI.matcher(uri);
    if (!m.matches()) {
      throw new KeyStoreError("'" + uri + "' is not a Vault key URI (vault:MOUNT/KEY#VERSION)");
    }
    return new VaultKeyRef(m.group(1), m.group(2), Integer.parseInt(m.group(3)));
  }

  public String uri() {
    return "vault:" + mount + "/" + name + "#" + version;
  }

  @Override
  public String toString() {
    return uri();
  }
}
