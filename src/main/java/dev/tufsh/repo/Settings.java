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
 *
 * <p>{@code refresh_window} per kind: how much validity may remain when a role is due for
 * re-signing ({@code refresh} re-signs online roles inside it; offline ones are reported). Unset,
 * online kinds are due in the second half of their period, offline kinds in their last quarter
 * (at most 7 days).
 */
public record Settings(Map<String, Duration> expiry, List<String> targetHashes, Map<String, Duration> refreshWindow) {
  public static final List<String> KINDS =
      List.of("root", "targets", "snapshot", "timestamp", "delegated", "bin");
  /** Kinds whose keys live on the online host: refresh signs these unattended. */
  public static final List<String> ONLINE_KINDS = List.of("timestamp", "snapshot", "bin");

  public Settings {
    expiry = Map.copyOf(expiry);
    targetHashes = List.copyOf(targetHashes);
    refreshWindow = Map.copyOf(refreshWindow);
  }

  public Settings(Map<String, Duration> expiry, List<String> targetHashes) {
    this(expiry, targetHashes, Map.of());
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

  /** A role of {@code kind} is due for re-signing once less than this remains of its validity. */
  public Duration refreshWindowOf(String kind) {
    Duration d = refreshWindow.get(kind);
    if (d != null) {
      return d;
    }
    Duration period = expiryOf(kind);
    if (ONLINE_KINDS.contains(kind)) {
      return period.dividedBy(2);
    }
    Duration quarter = period.dividedBy(4);
    return quarter.compareTo(Duration.ofDays(7)) > 0 ? Duration.ofDays(7) : quarter;
  }

  public Settings withRefreshWindow(String kind, Duration d) {
    Map<String, Duration> w = new LinkedHashMap<>(refreshWindow);
    w.put(kind, d);
    return new Settings(expiry, targetHashes, w);
  }

  public Settings withExpiry(String kind, Duration d) {
    checkExpiry(kind, d, "--expiry " + kind + "=" + human(d));
    Map<String, Duration> e = new LinkedHashMap<>(expiry);
    e.put(kind, d);
    return new Settings(e, targetHashes, refreshWindow);
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
    return new Settings(expiry, hashes, refreshWindow);
  }

  public byte[] toBytes() {
    ObjectNode o = Json.object();
    ObjectNode e = o.putObject("expiry");
    for (String k : KINDS) {
      e.put(k, expiryOf(k).toString());
    }
    var h = o.putArray("target_hashes");
    targetHashes.forEach(h::add);
    ObjectNode w = o.putObject("refresh_window");
    for (String k : KINDS) {
      w.put(k, refreshWindowOf(k).toString());
    }
    return (Json.pretty(o) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  public static Settings fromBytes(byte[] bytes, String file) {
    JsonNode n = Json.parse(bytes, file);
    dev.tufsh.json.FormatMember.check(n, file, "settings", 1);
    Settings s = pep458();
    Map<String, Duration> out = durations(n, "expiry", new LinkedHashMap<>(s.expiry), file);
    Map<String, Duration> windows = durations(n, "refresh_window", new LinkedHashMap<>(), file);
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
    return new Settings(out, hashes, windows);
  }

  private static Map<String, Duration> durations(JsonNode n, String field, Map<String, Duration> out, String file) {
    JsonNode e = n.get(field);
    if (e != null && e.isObject()) {
      for (var it = e.fields(); it.hasNext(); ) {
        var f = it.next();
        try {
          Duration d = Duration.parse(f.getValue().asText());
          if (d.isNegative() || d.isZero()) {
            throw new WorkspaceError(file + ": " + field + "." + f.getKey() + " must be positive, got " + d);
          }
          out.put(f.getKey(), d);
        } catch (DateTimeParseException ex) {
          throw new WorkspaceError(file + ": " + field + "." + f.getKey() + " is not a duration: "
              + f.getValue().asText());
        }
      }
    }
    return out;
  }
}
