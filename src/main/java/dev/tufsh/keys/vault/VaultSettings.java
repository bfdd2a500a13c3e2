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
 * from {@code VAULT_TOKEN}, else {@code ~/.vault-token}, else asked for. The token is read when
 * needed and never written anywhere.
 */
public record VaultSettings(String address, String namespace, Map<String, String> env) {
  public static final String ADDRESS = "address";
  public static final String NAMESPACE = "namespace";

  public VaultSettings {
    env = Map.copyOf(env);
  }

  /** The settings for a key: its own address and namespace, else the environment's. */
  public static VaultSettings resolve(Map<String, String> options, Map<String, String> env) {
    String addr = options.getOrDefault(ADDRESS, env.get("VAULT_ADDR"));
    String ns = options.getOrDefault(NAMESPACE, env.get("VAULT_NAMESPACE"));
    return new VaultSettings(addr, ns, env);
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
   * The token: VAULT_TOKEN, else the vault CLI's token file, else {@code secrets} (a no-echo
   * prompt, or {@code --passphrase-file}).
   */
  public String token(dev.tufsh.crypto.SecretSource secrets) {
    String t = env.get("VAULT_TOKEN");
    if (t != null && !t.isBlank()) {
      return t.strip();
    }
    String home = env.get("HOME");
    if (home != null) {
      Path f = Path.of(home, ".vault-token");
      if (Files.isRegularFile(f)) {
        try {
          String s = Files.readString(f, StandardCharsets.UTF_8).strip();
          if (!s.isEmpty()) {
            return s;
          }
        } catch (IOException e) {
          throw new KeyStoreError("cannot read the Vault token file " + f + ": " + e.getMessage(), e);
        }
      }
    }
    try (dev.tufsh.crypto.Secret s = secrets.secret("Vault token for " + requireAddress(), false)) {
      String asked = new String(s.chars()).strip();
      if (asked.isEmpty()) {
        throw new KeyStoreError("no Vault token: set VAULT_TOKEN (or log in with 'vault login')");
      }
      return asked;
    } catch (dev.tufsh.errors.TufshException e) {
      if (e instanceof KeyStoreError k) {
        throw k;
      }
      throw new KeyStoreError("no Vault token: set VAULT_TOKEN (or log in with 'vault login', which writes"
          + " ~/.vault-token)", e);
    }
  }
}
