package dev.tufsh.keys.vault;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.SecretSource;
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
  private final SecretSource secrets;

  /**
   * {@code env} is where VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE and HOME are read; {@code
   * secrets} is asked for the token when neither VAULT_TOKEN nor ~/.vault-token has one.
   */
  public VaultTransit(Map<String, String> env, SecretSource secrets) {
    this.env = Map.copyOf(env);
    this.secrets = secrets;
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
    Map<String, String> options = new LinkedHashMap<>();
    if (address != null) {
      options.put(VaultSettings.ADDRESS, address);
    }
    if (namespace != null) {
      options.put(VaultSettings.NAMESPACE, namespace);
    }
    String probe = "vault:" + mount + "/" + keyName;
    VaultClient client = new VaultClient(VaultSettings.resolve(options, env), secrets, probe);
    TransitKey tk = TransitKey.read(client, mount, keyName, probe);
    int v = version > 0 ? version : tk.latestVersion();
    VaultKeyRef ref = new VaultKeyRef(mount, keyName, v);
    return new RegisteredKey(name, BACKEND, ref.uri(), tk.publicKey(v, ref.uri()), options);
  }

  @Override
  public Optional<Signer> signer(RegisteredKey entry, Key presented) {
    return Optional.of(new VaultSigner(entry, presented, env, secrets));
  }
}
