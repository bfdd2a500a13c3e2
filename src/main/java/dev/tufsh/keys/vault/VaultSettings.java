package dev.tufsh.keys.vault;

import dev.tufsh.keys.KeyStoreError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where Vault is and how to authenticate, as the {@code vault} CLI finds them: the address and
 * namespace from the key's settings or {@code VAULT_ADDR} / {@code VAULT_NAMESPACE}; the token
 * from {@code VAULT_TOKEN}, else the key's own token file, else {@code ~/.vault-token}. The token
 * is read when needed and never written anywhere.
 */
public record VaultSettings(String address, String namespace, String tokenFile, Map<String, String> env) {
  public static final String ADDRESS = "address";
  public static final String NAMESPACE = "namespace";
  public static final String TOKEN_FILE = "token-file";

  public VaultSettings {
    env = Map.copyOf(env);
  }

  /** The settings for a key: its own address, namespace and token file, else the environment's. */
  public static VaultSettings resolve(Map<String, String> options, Map<String, String> env) {
    String addr = options.getOrDefault(ADDRESS, env.get("VAULT_ADDR"));
    String ns = options.getOrDefault(NAMESPACE, env.get("VAULT_NAMESPACE"));
    return new VaultSettings(addr, ns, options.get(TOKEN_FILE), env);
  }

  /** The address without a trailing slash; an error when none is set. */
  public String requireAddress() {
    if (address == null || address.isBlank()) {
      throw new KeyStoreError("no Vault address: set VAULT_ADDR (for example http://127.0.0.1:8200)");
    }
    String a = address.strip();
    if (!a.startsWith("http://") && !a.startsWith("https://")) {
      throw new KeyStoreError("Vault address '" + a + "' must start with http:// or https://");
    }
    return a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
  }

  /**
   * The token: VAULT_TOKEN, else the key's token file, else the vault CLI's ~/.vault-token. Never a
   * passphrase: a key passphrase (prompted or from --passphrase-file) unlocks key files and nothing
   * else, so it is never sent to a Vault, least of all to an address someone else chose.
   */
  public String token() {
    String t = env.get("VAULT_TOKEN");
    if (t != null && !t.isBlank()) {
      return t.strip();
    }
    if (tokenFile != null) {
      String s = read(Path.of(tokenFile));
      if (s == null || s.isEmpty()) {
        throw new KeyStoreError("the Vault token file " + tokenFile + " is missing or empty");
      }
      return s;
    }
    String home = env.get("HOME");
    if (home != null) {
      String s = read(Path.of(home, ".vault-token"));
      if (s != null && !s.isEmpty()) {
        return s;
      }
    }
    throw new KeyStoreError("no Vault token: set VAULT_TOKEN, log in with 'vault login' (which writes"
        + " ~/.vault-token), or register the key with --token-file");
  }

  private static String read(Path f) {
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      return Files.readString(f, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new KeyStoreError("cannot read the Vault token file " + f + ": " + e.getClass().getSimpleName(), e);
    }
  }
}
