package dev.tufsh.bench;

import dev.tufsh.ops.Init;
import dev.tufsh.ssh.SshFrontend;
import dev.tufsh.testing.Benches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Round trips of {@code ssh HOST status --json} against the SSH frontend on loopback over a 16-bin
 * repository, with the real OpenSSH client: a new connection each time (key exchange and public-key
 * authentication included), and one connection reused through ControlMaster (only the channel and
 * the command). The harness reports round trips per second (1000 / rate = mean milliseconds);
 * {@code main} prints p50 and p90 latencies from single timed round trips.
 */
final class SshSuite implements Suite {
  @Override
  public String name() {
    return "ssh";
  }

  @Override
  public String description() {
    return "round trips of 'ssh host status --json' on loopback: new connection vs ControlMaster";
  }

  @Override
  public List<Measurement> prepare(Context ctx) throws Exception {
    Server s = Server.start(ctx.newFolder("ssh"));
    String fresh = "status --json, new connection";
    return List.of(
        Measurement.of(fresh, () -> s.roundTrip(false)),
        Measurement.of("status --json, ControlMaster", () -> s.roundTrip(true)).baseline(fresh));
  }

  /** A server over a fresh repository and a client key; the server's threads are daemons. */
  record Server(Path dir, SshFrontend frontend, Path key) {
    static Server start(Path dir) throws Exception {
      Path repo = dir.resolve("repo");
      Init.run(Benches.at(repo), Init.Request.defaults().withBins(16));
      Path key = dir.resolve("client");
      run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench@host", "-f", key.toString()));
      Path authorized = dir.resolve("authorized_keys");
      Files.writeString(authorized, Files.readString(Path.of(key + ".pub")));
      SshFrontend f = SshFrontend.start(new SshFrontend.Options("127.0.0.1", 0, dir.resolve("host_key"), authorized,
          Duration.ofMinutes(5), repo, null));
      Server s = new Server(dir, f, key);
      s.roundTrip(true); // starts the master connection, which then lives ControlPersist seconds
      return s;
    }

    String roundTrip(boolean reuse) throws IOException, InterruptedException {
      List<String> cmd = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-p", Integer.toString(frontend.port()),
          "-i", key.toString(), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
          "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "LogLevel=ERROR"));
      if (reuse) {
        cmd.addAll(List.of("-o", "ControlMaster=auto", "-o", "ControlPath=" + dir.resolve("cm"),
            "-o", "ControlPersist=30"));
      } else {
        cmd.addAll(List.of("-o", "ControlMaster=no", "-o", "ControlPath=none"));
      }
      cmd.addAll(List.of("127.0.0.1", "status", "--json"));
      return run(cmd);
    }
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(cmd.get(0) + " failed: " + out.strip());
    }
    return out;
  }

  /** {@code SshSuite [N]}: N timed round trips each way (after 10 untimed ones); prints p50 and p90. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path dir = Files.createTempDirectory("tufsh-ssh-bench");
    Server s = Server.start(dir);
    try {
      for (boolean reuse : new boolean[] {false, true}) {
        for (int i = 0; i < 10; i++) {
          s.roundTrip(reuse);
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          s.roundTrip(reuse);
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "ssh status --json, %-15s n=%d  p50 %6.1f ms  p90 %6.1f ms  max %6.1f ms%n",
            reuse ? "ControlMaster:" : "new connection:", n, ms[n / 2], ms[(int) Math.ceil(n * 0.9) - 1], ms[n - 1]);
      }
    } finally {
      s.frontend().close();
      new ProcessBuilder("ssh", "-o", "ControlPath=" + dir.resolve("cm"), "-O", "exit", "127.0.0.1")
          .redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
