package dev.tufsh.runbook.jsh;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.errors.TufshException;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Resign;
import dev.tufsh.ops.Status;
import dev.tufsh.repo.Plan;
import dev.tufsh.repo.PublishResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The scripting API, bound as {@code tufsh} in {@code .jsh} scripts and the {@code jshell}
 * command. Every tufsh command is available, returning values:
 *
 * <pre>{@code
 * Status.Result s = tufsh.status();                   // every role, soonest expiry first
 * for (Status.RoleStatus r : s.roles()) { ... }       // loop, decide, report
 * tufsh.expiringWithin(Duration.ofDays(7))            // the roles that need a bump soon
 * Resign.Result b = tufsh.bump("bin-*", "--by", "1d"); // versions and expiries staged
 * Plan p = tufsh.plan();                              // what publish would write
 * PublishResult done = tufsh.publish();               // versions published
 * tufsh.run("target add dist/x.whl");                 // any command line, throws if it fails
 * tufsh.ok("verify")                                  // true or false instead of throwing
 * JsonNode j = tufsh.json("audit verify");            // any command's --json result, parsed
 * }</pre>
 *
 * The typed methods return the records of {@code dev.tufsh.ops} and {@code dev.tufsh.repo}; every
 * call still runs as a command, so permissions, the audit log and the workspace lock apply.
 * Nothing is published unless the script calls {@code publish}.
 */
public final class Tufsh {
  private static volatile ScriptHost host;

  private Tufsh() {}

  /** The instance scripts see; bound by the engine before a script runs. */
  public static final Tufsh INSTANCE = new Tufsh();

  static void bind(ScriptHost h) {
    host = h;
  }

  private static ScriptHost host() {
    ScriptHost h = host;
    if (h == null) {
      throw new IllegalStateException("no tufsh session bound to this script");
    }
    return h;
  }

  /** Runs a command line; throws with its exit status when it fails. */
  public void run(String commandLine) {
    int status = host().run(commandLine);
    if (status != 0) {
      throw new TufshException("'" + commandLine + "' failed (exit " + status + ")");
    }
  }

  /** Runs a command line; true when it succeeded. */
  public boolean ok(String commandLine) {
    return host().run(commandLine) == 0;
  }

  /** Runs a command with {@code --json} and returns its parsed result. */
  public JsonNode json(String commandLine) {
    String out = host().json(commandLine);
    JsonNode env = Json.parse(out, "output of '" + commandLine + "'");
    return env.path("result").isMissingNode() || env.get("result").isNull() ? Json.object() : env.get("result");
  }

  /** Every role's version, expiry, keys and signatures, soonest expiry first ({@code status}). */
  public Status.Result status() {
    return (Status.Result) host().result("status");
  }

  /** The roles that expire before now plus {@code d} (expired ones included), soonest first. */
  public List<Status.RoleStatus> expiringWithin(Duration d) {
    Status.Result s = status();
    Instant limit = s.now().plus(d);
    return s.roles().stream()
        .filter(r -> r.expires().instant().isBefore(limit))
        .sorted(Comparator.comparing((Status.RoleStatus r) -> r.expires().instant()))
        .toList();
  }

  /**
   * Stages new expiries ({@code bump} with these arguments: roles or globs, {@code --by 30d},
   * {@code --to DATE}, {@code --expiring-within 7d}); returns the versions and expiries staged.
   */
  public Resign.Result bump(String... args) {
    return (Resign.Result) host().result(line("bump", args));
  }

  /** Re-signs roles as new versions, keeping their expiry ({@code resign} with these arguments). */
  public Resign.Result resign(String... args) {
    return (Resign.Result) host().result(line("resign", args));
  }

  /** What {@code publish} would write ({@code plan}). */
  public Plan plan() {
    return (Plan) host().result("plan");
  }

  /** Publishes the staged changes ({@code publish --yes}); returns the versions published. */
  public PublishResult publish() {
    return (PublishResult) host().result("publish --yes");
  }

  private static String line(String command, String... args) {
    StringBuilder sb = new StringBuilder(command);
    for (String a : args) {
      sb.append(' ').append(quote(a));
    }
    return sb.toString();
  }

  /** Quotes an argument for the command-line splitter (globs and spaces stay one word). */
  private static String quote(String a) {
    if (!a.isEmpty() && a.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"'
        || c == '\\' || c == ';' || c == '#')) {
      return a;
    }
    return "'" + a.replace("'", "'\"'\"'") + "'";
  }

  @Override
  public String toString() {
    return "tufsh scripting API: status(), expiringWithin(d), bump(args...), resign(args...), plan(),"
        + " publish(), run(cmd), ok(cmd), json(cmd)";
  }
}
