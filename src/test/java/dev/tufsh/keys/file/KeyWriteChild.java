package dev.tufsh.keys.file;

import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Secret;
import dev.tufsh.keys.KeyImport;
import dev.tufsh.testing.Benches;
import java.nio.file.Path;

/**
 * The child JVM of {@link KeyStoreKillTest}: {@code DIR PEM} writes keys into the file store at DIR
 * until it is killed, alternating a generated key ({@code gen-N}) and an import of the PEM file
 * ({@code imp-N}), printing "stored NAME" after each one returns (so the parent knows which must
 * survive the kill).
 */
public final class KeyWriteChild {
  private KeyWriteChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    Path pem = Path.of(args[1]);
    FileKeyStore store = new FileKeyStore(dir, (purpose, confirm) -> new Secret(Benches.PASSPHRASE.toCharArray()),
        ScryptParams.withLog2N(10));
    System.out.println("ready");
    System.out.flush();
    Scheme[] schemes = {Scheme.ED25519, Scheme.ECDSA_P256, Scheme.RSA_PSS_SHA256};
    for (int i = 0; ; i++) {
      String name = (i % 2 == 0 ? "gen-" : "imp-") + i;
      if (i % 2 == 0) {
        store.generate(schemes[(i / 2) % schemes.length], name);
      } else {
        store.importKey(KeyImport.readFile(pem, (p, c) -> null, null), name, false);
      }
      System.out.println("stored " + name);
      System.out.flush();
    }
  }
}
