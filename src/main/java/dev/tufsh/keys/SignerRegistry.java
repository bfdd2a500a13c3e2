package dev.tufsh.keys;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Signer;
import dev.tufsh.crypto.SignerResolver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one {@link SignerResolver} the application wires: asks each backend in the order added (the
 * file keystore first, then PKCS#11, Vault, offline) and returns the first signer found.
 */
public final class SignerRegistry implements SignerResolver {
  private final List<SignerResolver> resolvers = new CopyOnWriteArrayList<>();

  public SignerRegistry(SignerResolver... resolvers) {
    for (SignerResolver r : resolvers) {
      add(r);
    }
  }

  /** Adds a backend after those already present. */
  public SignerRegistry add(SignerResolver resolver) {
    resolvers.add(java.util.Objects.requireNonNull(resolver, "resolver"));
    return this;
  }

  public List<SignerResolver> resolvers() {
    return List.copyOf(resolvers);
  }

  @Override
  public Optional<Signer> signerFor(Key key) {
    for (SignerResolver r : resolvers) {
      Optional<Signer> s = r.signerFor(key);
      if (s.isPresent()) {
        return s;
      }
    }
    return Optional.empty();
  }
}
