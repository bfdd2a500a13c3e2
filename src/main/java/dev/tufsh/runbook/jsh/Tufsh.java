package dev.tufsh.runbook.jsh;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.errors.TufshException;
import dev.tufsh.json.Json;

/**
 * The scripting API, bound as {@code tufsh} in {@code .jsh} scripts and the {@code jshell}
 * command. Every tufsh command is available, returning values:
 *
 * <pre>{@code
 * JsonNode status = tufsh.json("status");            // any command's --json result, parsed
 * for (JsonNode role : status.get("roles")) { ... }  // loop, decide, report
 * tufsh.run("bump bin-* --by 1d");                   // run a command, throws if it fails
 * tufsh.ok("verify")                                 // true or false instead of throwing
 * tufsh.publish();                                   // publish the staged changes
 * }</pre>
 *
 * Nothing is published unless the script runs {@code publish}.
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
    return out.isBlank() ? Json.object() : Json.parse(out, "output of '" + commandLine + "'");
  }

  /** Publishes the staged changes ({@code publish --yes}). */
  public void publish() {
    run("publish --yes");
  }

  @Override
  public String toString() {
    return "tufsh scripting API: run(cmd), ok(cmd), json(cmd), publish()";
  }
}
