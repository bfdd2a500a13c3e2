package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.cli.SchemeConverter;
import dev.tufsh.cli.render.Table;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.errors.UsageError;
import dev.tufsh.json.Json;
import dev.tufsh.keys.CombinedKeyStore;
import dev.tufsh.keys.KeyEntry;
import dev.tufsh.keys.KeyExport;
import dev.tufsh.keys.KeyImport;
import dev.tufsh.keys.KeyMaterial;
import dev.tufsh.keys.KeyNames;
import dev.tufsh.keys.KeyStore;
import dev.tufsh.keys.KeyStoreError;
import dev.tufsh.keys.PublicKeys;
import dev.tufsh.keys.RegisteredKey;
import dev.tufsh.keys.offline.OfflineKeys;
import dev.tufsh.keys.pkcs11.Pkcs11Tokens;
import dev.tufsh.keys.pkcs11.Pkcs11Uri;
import dev.tufsh.keys.vault.VaultTransit;
import dev.tufsh.ops.Workbench;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code key}: the keys this workspace can sign with or knows of. Keys are generated and imported
 * into the encrypted file keystore; PKCS#11, Vault Transit and offline keys are registered in
 * {@code .tufsh/keys.json} with their public keys.
 */
@Command(
    name = "key",
    description = "Generate, import, register and list keys (file keystore, PKCS#11, Vault Transit, offline).",
    subcommands = {
      KeyCommand.Generate.class,
      KeyCommand.Import.class,
      KeyCommand.AddOffline.class,
      KeyCommand.AddPkcs11.class,
      KeyCommand.AddVault.class,
      KeyCommand.ListKeys.class,
      KeyCommand.Show.class,
      KeyCommand.ExportPublic.class,
      KeyExportPrivate.class,
      KeyCommand.ChangePassphrase.class,
      KeyEditCommands.Rename.class,
      KeyEditCommands.Remove.class
    })
public final class KeyCommand {
  private KeyCommand() {}

  /** The repository's key {@code name}, or a usage error pointing at 'key list'. */
  static KeyEntry find(Workbench bench, String name) {
    return bench.keys().find(name).orElseThrow(() -> new UsageError("no key named '" + name + "' (see 'key list')"));
  }

  static CombinedKeyStore combined(Workbench bench) {
    bench.workspace().requireWritable("register keys");
    KeyStore store = bench.keys();
    if (store instanceof CombinedKeyStore c) {
      return c;
    }
    throw new UsageError("this session's key store (" + store + ") cannot register PKCS#11, Vault or offline keys");
  }

  static String backendOf(KeyEntry e) {
    int colon = e.backend().indexOf(':');
    return colon < 0 ? e.backend() : e.backend().substring(0, colon);
  }

  static ObjectNode entryJson(KeyEntry e, List<String> roles) {
    ObjectNode o = Json.object();
    o.put("name", e.name());
    o.put("keyid", e.key().keyId());
    o.put("scheme", e.key().scheme());
    o.put("backend", backendOf(e));
    o.put("uri", e.backend());
    o.put("fingerprint", PublicKeys.fingerprint(e.key()));
    ArrayNode r = o.putArray("roles");
    roles.forEach(r::add);
    return o;
  }

  /** The value the operator configured under {@code name}; the refusal lists the names, never the values. */
  static String configured(Map<String, String> backends, String name, String kind, String option) {
    String v = backends.get(name);
    if (v == null) {
      throw new dev.tufsh.errors.UsageError("no " + kind + " backend named '" + name + "'; "
          + (backends.isEmpty() ? "none is configured (serve ssh " + option + " NAME=...)"
              : "configured: " + String.join(", ", new java.util.TreeSet<>(backends.keySet()))));
    }
    return v;
  }

  /** Prints what a command added: the key's name, id, scheme and backend. */
  abstract static class Adding extends KeyHolderCommand {
    void printAdded(String verb, KeyEntry e) {
      ObjectNode o = entryJson(e, List.of());
      o.remove("roles");
      o.set("public", e.key().toJson());
      print(o, () -> out().println(verb + " key " + e.name() + " (" + e.key().scheme() + ", "
          + backendOf(e) + ") " + e.key().keyId()));
    }

    void register(RegisteredKey k) {
      registry().register(k);
      printAdded("registered", k.entry());
    }
  }

  @Command(name = "generate", description = "Generate a key in the encrypted file keystore (asks for a new passphrase).")
  public static final class Generate extends Adding {
    @Parameters(paramLabel = "NAME", description = "Name of the new key.")
    String name;

    @Option(names = "--scheme", paramLabel = "SCHEME", converter = SchemeConverter.class,
        completionCandidates = SchemeConverter.Names.class,
        description = "ed25519 (default), ecdsa or rsa.")
    Scheme scheme = Scheme.ED25519;

    @Override
    protected int execute() {
      keys().generate(scheme, KeyNames.check(name));
      printAdded("generated", find(name));
      return 0;
    }
  }

