package dev.tufsh.repo;

import dev.tufsh.model.MetaFile;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.Timestamp;
import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Resign;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import dev.tufsh.trust.ClientVerifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a large change in a child JVM and kills it with SIGKILL at a random moment, then checks
 * what a client would find: the published folder verifies from 1.root.json as it is (no repair
 * first) and is exactly the old state or exactly the new one; and a later publish in this JVM
 * finishes the job. Shared by {@link PublishKillTest} and the {@code scripts/soak-kill} loop.
 */
public final class KillHarness {
  /** Where the state after a kill landed. */
  public enum Outcome { OLD, NEW }

  private final Path base;
  private final Path scratch;
  private final Instant clock;
  private final byte[] oldTimestamp;
  private final byte[] newTimestamp;
  private final long publishMillis;
  private int copies;

  private KillHarness(Path base, Path scratch, Instant clock, byte[] oldTs, byte[] newTs, long publishMillis) {
    this.base = base;
    this.scratch = scratch;
    this.clock = clock;
    this.oldTimestamp = oldTs;
    this.newTimestamp = newTs;
    this.publishMillis = publishMillis;
  }

  /**
   * Builds, once, a published repository of {@code bins} bins whose bins are all bumped and staged,
   * and times one undisturbed publish of it in a child JVM (which also gives the new state's bytes).
   */
  public static KillHarness build(Path scratch, int bins) throws Exception {
    Instant t = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Path base = scratch.resolve("base");
    Workbench b = Benches.at(base, Benches.fixed(t));
    Init.run(b, Init.Request.defaults().withBins(bins));
    Publishing.publish(b);
    Resign.bump(b, new Resign.Selection(List.of("bin-*"), null, null), null);
    // The bump's bins are staged role files, so the kills land while publish links them into place.
    try (var staged = Files.list(base.resolve(".tufsh/staged").resolve(StagedRoleFiles.DIR))) {
      if (staged.count() != bins) {
        throw new IllegalStateException("the bump did not stage " + bins + " role files");
      }
    }
    byte[] oldTs = Files.readAllBytes(base.resolve("metadata/timestamp.json"));
    Path ref = scratch.resolve("reference");
    copy(base, ref);
    Process p = start(ref, t);
    long ready = awaitLine(p, "ready");
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("the reference publish failed: exit " + p.exitValue() + ": "
          + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    long millis = (System.nanoTime() - ready) / 1_000_000;
    byte[] newTs = Files.readAllBytes(ref.resolve("metadata/timestamp.json"));
    if (Arrays.equals(oldTs, newTs)) {
      throw new IllegalStateException("the reference publish did not change timestamp.json");
    }
    delete(ref);
    return new KillHarness(base, scratch, t, oldTs, newTs, millis);
  }

  /** How long an undisturbed publish took, from the child's "ready" to its exit. */
  public long publishMillis() {
    return publishMillis;
  }

  /** One kill at a random moment of the publish, the checks, and the publish that follows. */
  public Outcome iteration(Random rnd) throws Exception {
    Path work = scratch.resolve("run-" + (++copies));
    copy(base, work);
    try {
      Process p = start(work, clock);
      awaitLine(p, "ready");
      // Spread over the publish, weighted to its second half where the files are written.
      long delay = (long) ((0.2 + rnd.nextDouble() * 0.9) * publishMillis);
      Thread.sleep(delay);
      p.destroyForcibly();
      p.waitFor(60, TimeUnit.SECONDS);
      Outcome o = check(work, "killed after " + delay + " ms");
      finish(work, o);
      return o;
    } finally {
      delete(work);
    }
  }

  /** The folder as a client finds it: it verifies, and it is the old or the new state. */
  private Outcome check(Path work, String when) throws IOException {
    Path meta = work.resolve("metadata");
    byte[] ts = Files.readAllBytes(meta.resolve("timestamp.json"));
    Outcome o;
    if (Arrays.equals(ts, oldTimestamp)) {
      o = Outcome.OLD;
    } else if (Arrays.equals(ts, newTimestamp)) {
      o = Outcome.NEW;
    } else {
      throw new AssertionError(when + ": timestamp.json is neither the old nor the new one");
    }
    verify(meta, when);
    return o;
  }

  private void verify(Path meta, String when) throws IOException {
    Metadata<Timestamp> ts =
        MetadataCodec.decode(Files.readAllBytes(meta.resolve("timestamp.json")), "timestamp.json", Timestamp.class);
    String sn = ts.signed().snapshot().version() + ".snapshot.json";
    if (!Files.isRegularFile(meta.resolve(sn))) {
      throw new AssertionError(when + ": timestamp.json names " + sn + ", which is missing");
    }
    Metadata<Snapshot> snap = MetadataCodec.decode(Files.readAllBytes(meta.resolve(sn)), sn, Snapshot.class);
    for (var e : snap.signed().meta().entrySet()) {
      MetaFile m = e.getValue();
      String name = m.version() + "." + e.getKey();
      if (!Files.isRegularFile(meta.resolve(name))) {
        throw new AssertionError(when + ": " + sn + " names " + name + ", which is missing");
      }
    }
    try {
      new ClientVerifier(clock).verify(Files.readAllBytes(meta.resolve("1.root.json")), name -> {
        Path f = meta.resolve(name);
        try {
          return Files.isRegularFile(f) ? Optional.of(Files.readAllBytes(f)) : Optional.empty();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, null, null);
    } catch (RuntimeException e) {
      throw new AssertionError(when + ": the published folder does not verify: " + e.getMessage(), e);
    }
  }

  /**
   * After the kill: an old state publishes again to exactly the new bytes (the clock is fixed), a
   * new state has nothing left staged; either way no temp file of the killed run stays visible.
   */
  private void finish(Path work, Outcome o) throws IOException {
    Workbench b = Benches.at(work, Benches.fixed(clock));
    if (o == Outcome.OLD) {
      Publishing.publish(b);
      byte[] ts = Files.readAllBytes(work.resolve("metadata/timestamp.json"));
      if (!Arrays.equals(ts, newTimestamp)) {
        throw new AssertionError("the publish after the kill did not reach the new state");
      }
    } else if (!Publishing.plan(b).isEmpty()) {
      throw new AssertionError("the new state is published but changes are still staged");
    } else {
      // Prove the workspace still takes changes and publishes.
      Resign.resign(b, new Resign.Selection(List.of("bins"), null, null));
      Publishing.publish(b);
    }
    verify(work.resolve("metadata"), "after the follow-up publish");
    try (var files = Files.list(work.resolve("metadata"))) {
      List<String> temps = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
      if (!temps.isEmpty()) {
        throw new AssertionError("temp files left in metadata/ after the follow-up publish: " + temps);
      }
    }
  }

  static Process start(Path dir, Instant clock) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        PublishChild.class.getName(), "publish", dir.toString(), Long.toString(clock.getEpochSecond())));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** The child that publishes, generates keys and appends audit records at once, through the CLI. */
  static Process startAudited(Path dir, Path passphraseFile, Path stderr) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
        PublishChild.class.getName(), "audited", dir.toString(), passphraseFile.toString())
        .redirectError(stderr.toFile()).start();
  }

  /** Waits for {@code line} on the child's output; returns System.nanoTime() when it came. */
  static long awaitLine(Process p, String line) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String l;
    while ((l = r.readLine()) != null) {
      if (l.equals(line)) {
        return System.nanoTime();
      }
    }
    throw new IllegalStateException("the child exited (" + p.onExit().join().exitValue() + ") before '" + line + "'");
  }

  static void copy(Path from, Path to) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException("cp -a " + from + " " + to + " failed");
    }
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
