package dev.tufsh.keys.pkcs11;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.SecretSource;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.KeyBackendError;
import dev.tufsh.keys.RegisteredKey;
import dev.tufsh.keys.SignerFactory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The PKCS#11 backend: registers keys that live on tokens and makes signers for them. The PIN
 * comes from {@code TUFSH_PIN}, else the {@link SecretSource} (a prompt, or
 * {@code --passphrase-file}); it is asked once per token for the life of this backend, and only
 * when a signature is first needed.
 */
public final class Pkcs11Tokens implements SignerFactory {
  public static final String BACKEND = "pkcs11";
  public static final String DEFAULT_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

  private final SecretSource secrets;
  private final Map<String, String> env;
  private final Map<String, Pkcs11Token> open = new ConcurrentHashMap<>();
  private final Object opening = new Object();

  public Pkcs11Tokens(SecretSource secrets, Map<String, String> env) {
    this.secrets = secrets;
    this.env = Map.copyOf(env);
  }

  @Override
  public String backend() {
    return BACKEND;
  }

  /** Opens the token, checks the key can sign, and returns its registry entry under {@code name}. */
  public RegisteredKey describe(String name, Pkcs11Uri uri) {
    Pkcs11Key key = new Pkcs11Key(token(uri), uri);
    byte[] probe = ("tufsh pkcs11 check " + name).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (!key.publicKey().verifies(probe, key.sign(probe))) {
      throw new KeyBackendError(uri.uri(), "the public key object labelled '" + uri.object()
          + "' is not the public half of the private key with that label");
    }
    return new RegisteredKey(name, BACKEND, uri.uri(), key.publicKey(), Map.of());
  }

  @Override
  public Optional<Signer> signer(RegisteredKey entry, Key presented) {
    return Optional.of(new Pkcs11Signer(this, entry, presented));
  }

  /** The logged-in token for {@code uri}, opened once. */
  Pkcs11Token token(Pkcs11Uri uri) {
    String id = uri.modulePath() + "|" + uri.token() + "|" + uri.slotId();
    Pkcs11Token t = open.get(id);
    if (t != null) {
      return t;
    }
    synchronized (opening) {
      t = open.get(id);
      if (t == null) {
        t = Pkcs11Token.open(uri, () -> pin(uri));
        open.put(id, t);
      }
      return t;
    }
  }

  private Secret pin(Pkcs11Uri uri) {
    String p = env.get("TUFSH_PIN");
    if (p != null) {
      return new Secret(p.toCharArray());
    }
    return secrets.secret("PIN for PKCS#11 " + uri.tokenName(), false);
  }
}
