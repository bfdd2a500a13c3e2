package dev.tufsh.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real OpenSSH client (installed by scripts/ci-deps), run against a test server on loopback. */
final class OpenSsh {
  private OpenSsh() {}

  /** What one ssh run printed and returned. */
  record Result(int status, String out, String err) {
    @Override
    public String toString() {
      return "exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  /** A new ed25519 key pair made by ssh-keygen; returns the private key file (the public is FILE.pub). */
  static Path keygen(Path dir, String name, String comment) throws IOException, InterruptedException {
    Path key = dir.resolve(name);
    run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.toString()), 30);
    return key;
  }

  /** The SHA256 fingerprint of a public key file, as ssh-keygen -l prints it. */
  static String fingerprint(Path publicKey) throws IOException, InterruptedException {
    Result r = run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString()), 30);
    return r.out().split("\\s+")[1];
  }

  /** The options every test connection uses: no config, no known hosts, no prompts, this key only. */
  static List<String> base(int port, Path key) {
    return new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-p", Integer.toString(port), "-i", key.toString(),
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
        "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "LogLevel=ERROR",
        "-o", "ConnectTimeout=20"));
  }

  /** Runs {@code ssh ... 127.0.0.1 command...} and waits for it. */
  static Result exec(int port, Path key, String... command) throws IOException, InterruptedException {
    List<String> cmd = base(port, key);
    cmd.add("127.0.0.1");
    cmd.add("--"); // what follows is the remote command, even when it starts with '-'
    cmd.addAll(List.of(command));
    return run(cmd, 120);
  }

  static Result run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
    return run(cmd, null, timeoutSeconds);
  }

  /** Runs {@code cmd} with {@code input} (null: nothing) as its standard input. */
  static Result run(List<String> cmd, byte[] input, int timeoutSeconds) throws IOException, InterruptedException {
    return run(cmd, input, java.util.Map.of(), timeoutSeconds);
  }

  /** Runs {@code cmd} with {@code input} as its standard input and {@code env} added to its environment. */
  static Result run(List<String> cmd, byte[] input, java.util.Map<String, String> env, int timeoutSeconds)
      throws IOException, InterruptedException {
    Path in = Files.createTempFile("ssh-in", ".txt");
    Path out = Files.createTempFile("ssh-out", ".txt");
    Path err = Files.createTempFile("ssh-err", ".txt");
    try {
      Files.write(in, input == null ? new byte[0] : input);
      ProcessBuilder b = new ProcessBuilder(cmd).redirectInput(in.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      b.environment().putAll(env);
      Process p = b.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(in);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
