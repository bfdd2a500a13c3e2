package dev.tufsh.keys;

import dev.tufsh.crypto.SecretSource;
import dev.tufsh.keys.file.FileKeyStore;
import dev.tufsh.keys.offline.OfflineKeys;
import dev.tufsh.keys.pkcs11.Pkcs11Tokens;
import dev.tufsh.keys.vault.VaultTransit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The key store a workspace uses: its file keystore plus PKCS#11, Vault and offline keys. */
public final class KeyStores {
  private KeyStores() {}

  /**
   * Keys under {@code privateDir} ({@code keys/} and {@code keys.json}); PINs and passphrases from
   * {@code secrets}; Vault's address and token, and {@code TUFSH_PIN}, from {@code env}.
   */
  public static CombinedKeyStore standard(Path privateDir, SecretSource secrets, Map<String, String> env) {
    return new CombinedKeyStore(
        new FileKeyStore(privateDir.resolve("keys"), secrets),
        new KeyRegistry(privateDir.resolve(KeyRegistry.FILE)),
        List.of(new Pkcs11Tokens(secrets, env), new VaultTransit(env), new OfflineKeys()));
  }
}
