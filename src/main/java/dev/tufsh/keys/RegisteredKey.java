package dev.tufsh.keys;

import dev.tufsh.crypto.Key;
import java.util.Map;
import java.util.Objects;

/**
 * A key whose private half lives outside the file keystore, as {@code .tufsh/keys.json} lists it:
 * its name, backend ({@code pkcs11}, {@code vault} or {@code offline}), URI, public key, and
 * backend settings that are not secret (a Vault address, say). Never a PIN or token.
 */
public record RegisteredKey(String name, String backend, String uri, Key key, Map<String, String> options) {
  public RegisteredKey {
    KeyNames.check(name);
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(key, "key");
    options = Map.copyOf(options);
  }

  public String option(String name) {
    return options.get(name);
  }

  public KeyEntry entry() {
    return new KeyEntry(name, key, uri);
  }
}
