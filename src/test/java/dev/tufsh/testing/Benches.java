package dev.tufsh.testing;

import dev.tufsh.crypto.Secret;
import dev.tufsh.keys.file.FileKeyStore;
import dev.tufsh.keys.file.ScryptParams;
import dev.tufsh.ops.Workbench;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Workbenches for tests: a real file key store with a fixed passphrase and a cheap KDF. */
public final class Benches {
  public static final String PASSPHRASE = "correct horse battery staple";

  private Benches() {}

  public static Workbench at(Path dir) {
    return at(dir, Clock.systemUTC());
  }

  public static Workbench at(Path dir, Clock clock) {
    return new Workbench(
        dir,
        ws -> new FileKeyStore(ws.keysDir(), (purpose, confirm) -> new Secret(PASSPHRASE.toCharArray()),
            ScryptParams.withLog2N(10)),
        clock,
        "test@local");
  }

  /** A repository at {@code dir} made by 'init --bins {@code bins}' and published once. */
  public static Workbench published(Path dir, int bins) {
    Workbench b = at(dir);
    dev.tufsh.ops.Init.run(b, dev.tufsh.ops.Init.Request.defaults().withBins(bins));
    dev.tufsh.ops.Publishing.publish(b);
    return b;
  }

  public static Clock fixed(Instant t) {
    return Clock.fixed(t, ZoneOffset.UTC);
  }

  /** Every staged role's file bytes, by name: what two ways of staging are compared on. */
  public static java.util.Map<String, byte[]> stagedFiles(Workbench b) {
    dev.tufsh.repo.Repository repo = b.repository();
    java.util.Map<String, byte[]> out = new java.util.TreeMap<>();
    for (String r : repo.staging().roles().keySet()) {
      out.put(r, repo.staging().fileBytes(r));
    }
    return out;
  }
}
