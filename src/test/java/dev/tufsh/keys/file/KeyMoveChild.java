package dev.tufsh.keys.file;

import dev.tufsh.crypto.Secret;
import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link KeyStoreKillTest}'s group test: {@code DIR NAME...} moves the named keys
 * into their passphrase group ({@code changePassphrase} with the same passphrase) round after round
 * until it is killed, printing "moved NAME" after each one returns.
 */
public final class KeyMoveChild {
  private KeyMoveChild() {}

  public static void main(String[] args) {
    FileKeyStore store = new FileKeyStore(Path.of(args[0]),
        (purpose, confirm) -> new Secret(PassphraseGroupTest.LEGACY_PASS.toCharArray()));
    List<String> names = List.of(args).subList(1, args.length);
    System.out.println("ready");
    System.out.flush();
    for (int round = 0; ; round++) {
      for (String n : names) {
        store.changePassphrase(n);
        System.out.println("moved " + n);
        System.out.flush();
      }
      if (round % 2 == 1) {
        store.lockAll(); // later rounds open the group on disk again, as a new process would
      }
    }
  }
}
