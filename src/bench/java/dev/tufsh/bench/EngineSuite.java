package dev.tufsh.bench;

import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Resign;
import dev.tufsh.ops.Rotate;
import dev.tufsh.ops.Status;
import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.TargetSpec;
import dev.tufsh.ops.Verify;
import dev.tufsh.ops.Workbench;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.testing.Benches;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The repository engine at PEP 458 scale (16384 succinct bins, ed25519, a real file key store):
 * init, the first publish, the daily operations (re-sign every bin under a rotated bin key, bump
 * every bin, add 100,000 targets, each with its publish), a full verify and status. Figures are
 * ops/s; "s/op" is the time one operation takes.
 */
final class EngineSuite implements Suite {
  @Override
  public String name() {
    return "engine";
  }

  @Override
  public String description() {
    return "repository operations at PEP 458 scale (16384 bins, ed25519), each with its publish";
  }

  @Override
  public List<Measurement> prepare(Context ctx) throws Exception {
    int bins = ctx.size(16384, 64);
    int targets = ctx.size(100_000, 1_000);
    Path staged = ctx.newFolder("engine-staged").resolve("repo");
    Init.run(Benches.at(staged), Init.Request.defaults().withBins(bins));
    Path published = ctx.newFolder("engine-published").resolve("repo");
    copy(staged, published);
    Workbench pub = Benches.at(published);
    Publishing.publish(pub);
    List<TargetSpec> specs = specs(targets);
    var view = pub.repository();
    String firstBin = view.roleNames().stream().filter(view::isBin).findFirst().orElseThrow();
    String b = bins + " bins";
    List<Measurement> out = new ArrayList<>();
    out.add(Measurement.perThread("init, staging only (" + b + ")", () -> new FreshFolder(ctx, "init") {
      @Override
      public Object run() {
        return Init.run(Benches.at(dir), Init.Request.defaults().withBins(bins));
      }
    }).setupEachOp().units("bins/s", bins));
    out.add(Measurement.perThread("first publish (" + b + ")", () -> new CopyOf(ctx, staged) {
      @Override
      public Object run() {
        return Publishing.publish(Benches.at(dir));
      }
    }).setupEachOp().units("bins/s", bins));
    out.add(Measurement.of("rotate bin key, re-sign all bins + publish", () -> {
      Rotate.run(pub, new Rotate.Request(firstBin, null, null, null, 0));
      return Publishing.publish(pub);
    }).units("bins/s", bins));
    out.add(Measurement.of("bump all bins + publish", () -> {
      Resign.bump(pub, new Resign.Selection(List.of("bin-*"), null, null), null);
      return Publishing.publish(pub);
    }).units("bins/s", bins));
    out.add(Measurement.of("add " + targets + " targets + publish", () -> {
      TargetOps.add(pub, specs);
      return Publishing.publish(pub);
    }).units("targets/s", targets));
    out.add(Measurement.of("verify whole repository", () -> Verify.run(pub, null, false))
        .units("roles/s", bins + 2));
    out.add(Measurement.of("status", () -> Status.run(pub)).units("roles/s", bins + 4));
    return out;
  }

  /** Targets kept elsewhere: a path, a length and a SHA-256, as a mirror would list them. */
  static List<TargetSpec> specs(int n) {
    List<TargetSpec> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] h = Crypto.sha256(ByteBuffer.allocate(4).putInt(i).array());
      out.add(TargetSpec.external("packages/" + (i % 997) + "/pkg-" + i + "-1.0.tar.gz", 1000L + i,
          Map.of("sha256", Hex.encode(h))));
    }
    return out;
  }

  /** A task that gets a new empty folder before each operation. */
  abstract static class FreshFolder implements Task, Measurement.Setup {
    private final Context ctx;
    private final String prefix;
    Path dir;

    FreshFolder(Context ctx, String prefix) {
      this.ctx = ctx;
      this.prefix = prefix;
    }

    @Override
    public void before() throws IOException {
      if (dir != null) {
        delete(dir.getParent());
      }
      dir = ctx.newFolder(prefix).resolve("repo");
    }
  }

  /** A task that gets a fresh copy of {@code source} before each operation. */
  abstract static class CopyOf extends FreshFolder {
    private final Path source;

    CopyOf(Context ctx, Path source) {
      super(ctx, "copy");
      this.source = source;
    }

    @Override
    public void before() throws IOException {
      super.before();
      copy(source, dir);
    }
  }

  static void copy(Path from, Path to) throws IOException {
    try {
      Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IOException("cp -a " + from + " " + to + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
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
