package dev.tufsh.repo;

import dev.tufsh.keys.file.FileKeyStore;
import dev.tufsh.keys.file.ScryptParams;
import dev.tufsh.crypto.Secret;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The child JVM of the kill tests. {@code publish DIR EPOCH_SECONDS}: prints "ready", publishes
 * what is staged with the clock fixed at EPOCH_SECONDS (so every run writes the same bytes), prints
 * "done". {@code hold DIR ACTOR}: takes the workspace lock as ACTOR, prints "locked", and holds it
 * until its standard input closes.
 */
public final class PublishChild {
  private PublishChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "publish" -> {
        Workbench b = Benches.at(dir, Benches.fixed(Instant.ofEpochSecond(Long.parseLong(args[2]))));
        System.out.println("ready");
        System.out.flush();
        Publishing.publish(b);
        System.out.println("done");
      }
      case "hold" -> {
        Workbench b = new Workbench(dir, ws -> new FileKeyStore(ws.keysDir(),
            (purpose, confirm) -> new Secret(Benches.PASSPHRASE.toCharArray()), ScryptParams.withLog2N(10)),
            java.time.Clock.systemUTC(), args[2]);
        try (PublishLock lock = b.lock()) {
          System.out.println("locked");
          System.out.flush();
          while (System.in.read() >= 0) {
            // hold until the parent closes our input
          }
        }
      }
      default -> throw new IllegalArgumentException("usage: publish DIR EPOCH | hold DIR ACTOR");
    }
    System.out.flush();
  }
}
