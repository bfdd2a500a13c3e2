package dev.tufsh.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.json.Json;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workspace's private settings ({@code .tufsh/settings.json}), without secrets: how long each
 * kind of role stays valid after it is signed, and which hashes describe targets.
 *
 * <p>Role kinds: {@code root}, {@code targets}, {@code snapshot}, {@code timestamp}, {@code bin}
 * (a hashed bin) and {@code delegated} (any other delegated role, {@code bins} included).
 */
public record Settings(Map<String, Duration> expiry, List<String> targetHashes) {
  public static final List<String> KINDS =
      List.of("root", "targets", "snapshot", "timestamp", "delegated", "bin");

  public Settings {
    expiry = Map.copyOf(expiry);
    targetHashes = List.copyOf(targetHashes);
  }

  /** PEP 458's periods: offline roles a year, online roles (snapshot, timestamp, bins) a day. */
  public static Settings pep458() {
    Map<String, Duration> e = new LinkedHashMap<>();
    e.put("root", Duration.ofDays(365));
    e.put("targets", Duration.ofDays(365));
    e.put("delegated", Duration.ofDays(365));
    e.put("bin", Duration.ofDays(1));
    e.put("snapshot", Duration.ofDays(1));
    e.put("timestamp", Duration.ofDays(1));
    return new Settings(e, List.of("sha256", "sha512"));
  }

  /**
   * The shortest and longest validity each kind of role may be given: a timestamp valid for years
   * defeats freeze-attack protection, one valid for a second breaks every client before the next
   * refresh. Online roles are re-signed daily; offline ones are signed by hand, a few times a year.
   */
  public static final Map<String, Duration[]> EXPIRY_BOUNDS = Map.of(
      "timestamp", new Duration[] {Duration.ofMinutes(5), Duration.ofDays(31)},
      "snapshot", new Duration[] {Duration.ofMinutes(5), Duration.ofDays(92)},
      "bin", new Duration[] {Duration.ofMinutes(5), Duration.ofDays(366)},
      "delegated", new Duration[] {Duration.ofHours(1), Duration.ofDays(3 * 366)},
      "targets", new Duration[] {Duration.ofHours(1), Duration.ofDays(3 * 366)},
      "root", new Duration[] {Duration.ofHours(1), Duration.ofDays(5 * 366)});

  /** Refuses a validity outside {@link #EXPIRY_BOUNDS} for {@code kind}, naming {@code what} was given. */
  public static void checkExpiry(String kind, Duration d, String what) {
    Duration[] b = EXPIRY_BOUNDS.get(kind);
    if (b != null && (d.compareTo(b[0]) < 0 || d.compareTo(b[1]) > 0)) {
      throw new dev.tufsh.errors.UsageError(what + " gives a " + kind + " role " + human(d) + " of validity; the"
          + " policy for " + kind + " is " + human(b[0]) + " to " + human(b[1]));
    }
  }

  private static String human(Duration d) {
    if (d.isNegative()) {
      return "a negative time";
    }
    long s = d.getSeconds();
    return s % 86400 == 0 ? s / 86400 + "d" : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
  }

  public Duration expiryOf(String kind) {
    Duration d = expiry.get(kind);
    return d != null ? d : pep458().expiry.get(kind);
  }

  public Settings withExpiry(String kind, Duration d) {
    checkExpiry(kind, d, "--expiry " + kind + "=" + human(d));
    Map<String, Duration> e = new LinkedHashMap<>(expiry);
    e.put(kind, d);
    return new Settings(e, targetHashes);
  }

  /** The same settings listing {@code hashes} for targets added from files. */
  public Settings withTargetHashes(List<String> hashes) {
    for (String a : hashes) {
      if (HashAlgorithm.byName(a).isEmpty()) {
        throw new WorkspaceError("target_hashes: only " + HashAlgorithm.names() + " are allowed, got " + a);
      }
    }
    if (hashes.isEmpty()) {
      throw new WorkspaceError("target_hashes: list at least one algorithm");
    }
    return new Settings(expiry, hashes);
  }

  public byte[] toBytes() {
    ObjectNode o = Json.object();
    ObjectNode e = o.putObject("expiry");
    for (String k : KINDS) {
      e.put(k, expiryOf(k).toString());
    }
    var h = o.putArray("target_hashes");
    targetHashes.forEach(h::add);
    return (Json.pretty(o) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  public static Settings fromBytes(byte[] bytes, String file) {
    JsonNode n = Json.parse(bytes, file);
    Settings s = pep458();
    JsonNode e = n.get("expiry");
    Map<String, Duration> out = new LinkedHashMap<>(s.expiry);
    if (e != null && e.isObject()) {
      for (var it = e.fields(); it.hasNext(); ) {
        var f = it.next();
        try {
          out.put(f.getKey(), Duration.parse(f.getValue().asText()));
        } catch (DateTimeParseException ex) {
          throw new WorkspaceError(file + ": expiry." + f.getKey() + " is not a duration: " + f.getValue().asText());
        }
      }
    }
    List<String> hashes = s.targetHashes;
    JsonNode h = n.get("target_hashes");
    if (h != null && h.isArray() && h.size() > 0) {
      hashes = new java.util.ArrayList<>();
      for (JsonNode x : h) {
        String a = x.asText();
        if (HashAlgorithm.byName(a).isEmpty()) {
          throw new WorkspaceError(file + ": target_hashes: only " + HashAlgorithm.names() + " are allowed, got " + a);
        }
        hashes.add(a);
      }
    }
    return new Settings(out, hashes);
  }
}
