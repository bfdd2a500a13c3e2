package dev.tufsh.keys;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.file.FileKeyStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workspace's keys, wherever they live: the encrypted file keystore (where {@code generate} and
 * {@code import} put keys) and the keys registered in {@code keys.json} for PKCS#11, Vault and
 * offline holders. Names are unique across both. A signer comes from the first backend that holds
 * the key: the file store, then the registry's backends in {@link SignerRegistry} order.
 */
public final class CombinedKeyStore implements KeyStore {
  private final FileKeyStore files;
  private final KeyRegistry registry;
  private final Map<String, SignerFactory> factories = new LinkedHashMap<>();
  private final SignerRegistry resolvers;
  /** Signers handed out for registered keys, by key id, so a token or Vault is opened once. */
  private final Map<String, Signer> signers = new java.util.concurrent.ConcurrentHashMap<>();

  public CombinedKeyStore(FileKeyStore files, KeyRegistry registry, List<SignerFactory> backends) {
    this.files = files;
    this.registry = registry;
    for (SignerFactory f : backends) {
      factories.put(f.backend(), f);
    }
    this.resolvers = new SignerRegistry(files, this::registered);
  }

  public FileKeyStore files() {
    return files;
  }

  @Override
  public void unlockAhead() {
    files.unlockGroupAhead();
  }

  public KeyRegistry registry() {
    return registry;
  }

  /** The backend that makes signers for {@code name}'s keys, e.g. to check a key before adding it. */
  public Optional<SignerFactory> backend(String name) {
    return Optional.ofNullable(factories.get(name));
  }

  @Override
  public Signer generate(Scheme scheme, String name) {
    refuseRegistered(name);
    return files.generate(scheme, name);
  }

  @Override
  public Signer importKey(KeyMaterial material, String name, boolean overwrite) {
    refuseRegistered(name);
    requireUsable(material.key(), name);
    return files.importKey(material, name, overwrite);
  }

  /** Registers a key held by a backend; the name must be free in both stores. */
  public void register(RegisteredKey key) {
    if (!factories.containsKey(key.backend())) {
      throw new KeyStoreError("unknown key backend '" + key.backend() + "' for key " + key.name());
    }
    requireUsable(key.entry().key(), key.name());
    if (files.list().stream().anyMatch(e -> e.name().equals(key.name()))) {
      throw new KeyStoreError("a key named " + key.name() + " is already in the file keystore "
          + files.directory());
    }
    registry.add(key);
    signers.clear();
  }

  /**
   * Refuses, when it is added, a key no client would accept (RSA below 2048 bits, a key that does
   * not match its scheme), rather than at publish after roles were re-signed with it.
   */
  public static void requireUsable(dev.tufsh.crypto.Key key, String name) {
    try {
      key.verifier();
    } catch (dev.tufsh.errors.TufshException e) {
      throw new KeyStoreError("key " + name + " cannot be used: " + e.getMessage(), e);
    }
  }

  /** Forgets a registered key (the file keystore's keys are files, removed by hand). */
  public boolean unregister(String name) {
    signers.clear();
    return registry.remove(name);
  }

  /** Renames a key in whichever store holds it; the new name must be free in both. */
  public void rename(String from, String to) {
    if (find(to).isPresent()) {
      throw new KeyStoreError("a key named " + to + " already exists");
    }
    var registered = registry.find(from);
    if (registered.isPresent()) {
      RegisteredKey k = registered.get();
      registry.add(new RegisteredKey(to, k.backend(), k.uri(), k.key(), k.options()));
      registry.remove(from);
    } else {
      files.rename(from, to);
    }
    signers.clear();
  }

  /** Removes a key from whichever store holds it (a file key's file is deleted). */
  @Override
  public void remove(String name) {
    if (!unregister(name)) {
      files.remove(name);
    }
    signers.clear();
  }

  private void refuseRegistered(String name) {
    if (registry.find(name).isPresent()) {
      throw new KeyStoreError("a key named " + name + " is already registered in " + registry.file());
    }
  }

  @Override
  public List<KeyEntry> list() {
    List<KeyEntry> all = new ArrayList<>(files.list());
    registry.list().forEach(k -> all.add(k.entry()));
    all.sort(Comparator.comparing(KeyEntry::name));
    return List.copyOf(all);
  }

  @Override
  public Optional<Signer> signerFor(Key key) {
    return resolvers.signerFor(key);
  }

  private Optional<Signer> registered(Key key) {
    Signer cached = signers.get(key.keyId());
    if (cached != null) {
      return Optional.of(cached);
    }
    List<RegisteredKey> keys = registry.list();
    Optional<RegisteredKey> match =
        keys.stream().filter(k -> k.key().keyId().equals(key.keyId())).findFirst()
            .or(() -> keys.stream().filter(k -> PublicKeys.sameMaterial(k.key(), key)).findFirst());
    if (match.isEmpty()) {
      return Optional.empty();
    }
    RegisteredKey k = match.get();
    SignerFactory f = factories.get(k.backend());
    if (f == null) {
      throw new KeyStoreError("key " + k.name() + " in " + registry.file() + " names backend '" + k.backend()
          + "', which this tufsh does not have");
    }
    Optional<Signer> s = f.signer(k, key);
    s.ifPresent(signer -> signers.put(key.keyId(), signer));
    return s;
  }

  @Override
  public String toString() {
    return "keys in " + files.directory() + " and " + registry.file();
  }
}
