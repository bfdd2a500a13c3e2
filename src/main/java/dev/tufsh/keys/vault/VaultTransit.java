package dev.tufsh.keys.vault;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.RegisteredKey;
import dev.tufsh.keys.SignerFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Vault Transit backend: registers Transit keys (reading their public key once) and makes
 * signers for them. Signers connect on first use, so a plan that needs no Vault signature makes
 * no request.
 */
public final class VaultTransit implements SignerFactory {
  public static final String BACKEND = "vault";
  public static final String DEFAULT_MOUNT = "transit";

  private final Map<String, String> env;

  /**
   * {@code env} is where VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE and HOME are read. No secret
   * source: the token never comes from a passphrase prompt or file (see {@link VaultSettings#token}).
   */
  public VaultTransit(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public String backend() {
    return BACKEND;
  }

  /**
   * Reads Transit key {@code keyName} (version {@code version}, or the latest when 0) and returns
   * its registry entry. {@code address} and {@code namespace} are stored only when given.
   */
  public RegisteredKey describe(String name, String mount, String keyName, int version, String address,
      String namespace) {
    return describe(name, mount, keyName, version, address, namespace, null);
  }

  /** {@link #describe} with the key's own token file ({@code null}: VAULT_TOKEN or ~/.vault-token). */
  public RegisteredKey describe(String name, String mount, String keyName, int version, String address,
      String namespace, java.nio.file.Path tokenFile) {
    Map<String, String> options = new LinkedHashMap<>();
    if (tokenFile != null) {
      options.put(VaultSettings.TOKEN_FILE, tokenFile.toAbsolutePath().normalize().toString());
    }
    if (address != null) {
      options.put(VaultSettings.ADDRESS, address);
    }
    if (namespace != null) {
      options.put(VaultSettings.NAMESPACE, namespace);
    }
    String probe = "vault:" + mount + "/" + keyName;
    VaultClient client = new VaultClient(VaultSettings.resolve(options, env), probe);
    TransitKey tk = TransitKey.read(client, mount, keyName, probe);
    int v = version > 0 ? version : tk.latestVersion();
    VaultKeyRef ref = new VaultKeyRef(mount, keyName, v);
    return new RegisteredKey(name, BACKEND, ref.uri(), tk.publicKey(v, ref.uri()), options);
  }

  @Override
  public Optional<Signer> signer(RegisteredKey entry, Key presented) {
    return Optional.of(new VaultSigner(entry, presented, env));
  }
}