  @Command(name = "import", description = "Import a private key (PEM, encrypted PEM, securesystemslib JSON) into the"
      + " file keystore.")
  public static final class Import extends Adding {
    @Parameters(paramLabel = "FILE", description = "The private key file.")
    Path file;

    @Option(names = "--name", paramLabel = "NAME", required = true, description = "Name to store it under.")
    String name;

    @Option(names = "--overwrite", description = "Replace a key file of that name.")
    boolean overwrite;

    @Override
    protected int execute() {
      KeyNames.check(name);
      KeyMaterial m = KeyImport.readFile(file, secrets(), null);
      keys().importKey(m, name, overwrite);
      printAdded("imported", find(name));
      return 0;
    }
  }

  @Command(name = "add-offline", description = "Register a public key whose private half is kept elsewhere"
      + " (its signatures travel with 'sign export' and 'sign import').")
  public static final class AddOffline extends Adding {
    @Parameters(paramLabel = "PUBLIC", description = "A TUF/securesystemslib public key (JSON) or a PEM PUBLIC KEY.")
    Path file;

    @Option(names = "--name", paramLabel = "NAME", required = true, description = "Name to register it under.")
    String name;

    @Override
    protected int execute() {
      String text;
      try {
        if (Files.size(file) > 1 << 20) {
          throw new KeyStoreError(file + " is larger than any public key file");
        }
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new UsageError("no such file: " + file);
      } catch (IOException e) {
        throw new KeyStoreError("cannot read " + file + ": " + e.getMessage(), e);
      }
      register(OfflineKeys.entry(KeyNames.check(name), PublicKeys.read(text, file.toString())));
      return 0;
    }
  }

  @Command(name = "add-pkcs11", description = "Register a key pair on a PKCS#11 token (asks for the token PIN, or"
      + " reads TUFSH_PIN or --passphrase-file).")
  public static final class AddPkcs11 extends Adding {
    @Option(names = "--module", paramLabel = "PATH", description = "The token's PKCS#11 library (default: "
        + Pkcs11Tokens.DEFAULT_MODULE + ").")
    String module = Pkcs11Tokens.DEFAULT_MODULE;

    @Option(names = "--token", paramLabel = "LABEL", description = "Token label.")
    String token;

    @Option(names = "--slot", paramLabel = "ID", description = "Slot id (instead of, or with, --token).")
    Long slot;

    @Option(names = "--label", paramLabel = "LABEL", required = true, description = "Label of the key pair.")
    String label;

    @Option(names = "--name", paramLabel = "NAME", required = true, description = "Name to register it under.")
    String name;

    @Option(names = "--backend", paramLabel = "NAME", description = "A PKCS#11 module the server's operator"
        + " configured (serve ssh --pkcs11 NAME=PATH), instead of --module.")
    String backend;

    @Override
    protected int execute() {
      KeyNames.check(name);
      String lib = backend == null ? module : configured(session().pkcs11Backends(), backend, "PKCS#11 module",
          "--pkcs11");
      Pkcs11Tokens tokens = (Pkcs11Tokens) registry().backend(Pkcs11Tokens.BACKEND).orElseThrow();
      register(tokens.describe(name, new Pkcs11Uri(lib, token, slot, label)));
      return 0;
    }
  }

  @Command(name = "add-vault", description = "Register a HashiCorp Vault Transit key (VAULT_ADDR, VAULT_TOKEN and"
      + " VAULT_NAMESPACE from the environment).")
  public static final class AddVault extends Adding {
    @Option(names = "--key", paramLabel = "TRANSIT-KEY", required = true, description = "Transit key name.")
    String key;

    @Option(names = "--version", paramLabel = "N", description = "Key version to sign with (default: the latest"
        + " now; it stays pinned).")
    int version;

    @Option(names = "--mount", paramLabel = "PATH", description = "Transit mount path (default: transit).")
    String mount = VaultTransit.DEFAULT_MOUNT;

    @Option(names = "--address", paramLabel = "URL", description = "Vault address to record for this key (default:"
        + " $VAULT_ADDR when signing).")
    String address;

    @Option(names = "--namespace", paramLabel = "NS", description = "Vault namespace to record (default:"
        + " $VAULT_NAMESPACE).")
    String namespace;

    @Option(names = "--name", paramLabel = "NAME", required = true, description = "Name to register it under.")
    String name;

    @Option(names = "--backend", paramLabel = "NAME", description = "A Vault the server's operator configured"
        + " (serve ssh --vault NAME=URL), instead of --address.")
    String backend;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding this key's Vault token"
        + " (used when VAULT_TOKEN is not set; default ~/.vault-token). Never the key passphrase.")
    Path tokenFile;

