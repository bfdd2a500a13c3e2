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
 * "done". {@code bump DIR EPOCH_SECONDS}: prints "ready", bumps every bin and parks in its first progress
 * report (after a chunk of roles is appended), printing "appended".
 * {@code hold DIR ACTOR}: takes the workspace lock as ACTOR, prints "locked", and holds it
 * until its standard input closes. {@code audited DIR PASSFILE}: prints "ready", then through the
 * real command line, all at once and until killed: bumps and publishes (printing "bumped" and "published"), generates keys, and appends
 * audit records as the SSH server's refusals do.
 */
public final class PublishChild {
  private PublishChild() {}

  private static int cli(Path dir, String pass, String... words) {
    String[] args = new String[words.length + 4];
    args[0] = "--repo";
    args[1] = dir.toString();
    args[2] = "--passphrase-file";
    args[3] = pass;
    System.arraycopy(words, 0, args, 4, words.length);
    return dev.tufsh.app.Main.run(args, java.io.InputStream.nullInputStream(), java.io.OutputStream.nullOutputStream(),
        java.io.OutputStream.nullOutputStream(), false);
  }

  private static void audited(Path dir, String pass) throws Exception {
    Thread keys = new Thread(() -> {
      for (int i = 0; ; i++) {
        cli(dir, pass, "key", "generate", "kill-" + ProcessHandle.current().pid() + "-" + i);
      }
    });
    Thread refusals = new Thread(() -> {
      var log = new dev.tufsh.audit.AuditLog(dir.resolve(".tufsh/audit.log"));
      for (int i = 0; ; i++) {
        log.append(new dev.tufsh.audit.AuditEntry(Instant.now().toString(), "ssh:unauthenticated", "ssh-kill",
            "authenticate " + "x".repeat(i % 3000), "refused: key not in authorized_keys", java.util.Map.of()));
      }
    });
    keys.setDaemon(true);
    refusals.setDaemon(true);
    System.out.println("ready");
    System.out.flush();
    keys.start();
    refusals.start();
    while (true) {
      // Either may meet the lock a key generation holds: then the next round tries again.
      if (cli(dir, pass, "bump", "bin-*", "--by", "1d") == 0) {
        System.out.println("bumped");
        System.out.flush();
        cli(dir, pass, "publish");
        System.out.println("published");
        System.out.flush();
      }
    }
  }

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
      case "bump" -> {
        // After the renewal's first chunk of roles is appended, its progress report says so and
        // parks for good: the parent kills a batch that has flushed and cannot have committed.
        Workbench b = Benches.at(dir, Benches.fixed(Instant.ofEpochSecond(Long.parseLong(args[2]))))
            .progress((task, done, total) -> {
              System.out.println("appended");
              System.out.flush();
              while (true) {
                java.util.concurrent.locks.LockSupport.park();
              }
            });
        System.out.println("ready");
        System.out.flush();
        dev.tufsh.ops.Resign.bump(b, new dev.tufsh.ops.Resign.Selection(java.util.List.of("bin-*"), null, null), null);
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
      case "audited" -> audited(dir, args[2]);
      default -> throw new IllegalArgumentException("usage: publish DIR EPOCH | bump DIR EPOCH | hold DIR ACTOR | audited DIR PASS");
    }
    System.out.flush();
  }
}
