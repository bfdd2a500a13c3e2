package dev.tufsh.cli.commands;

import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.Permissions;
import dev.tufsh.errors.UsageError;
import dev.tufsh.keys.CombinedKeyStore;
import dev.tufsh.keys.KeyEntry;
import dev.tufsh.keys.KeyStore;
import dev.tufsh.keys.KeyStores;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * A command on keys that works in a repository's key store or, with {@code --keystore} (or
 * {@code TUFSH_KEYSTORE}), in a key holder's personal one that needs no repository at all.
 */
abstract class KeyHolderCommand extends BaseCommand {
  @Option(names = "--keystore", paramLabel = "DIR", arity = "0..1", fallbackValue = "",
      description = "Use the personal key store in DIR instead of the repository's (no DIR: the default,"
          + " ~/.local/share/tufsh/keystore; also TUFSH_KEYSTORE).")
  Path keystore;

  private CombinedKeyStore personal;

  /** The personal key store, when one was chosen. */
  Optional<CombinedKeyStore> personal() {
    if (session().permissions() != Permissions.ALL) {
      // A personal key store is the local user's: over SSH, neither --keystore nor the server's
      // TUFSH_KEYSTORE moves a command off the repository's own keys.
      if (keystore != null) {
        throw new Permissions.Denied("--keystore is for a key holder's own console, not over SSH");
      }
      return Optional.empty();
    }
    if (personal == null) {
      personal = KeyStores.personalDir(keystore, System.getenv())
          .map(dir -> KeyStores.personal(dir, secrets(), System.getenv()))
          .orElse(null);
    }
    return Optional.ofNullable(personal);
  }

  /** Where keys are generated, imported and looked up. */
  KeyStore keys() {
    return personal().map(KeyStore.class::cast).orElseGet(() -> bench().keys());
  }

  /** The store that registers PKCS#11, Vault and offline keys. */
  CombinedKeyStore registry() {
    return personal().orElseGet(() -> KeyCommand.combined(bench()));
  }

  /** Key id to the roles that trust it; none in a personal store, which knows no repository. */
  Map<String, List<String>> trust() {
    return personal().isPresent() ? Map.of() : KeyTrust.roles(bench());
  }

  /**
   * Shows the holder what {@code r} signs (on stderr with --json), asks, and returns the signer of
   * key {@code e}: one way to sign for 'sign FILE' and 'ceremony root sign'.
   */
  dev.tufsh.crypto.Signer reviewed(dev.tufsh.ops.HolderSigning.Review r, KeyEntry e) {
    var shown = root().json() ? session().err() : out();
    shown.println(r.file() + ":");
    r.lines().forEach(l -> shown.println("  " + l));
    shown.flush();
    confirm("sign " + r.metadata().signed().type().wire() + " version " + r.metadata().signed().version()
        + " with key " + e.name() + " (" + e.key().shortId() + ")?");
    return keys().signerFor(e.key())
        .orElseThrow(() -> new UsageError("key " + e.name() + " (" + e.backend() + ") cannot sign here"));
  }

  KeyEntry find(String name) {
    return keys().find(name).orElseThrow(() -> new UsageError("no key named '" + name + "'"
        + personal().map(p -> " in the key store " + p.files().directory().getParent()).orElse("")
        + " (see 'key list')"));
  }
}