    @Override
    protected int execute() {
      KeyNames.check(name);
      if (backend != null && address != null) {
        throw new dev.tufsh.errors.UsageError("give --backend or --address, not both");
      }
      String at = backend == null ? address : configured(session().vaultBackends(), backend, "Vault", "--vault");
      VaultTransit vault = (VaultTransit) registry().backend(VaultTransit.BACKEND).orElseThrow();
      register(vault.describe(name, mount, key, version, at, namespace, tokenFile));
      return 0;
    }
  }

  @Command(name = "list", description = "List keys: name, id, scheme, backend and the roles that trust each.")
  public static final class ListKeys extends KeyHolderCommand {
    @Override
    public Access access() {
      return Access.read();
    }

    @Override
    protected int execute() {
      List<KeyEntry> keys = keys().list();
      Map<String, List<String>> trust = trust();
      ArrayNode arr = Json.nodes().arrayNode();
      keys.forEach(e -> arr.add(entryJson(e, KeyTrust.of(trust, e.key()))));
      ObjectNode o = Json.object();
      o.set("keys", arr);
      // Keys roles trust that no store here holds (a key file moved away, another admin's key).
      java.util.Set<String> here = new java.util.HashSet<>();
      keys.forEach(e -> here.add(e.key().keyId()));
      List<String> missing = trust.keySet().stream().filter(id -> !here.contains(id)).sorted().toList();
      ArrayNode miss = o.putArray("missing");
      missing.forEach(id -> {
        ObjectNode m = miss.addObject();
        m.put("keyid", id);
        trust.get(id).forEach(m.putArray("roles")::add);
      });
      print(o, () -> {
        if (keys.isEmpty() && missing.isEmpty()) {
          out().println("no keys (add one with 'key generate', 'key import' or 'key add-...')");
          return;
        }
        Table t = new Table("NAME", "KEY ID", "SCHEME", "BACKEND", "ROLES");
        for (KeyEntry e : keys) {
          List<String> roles = KeyTrust.of(trust, e.key());
          t.row(e.name(), e.key().shortId(), e.key().scheme(), backendOf(e),
              roles.isEmpty() ? "-" : String.join(", ", roles));
        }
        for (String id : missing) {
          t.row("(missing)", id.substring(0, 16), "", style().bad("not held here"), String.join(", ", trust.get(id)));
        }
        t.print(out());
      });
      return 0;
    }
  }

  @Command(name = "show", description = "Show one key: id, scheme, backend, fingerprint, trusting roles, public key.")
  public static final class Show extends KeyHolderCommand {
    @Parameters(paramLabel = "KEY", description = "Key name.")
    String name;

    @Override
    public Access access() {
      return Access.read();
    }

    @Override
    protected int execute() {
      KeyEntry e = find(name);
      List<String> roles = KeyTrust.of(trust(), e.key());
      ObjectNode o = entryJson(e, roles);
      o.set("public", e.key().toJson());
      print(o, () -> {
        out().println("name:        " + e.name());
        out().println("key id:      " + e.key().keyId());
        out().println("scheme:      " + e.key().scheme());
        out().println("backend:     " + e.backend());
        out().println("fingerprint: " + PublicKeys.fingerprint(e.key()));
        out().println("roles:       " + (roles.isEmpty() ? "-" : String.join(", ", roles)));
        out().print(KeyExport.publicPem(e.key()));
      });
      return 0;
    }
  }

  @Command(name = "export-public", description = "Print a public key as the TUF key object (default) or PEM.")
  public static final class ExportPublic extends KeyHolderCommand {
    @Parameters(paramLabel = "KEY", description = "Key name.")
    String name;

    @Option(names = "--pem", description = "Print PEM SubjectPublicKeyInfo instead of the JSON key object.")
    boolean pem;

    @Option(names = "--out", paramLabel = "FILE", description = "Write it to FILE (0644) instead of printing it.")
    Path outFile;

    @Override
    public Access access() {
      return Access.read();
    }

    @Override
    protected int execute() {
      KeyEntry e = find(name);
      ObjectNode o = Json.object();
      o.put("name", e.name());
      o.put("keyid", e.key().keyId());
      o.set("public", e.key().toJson());
      o.put("pem", KeyExport.publicPem(e.key()));
      String text = pem ? KeyExport.publicPem(e.key()) : Json.pretty(KeyExport.publicJson(e.key())) + "\n";
      o.putNull("file");
      if (outFile != null) {
        dev.tufsh.repo.AtomicFiles.write(outFile, text.getBytes(StandardCharsets.UTF_8));
        o.put("file", outFile.toString());
      }
      print(o, () -> out().print(outFile == null ? text : "wrote the public half of key " + e.name() + " ("
          + e.key().shortId() + ") to " + outFile + "\n"));
      return 0;
    }
  }

  @Command(name = "change-passphrase", description = "Re-encrypt a file keystore key under a new passphrase.")
  public static final class ChangePassphrase extends KeyHolderCommand {
    @Parameters(paramLabel = "KEY", description = "Key name.")
    String name;

    @Override
    protected int execute() {
      CombinedKeyStore store = registry();
      KeyEntry e = find(name);
      if (!backendOf(e).equals("file")) {
        throw new UsageError("key " + name + " is held by " + e.backend() + "; only file keystore keys have a passphrase");
      }
      store.files().changePassphrase(name);
      ObjectNode o = Json.object();
      o.put("name", name);
      o.put("keyid", e.key().keyId());
      o.put("changed", true);
      print(o, () -> out().println("changed the passphrase of key " + name));
      return 0;
    }
  }
}
