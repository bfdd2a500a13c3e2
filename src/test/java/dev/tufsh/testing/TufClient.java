package dev.tufsh.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.errors.JsonError;
import dev.tufsh.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real TUF clients tufsh's interop tests drive, each from its own registry at a pinned version,
 * each through a small driver with the same arguments and one JSON line of output:
 *
 * <ul>
 *   <li>{@link #TUF_JS}: tuf-js from npm ({@code src/test/js/refresh.mjs});
 *   <li>{@link #PYTHON_TUF}: python-tuf's ngclient from PyPI, in the venv {@code target/pyvenv}
 *       ({@code src/test/python/refresh.py}, pins in {@code requirements.txt});
 *   <li>{@link #GO_TUF}: go-tuf v2's updater ({@code src/test/go}, go.mod/go.sum pinned), built into
 *       {@code target/clients/go-tuf-refresh};
 *   <li>{@link #TOUGH}: the tough crate ({@code src/test/rust}, Cargo.lock pinned, no HTTP feature:
 *       it reads {@code file://} URLs), built into {@code target/rust/release/tough-refresh}.
 * </ul>
 *
 * The first use in a JVM installs or builds what is missing (scripts/ci-deps does it up front in
 * CI), so {@code mvn test} on a fresh clone needs only the toolchains on the PATH.
 *
 * <pre>
 * TufClient.Result r = TufClient.PYTHON_TUF.refresh(server, repo.trustedRoot(), cache).target("a.txt").run();
 * </pre>
 */
public enum TufClient {
  TUF_JS("tuf-js"),
  PYTHON_TUF("python-tuf"),
  GO_TUF("go-tuf"),
  TOUGH("tough");

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(8);
  private static final Map<TufClient, List<String>> COMMANDS = new ConcurrentHashMap<>();

  private final String label;

  TufClient(String label) {
    this.label = label;
  }

  @Override
  public String toString() {
    return label;
  }

  /** What one run printed and returned. {@code json} is null when stdout held no JSON line. */
  public record Result(TufClient client, int exitCode, JsonNode json, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0 && json != null && json.path("ok").asBoolean(false);
    }

    /** The client's error message, or null on success. */
    public String error() {
      return json == null || json.path("error").isNull() ? null : json.path("error").asText();
    }

    /** The downloaded targets: path, length and SHA-256 of the bytes written. */
    public List<Target> targets() {
      List<Target> out = new ArrayList<>();
      if (json != null) {
        for (JsonNode t : json.path("targets")) {
          out.add(new Target(t.path("path").asText(), t.path("length").asLong(), t.path("sha256").asText()));
        }
      }
      return out;
    }

    @Override
    public String toString() {
      return client + " exit " + exitCode + ": " + stdout.strip() + (stderr.isBlank() ? "" : "\nstderr: " + stderr.strip());
    }
  }

  public record Target(String path, long length, String sha256) {}

  /** A run against {@code metadataUrl}, trusting {@code trustedRoot}, caching in {@code cache}. */
  public Refresh refresh(String metadataUrl, Path trustedRoot, Path cache) {
    return new Refresh(this, metadataUrl, null, trustedRoot, cache, List.of(), null, DEFAULT_TIMEOUT);
  }

  /**
   * A run against the {@code metadata/} and {@code targets/} folders {@code server} serves: over HTTP,
   * or as {@code file://} URLs of the same folders for tough (built without its HTTP transport).
   */
  public Refresh refresh(StaticHttpServer server, Path trustedRoot, Path cache) {
    if (this == TOUGH) {
      return refresh(server.folder().resolve("metadata").toUri().toString(), trustedRoot, cache)
          .targetsUrl(server.folder().resolve("targets").toUri().toString());
    }
    return refresh(server.url("metadata/"), trustedRoot, cache).targetsUrl(server.url("targets/"));
  }

  /** The arguments of one refresh; each method returns a changed copy. */
  public record Refresh(TufClient client, String metadataUrl, String targetsUrl, Path root, Path cache,
      List<String> targets, Path out, Duration timeout) {
    public Refresh targetsUrl(String url) {
      return new Refresh(client, metadataUrl, url, root, cache, targets, out, timeout);
    }

    public Refresh target(String path) {
      List<String> t = new ArrayList<>(targets);
      t.add(path);
      return new Refresh(client, metadataUrl, targetsUrl, root, cache, List.copyOf(t), out, timeout);
    }

    public Refresh out(Path dir) {
      return new Refresh(client, metadataUrl, targetsUrl, root, cache, targets, dir, timeout);
    }

    public Refresh timeout(Duration d) {
      return new Refresh(client, metadataUrl, targetsUrl, root, cache, targets, out, d);
    }

    public Result run() {
      List<String> cmd = new ArrayList<>(client.command());
      cmd.addAll(List.of("--metadata-url", metadataUrl, "--root", root.toString(), "--cache", cache.toString()));
      if (targetsUrl != null) {
        cmd.addAll(List.of("--targets-url", targetsUrl));
      }
      for (String t : targets) {
        cmd.addAll(List.of("--target", t));
      }
      if (out != null) {
        cmd.addAll(List.of("--out", out.toString()));
      }
      Exec raw = exec(cmd, projectDir(), timeout);
      return new Result(client, raw.code(), lastJsonLine(raw.out()), raw.out(), raw.err());
    }
  }

  /** The command line that runs this client's driver, installing or building it first if needed. */
  public List<String> command() {
    return COMMANDS.computeIfAbsent(this, TufClient::install);
  }

  private static List<String> install(TufClient c) {
    Path base = projectDir();
    return switch (c) {
      case TUF_JS -> {
        Path dir = base.resolve("src/test/js");
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("tuf-js"))) {
          must(exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), dir, INSTALL_TIMEOUT), "npm ci");
        }
        yield List.of("node", dir.resolve("refresh.mjs").toString());
      }
      case PYTHON_TUF -> {
        Path python = pythonVenv();
        yield List.of(python.toString(), base.resolve("src/test/python/refresh.py").toString());
      }
      case GO_TUF -> {
        Path src = base.resolve("src/test/go");
        Path bin = base.resolve("target/clients/go-tuf-refresh");
        if (stale(bin, src)) {
          must(exec(List.of("go", "build", "-mod=readonly", "-o", bin.toString(), "."), src, INSTALL_TIMEOUT), "go build");
        }
        yield List.of(bin.toString());
      }
      case TOUGH -> {
        Path src = base.resolve("src/test/rust");
        Path targetDir = base.resolve("target/rust");
        Path bin = targetDir.resolve("release/tough-refresh");
        if (stale(bin, src)) {
          must(exec(List.of("cargo", "build", "--release", "--locked", "--quiet", "--target-dir", targetDir.toString()),
              src, INSTALL_TIMEOUT), "cargo build");
        }
        yield List.of(bin.toString());
      }
    };
  }

  /**
   * The python of {@code target/pyvenv}, made and filled from {@code src/test/python/requirements.txt}
   * when missing (scripts/ci-deps does the same). The OpenBao tests take {@code bao} from here too.
   */
  public static synchronized Path pythonVenv() {
    Path base = projectDir();
    Path venv = base.resolve("target/pyvenv");
    Path python = venv.resolve("bin/python");
    Path req = base.resolve("src/test/python/requirements.txt");
    Path stamp = venv.resolve("requirements.installed");
    try {
      if (!Files.isRegularFile(stamp) || Files.mismatch(stamp, req) != -1) {
        if (!Files.isExecutable(python)) {
          must(exec(List.of("python3", "-m", "venv", venv.toString()), base, INSTALL_TIMEOUT), "python3 -m venv");
        }
        must(exec(List.of(python.toString(), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r",
            req.toString()), base, INSTALL_TIMEOUT), "pip install -r " + req);
        Files.copy(req, stamp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return python;
  }

  /** True when {@code bin} is missing or older than a file under {@code src}. */
  private static boolean stale(Path bin, Path src) {
    if (!Files.isExecutable(bin)) {
      return true;
    }
    try (Stream<Path> files = Files.walk(src)) {
      FileTime built = Files.getLastModifiedTime(bin);
      return files.filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("/target/"))
          .anyMatch(p -> {
            try {
              return Files.getLastModifiedTime(p).compareTo(built) > 0;
            } catch (IOException e) {
              return true;
            }
          });
    } catch (IOException e) {
      return true;
    }
  }

  private static void must(Exec r, String what) {
    if (r.code() != 0) {
      throw new IllegalStateException(what + " failed (exit " + r.code() + "): " + r.err().strip());
    }
  }

  /** The project folder (Maven's basedir). */
  public static Path projectDir() {
    Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    if (!Files.isRegularFile(dir.resolve("src/test/js/refresh.mjs"))) {
      throw new IllegalStateException("no src/test/js/refresh.mjs in " + dir + "; run the tests from the project folder");
    }
    return dir;
  }

  private static JsonNode lastJsonLine(String stdout) {
    String[] lines = stdout.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    if (!last.startsWith("{")) {
      return null;
    }
    try {
      return Json.parse(last, "client output");
    } catch (JsonError e) {
      return null;
    }
  }

  /** Exit code and output of one child process. */
  public record Exec(int code, String out, String err) {}

  /** Runs {@code cmd} in {@code dir}; output goes through files so a chatty child cannot block. */
  public static Exec exec(List<String> cmd, Path dir, Duration timeout) {
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("tufclient-run");
      Path out = tmp.resolve("stdout");
      Path err = tmp.resolve("stderr");
      Process p = new ProcessBuilder(cmd)
          .directory(dir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      int code;
      if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        code = p.exitValue();
      } else {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
        code = 124;
        Files.writeString(err, "\ntimed out after " + timeout.toSeconds() + " s", StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.APPEND);
      }
      return new Exec(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd.get(0) + " (is it installed and on the PATH?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + cmd.get(0), e);
    } finally {
      if (tmp != null) {
        deleteQuietly(tmp);
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temp folder left behind is harmless
    }
  }
}
