package dev.tufsh.keys;

import dev.tufsh.crypto.SecretSource;
import dev.tufsh.keys.file.FileKeyStore;
import dev.tufsh.keys.file.PrivateFiles;
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

  /** The environment variable naming a key holder's personal key store. */
  public static final String KEYSTORE_ENV = "TUFSH_KEYSTORE";

  /**
   * A key holder's own key store, kept apart from any repository: the same file keystore and
   * {@code keys.json} registry as a workspace's, in {@code dir} (created owner-only).
   */
  public static CombinedKeyStore personal(Path dir, SecretSource secrets, Map<String, String> env) {
    PrivateFiles.createDirectory(dir);
    return standard(dir, secrets, env);
  }

  /**
   * Where the personal key store is: {@code chosen} when given (an empty path means the default),
   * else {@value #KEYSTORE_ENV}, else none (the repository's own keys are used).
   */
  public static java.util.Optional<Path> personalDir(Path chosen, Map<String, String> env) {
    if (chosen != null) {
      return java.util.Optional.of(chosen.toString().isEmpty() ? defaultDir(env) : chosen);
    }
    String e = env.get(KEYSTORE_ENV);
    return e == null || e.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(e));
  }

  /** {@code $XDG_DATA_HOME/tufsh/keystore}, or {@code ~/.local/share/tufsh/keystore}. */
  static Path defaultDir(Map<String, String> env) {
    String xdg = env.get("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("tufsh").resolve("keystore");
  }
}
