package dev.tufsh.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.errors.JsonError;
import dev.tufsh.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the pinned tuf-js client ({@code src/test/js/refresh.mjs}) as a child process. The first
 * use in a JVM runs {@code npm ci} there if {@code node_modules} is missing, so a fresh clone needs
 * nothing but Node.js and npm on the PATH.
 *
 * <pre>
 * TufJs.Result r = TufJs.refresh(server.url("metadata/"), repo.trustedRoot(), cache)
 *     .targetsUrl(server.url("targets/")).target("a.txt").run();
 * </pre>
 */
public final class TufJs {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
  private static boolean installed;

  private TufJs() {}

  /** What one run printed and returned. {@code json} is null when stdout held no JSON line. */
  public record Result(int exitCode, JsonNode json, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0 && json != null && json.path("ok").asBoolean(false);
    }

    /** tuf-js's error message, or null on success. */
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
      return "tuf-js exit " + exitCode + ": " + stdout.strip() + (stderr.isBlank() ? "" : "\nstderr: " + stderr.strip());
    }
  }

  public record Target(String path, long length, String sha256) {}

  /** A run against {@code metadataUrl}, trusting {@code trustedRoot}, caching in {@code cache}. */
  public static Refresh refresh(String metadataUrl, Path trustedRoot, Path cache) {
    return new Refresh(metadataUrl, null, trustedRoot, cache, List.of(), null, DEFAULT_TIMEOUT);
  }

  /** The arguments of one refresh; each method returns a changed copy. */
  public record Refresh(
      String metadataUrl, String targetsUrl, Path root, Path cache, List<String> targets, Path out, Duration timeout) {
    public Refresh targetsUrl(String url) {
      return new Refresh(metadataUrl, url, root, cache, targets, out, timeout);
    }

    public Refresh target(String path) {
      List<String> t = new ArrayList<>(targets);
      t.add(path);
      return new Refresh(metadataUrl, targetsUrl, root, cache, List.copyOf(t), out, timeout);
    }

    public Refresh out(Path dir) {
      return new Refresh(metadataUrl, targetsUrl, root, cache, targets, dir, timeout);
    }

    public Refresh timeout(Duration d) {
      return new Refresh(metadataUrl, targetsUrl, root, cache, targets, out, d);
    }

    public Result run() {
      List<String> cmd = new ArrayList<>(List.of("node", script().toString()));
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
      return TufJs.run(cmd, timeout);
    }
  }

  /** The folder holding package.json and refresh.mjs. */
  public static Path jsDir() {
    String base = System.getProperty("basedir", System.getProperty("user.dir"));
    Path dir = Path.of(base, "src", "test", "js");
    if (!Files.isRegularFile(dir.resolve("refresh.mjs"))) {
      throw new IllegalStateException("no refresh.mjs in " + dir + "; run the tests from the project folder");
    }
    return dir;
  }

  private static Path script() {
    ensureInstalled();
    return jsDir().resolve("refresh.mjs");
  }

  /** Runs {@code npm ci} once per JVM when node_modules lacks tuf-js. */
  public static synchronized void ensureInstalled() {
    if (installed) {
      return;
    }
    Path dir = jsDir();
    if (!Files.isDirectory(dir.resolve("node_modules").resolve("tuf-js"))) {
      Result r = exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), dir, NPM_TIMEOUT);
      if (r.exitCode() != 0) {
        throw new IllegalStateException("npm ci in " + dir + " failed (exit " + r.exitCode() + "): " + r.stderr().strip());
      }
    }
    installed = true;
  }

  private static Result run(List<String> cmd, Duration timeout) {
    Result raw = exec(cmd, jsDir(), timeout);
    return new Result(raw.exitCode(), lastJsonLine(raw.stdout()), raw.stdout(), raw.stderr());
  }

  private static JsonNode lastJsonLine(String stdout) {
    String[] lines = stdout.strip().split("\n");
    String last = lines[lines.length - 1].strip();
    if (!last.startsWith("{")) {
      return null;
    }
    try {
      return Json.parse(last, "tuf-js output");
    } catch (JsonError e) {
      return null;
    }
  }

  /** Runs {@code cmd} in {@code dir}; output goes through files so a chatty child cannot block. */
  private static Result exec(List<String> cmd, Path dir, Duration timeout) {
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("tufjs-run");
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
      return new Result(code, null, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
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
