package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.errors.UsageError;
import dev.tufsh.json.Json;
import dev.tufsh.keys.KeyEntry;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code key export-private}: a file key's private half for a backup or another tool, only ever
 * encrypted (PKCS#8 under a passphrase asked for the copy) and only into a new owner-only file.
 */
@Command(name = "export-private", description = "Write a file keystore key's private half to a new owner-only file"
    + " (0600) as encrypted PKCS#8 PEM under a passphrase of its own (asked twice); OpenSSL, pyca/cryptography"
    + " and 'key import' read it.")
public final class KeyExportPrivate extends KeyHolderCommand {
  @Parameters(paramLabel = "KEY", description = "Key name.")
  String name;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "The file to create (never"
      + " overwritten).")
  Path out;

  @Override
  protected int execute() {
    KeyEntry e = find(name);
    if (!KeyCommand.backendOf(e).equals("file")) {
      throw new UsageError("key " + name + " is held by " + e.backend() + "; only file keystore keys can be exported"
          + " (a token's or Vault's private half never leaves it)");
    }
    registry().files().exportPrivate(name, out);
    ObjectNode o = Json.object();
    o.put("name", name);
    o.put("keyid", e.key().keyId());
    o.put("file", out.toString());
    print(o, () -> out().println("exported the private half of key " + name + " (" + e.key().shortId() + ") to "
        + out + " (encrypted, owner-only)"));
    return 0;
  }
}
