package dev.tufsh.ops;

import dev.tufsh.crypto.HashAlgorithm;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.KeyFacts;
import dev.tufsh.keys.KeyEntry;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.TargetFile;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.PublishedIndex;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.RoleKeys;
import dev.tufsh.repo.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks the repository as it would be published (staged changes over the published state)
 * against PEP 458's policy and common mistakes. Read only. Each finding carries a stable rule id,
 * so scripts and suppressions can name it; ids are never reused for another check.
 *
 * <p>The bins of one succinct delegation share their keys and threshold, so key and threshold
 * rules report them once, as a range ({@code bin-0000..bin-3fff}); every other targets role is
 * checked on its own.
 */
public final class Lint {
  public enum Severity { INFO, WARNING, ERROR }

  /** The rules, with their ids. An id keeps its meaning for ever; a retired rule's id is not reused. */
  public enum Rule {
    OFFLINE_ROLE_ONLINE_KEY("TUF-L001", Severity.ERROR),
    OFFLINE_KEY_SHARED("TUF-L002", Severity.WARNING),
    ROOT_THRESHOLD_ONE("TUF-L003", Severity.WARNING),
    THRESHOLD_ABOVE_KEYS("TUF-L004", Severity.ERROR),
    REFRESH_TOO_LATE("TUF-L005", Severity.ERROR),
    NO_OUTAGE_SLACK("TUF-L006", Severity.WARNING),
    WINDOW_COVERS_PERIOD("TUF-L007", Severity.WARNING),
    TOO_FEW_BINS("TUF-L008", Severity.WARNING),
    TOO_MANY_BINS("TUF-L009", Severity.WARNING),
    WEAK_HASH("TUF-L010", Severity.ERROR),
    NO_SHA256("TUF-L011", Severity.WARNING),
    RSA_TOO_SHORT("TUF-L012", Severity.ERROR),
    RSA_BELOW_3072("TUF-L013", Severity.WARNING);

    private final String id;
    private final Severity severity;

    Rule(String id, Severity severity) {
      this.id = id;
      this.severity = severity;
    }

    public String id() {
      return id;
    }

    public Severity severity() {
      return severity;
    }
  }

  /**
   * {@code cadence}: how often refresh runs (the shipped timer: every 15 minutes). {@code outage}:
   * how long refresh may be down (a freeze, an outage, a night without an answer) before an online
   * role must still not expire.
   */
  public record Request(Duration cadence, Duration outage) {}

  /** One problem: {@code key} is the key's name (or short id) when the rule is about a key, else null. */
  public record Finding(Rule rule, String role, String key, String problem, String fix) {
    public Severity severity() {
      return rule.severity();
    }
  }

  public record Result(List<Finding> findings, int roles, int targets) {
    public Result {
      findings = List.copyOf(findings);
    }

    public long count(Severity s) {
      return findings.stream().filter(f -> f.severity() == s).count();
    }
  }

  /**
   * PEP 458 sized its 16,384 bins for ~139 targets each and says to revisit the count when the
   * targets grow about tenfold; past that a bin file (fetched whole for any target in it) grows
   * past what the design assumed.
   */
  static final int MAX_TARGETS_PER_BIN = 1390;
  /** A bin count this many times the target count buys nothing but a larger snapshot. */
  static final int BINS_PER_TARGET = 10;
  static final int SMALL_BIN_COUNT = 256;
  static final Set<String> WEAK = Set.of("md5", "sha1", "sha224");
  static final int RSA_MIN = 2048;
  static final int RSA_RECOMMENDED = 3072;

  private Lint() {}

  public static Result run(Workbench bench, Request req) {
    Repository repo = bench.repository();
    Map<String, KeyEntry> stored = new HashMap<>();
    bench.keys().list().forEach(e -> stored.putIfAbsent(e.key().keyId(), e));
    List<Finding> out = new ArrayList<>();

    // One entry per distinct key set: each top-level role, and each group of roles one delegator
    // gives the same keys and threshold (the bins of a succinct or hash-prefix delegation).
    Map<String, RoleKeys> checked = new LinkedHashMap<>();
    Map<String, String> kinds = new HashMap<>();
    Map<String, List<String>> binsByParent = new LinkedHashMap<>();
    Map<String, List<String>> groups = new LinkedHashMap<>();
    Map<String, RoleKeys> groupKeys = new HashMap<>();
    Map<String, Set<String>> hashPrefixed = new HashMap<>();
    List<String> roles = repo.roleNames();
    for (String r : roles) {
      boolean bin = hashedBin(repo, r, hashPrefixed);
      String parent = repo.delegatorOf(r).orElse("");
      if (bin) {
        binsByParent.computeIfAbsent(parent, x -> new ArrayList<>()).add(r);
      }
      String group;
      if (RoleType.isTopLevel(r)) {
        group = r;
      } else if (repo.isBin(r)) {
        group = parent + "|succinct"; // one key set for all its bins: look it up once
      } else {
        RoleKeys keys = repo.keysFor(r);
        group = parent + "|" + bin + "|" + keys.threshold() + "|" + keys.role().keyids();
        groupKeys.putIfAbsent(group, keys);
      }
      groups.computeIfAbsent(group, x -> new ArrayList<>()).add(r);
      groupKeys.computeIfAbsent(group, x -> repo.keysFor(r));
      kinds.put(group, RoleType.isTopLevel(r) ? r : bin ? "bin" : "delegated");
    }
    groups.forEach((group, members) -> {
      String label = members.size() == 1 ? members.get(0) : members.get(0) + ".." + members.get(members.size() - 1);
      checked.put(label, groupKeys.get(group));
      kinds.put(label, kinds.get(group));
    });

    Map<String, Set<String>> rolesByKey = new TreeMap<>();
    checked.forEach((role, keys) -> keys.role().keyids().forEach(id ->
        rolesByKey.computeIfAbsent(id, x -> new TreeSet<>()).add(role)));
    keyRules(checked, kinds, rolesByKey, stored, out);
    thresholdRules(checked, out);
    expiryRules(repo.settings(), req, binsByParent.isEmpty(), out);
    int targets = targetRules(repo, roles, binsByParent, out);
    out.sort(Comparator.comparing((Finding f) -> f.severity()).reversed().thenComparing(f -> f.rule().id())
        .thenComparing(Finding::role));
    return new Result(out, roles.size(), targets);
  }

  /**
   * A hashed bin: a succinct delegation's role, or one delegated by {@code path_hash_prefixes}.
   * {@code byParent} caches each delegator's hash-prefix role names.
   */
  private static boolean hashedBin(Repository repo, String role, Map<String, Set<String>> byParent) {
    if (repo.isBin(role)) {
      return true;
    }
    if (RoleType.isTopLevel(role)) {
      return false;
    }
    String parent = repo.delegatorOf(role).orElse("");
    return byParent.computeIfAbsent(parent, p -> {
      Delegations d = repo.targets(p).map(Targets::delegations).orElse(null);
      Set<String> names = new java.util.HashSet<>();
      if (d != null && d.roles() != null) {
        d.roles().stream().filter(x -> x.pathHashPrefixes() != null).forEach(x -> names.add(x.name()));
      }
      return names;
    }).contains(role);
  }

  private static boolean online(String kind) {
    return Settings.ONLINE_KINDS.contains(kind);
  }

  private static void keyRules(Map<String, RoleKeys> checked, Map<String, String> kinds,
      Map<String, Set<String>> rolesByKey, Map<String, KeyEntry> stored, List<Finding> out) {
    Set<String> reported = new TreeSet<>();
    checked.forEach((role, keys) -> {
      for (String id : keys.role().keyids()) {
        String name = name(id, stored);
        Key key = keys.keys().get(id);
        if (key != null && reported.add(id)) {
          KeyFacts.rsaBits(key).ifPresent(bits -> {
            if (bits < RSA_MIN) {
              out.add(new Finding(Rule.RSA_TOO_SHORT, role, name, "RSA key of " + bits + " bits; clients refuse keys"
                  + " under " + RSA_MIN + " bits", "rotate " + role + " --old " + name + " --scheme ed25519"));
            } else if (bits < RSA_RECOMMENDED) {
              out.add(new Finding(Rule.RSA_BELOW_3072, role, name, "RSA key of " + bits + " bits; " + RSA_RECOMMENDED
                  + " is the size recommended beyond 2030", "rotate " + role + " --old " + name + " --scheme ed25519"));
            }
          });
        }
        if (online(kinds.get(role))) {
          continue;
        }
        List<String> onlineRoles = rolesByKey.get(id).stream().filter(r -> online(kinds.get(r))).toList();
        KeyEntry e = stored.get(id);
        if (!onlineRoles.isEmpty()) {
          out.add(new Finding(Rule.OFFLINE_ROLE_ONLINE_KEY, role, name, "offline role " + role + " trusts key "
              + name + ", which online role(s) " + String.join(", ", onlineRoles) + " also trust: whoever holds the"
              + " online host can sign " + role, "rotate " + role + " --old " + name + " --new <a key kept offline>"));
        } else if (e != null && e.backend().startsWith("vault:")) {
          out.add(new Finding(Rule.OFFLINE_ROLE_ONLINE_KEY, role, name, "offline role " + role + " trusts key "
              + name + ", held by an online signing service (" + e.backend().replaceFirst("\\?.*", "") + ")",
              "rotate " + role + " --old " + name + " --new <a key kept offline>"));
        }
        List<String> otherOffline = rolesByKey.get(id).stream()
            .filter(r -> !r.equals(role) && !online(kinds.get(r))).toList();
        if (!otherOffline.isEmpty() && role.compareTo(otherOffline.get(0)) < 0) {
          out.add(new Finding(Rule.OFFLINE_KEY_SHARED, role, name, "key " + name + " signs both " + role + " and "
              + String.join(", ", otherOffline) + ": one stolen key breaks both roles",
              "rotate " + otherOffline.get(0) + " --old " + name));
        }
      }
    });
  }

  private static void thresholdRules(Map<String, RoleKeys> checked, List<Finding> out) {
    checked.forEach((role, keys) -> {
      long usable = keys.role().keyids().stream().distinct()
          .filter(id -> keys.keys().get(id) != null && KeyFacts.usable(keys.keys().get(id))).count();
      int t = keys.threshold();
      if (t > usable) {
        out.add(new Finding(Rule.THRESHOLD_ABOVE_KEYS, role, null, role + " needs " + t + " signatures but trusts "
            + usable + " key(s) a client can use: it can never be signed", "rotate " + role + " --add-keys "
            + (t - usable)));
      }
      if (role.equals("root") && t < 2) {
        out.add(new Finding(Rule.ROOT_THRESHOLD_ONE, role, null, "root is signed by " + t + " of " + usable
            + " key(s): one lost or stolen key decides the root (PEP 458: t > 1)",
            "rotate root --add-keys " + Math.max(1, 3 - usable) + " --threshold 2"));
      }
    });
  }

  private static void expiryRules(Settings s, Request req, boolean noBins, List<Finding> out) {
    for (String kind : Settings.ONLINE_KINDS) {
      if (kind.equals("bin") && noBins) {
        continue;
      }
      Duration period = s.expiryOf(kind);
      Duration window = s.refreshWindowOf(kind);
      Duration slack = window.minus(req.cadence());
      String setting = "refresh_window." + kind;
      if (window.compareTo(period) >= 0) {
        out.add(new Finding(Rule.WINDOW_COVERS_PERIOD, kind, null, setting + " " + Check.human(window) + " is not"
            + " shorter than its expiry " + Check.human(period) + ": refresh re-signs every " + kind + " on every run",
            "set " + setting + " to half of expiry." + kind + " in .tufsh/settings.json"));
      }
      if (slack.isNegative() || slack.isZero()) {
        out.add(new Finding(Rule.REFRESH_TOO_LATE, kind, null, setting + " " + Check.human(window) + " is not"
            + " longer than the refresh cadence " + Check.human(req.cadence()) + ": a " + kind + " can expire"
            + " between two runs", "raise " + setting + " above " + Check.human(req.cadence().plus(req.outage()))));
      } else if (slack.compareTo(req.outage()) < 0) {
        out.add(new Finding(Rule.NO_OUTAGE_SLACK, kind, null, "if refresh stops, a " + kind + " expires within "
            + Check.human(slack) + " (" + setting + " " + Check.human(window) + " less the cadence "
            + Check.human(req.cadence()) + "), less than the " + Check.human(req.outage()) + " outage allowed for",
            "raise " + setting + " (or expiry." + kind + ") to at least "
            + Check.human(req.cadence().plus(req.outage()))));
      }
    }
  }

  /** Reads every targets role once: hash rules per target, bin sizing per succinct delegation. */
  private static int targetRules(Repository repo, List<String> roles, Map<String, List<String>> binsByParent,
      List<Finding> out) {
    if (!repo.settings().targetHashes().contains("sha256")) {
      out.add(new Finding(Rule.NO_SHA256, "settings", null, "target_hashes " + repo.settings().targetHashes()
          + " leaves out sha256, the one hash every client checks", "add sha256 to target_hashes in"
          + " .tufsh/settings.json"));
    }
    Map<String, Integer> counts = new java.util.concurrent.ConcurrentHashMap<>();
    List<String> targetsRoles = roles.stream().filter(r -> !RoleType.isTopLevel(r) || r.equals("targets")).toList();
    // The published index knows each unchanged role's target count: an empty one need not be read.
    Map<String, PublishedIndex.Entry> index = PublishedIndex.load(repo.workspace(), repo.published(), targetsRoles);
    List<Finding> found = java.util.Collections.synchronizedList(new ArrayList<>());
    targetsRoles.parallelStream().forEach(r -> {
      PublishedIndex.Entry e = index.get(r);
      if (e != null && e.targets() == 0 && !repo.isStaged(r)) {
        counts.put(r, 0);
        return;
      }
      repo.targets(r).ifPresent(t -> {
        counts.put(r, t.targets().size());
        hashRules(r, t, found);
      });
    });
    out.addAll(found);
    binsByParent.forEach((parent, bins) -> {
      long inBins = bins.stream().mapToLong(b -> counts.getOrDefault(b, 0)).sum();
      String label = parent + "'s " + bins.size() + " bins";
      if (inBins > (long) MAX_TARGETS_PER_BIN * bins.size()) {
        long want = Math.min(65536, Long.highestOneBit(Math.max(1, inBins / 139)));
        out.add(new Finding(Rule.TOO_FEW_BINS, parent, null, label + " hold " + inBins + " targets, "
            + inBins / bins.size() + " a bin: more than ten times PEP 458's design point of ~139",
            "reshape --bins " + want));
      } else if (inBins > 0 && bins.size() > SMALL_BIN_COUNT && bins.size() > BINS_PER_TARGET * inBins) {
        long want = Math.max(1, Long.highestOneBit(Math.max(1, inBins / 139)));
        out.add(new Finding(Rule.TOO_MANY_BINS, parent, null, label + " hold only " + inBins + " targets: every"
            + " client fetches a snapshot listing all " + bins.size() + " bins",
            "reshape --bins " + Math.max(want, 16)));
      }
    });
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static void hashRules(String role, Targets t, List<Finding> out) {
    List<String> weak = new ArrayList<>();
    List<String> noSha256 = new ArrayList<>();
    for (Map.Entry<String, TargetFile> e : new TreeMap<>(t.targets()).entrySet()) {
      Set<String> algs = e.getValue().hashes().keySet();
      if (algs.stream().anyMatch(a -> WEAK.contains(a.toLowerCase(Locale.ROOT)) || HashAlgorithm.byName(a).isEmpty())) {
        weak.add(e.getKey() + " " + algs.stream().filter(a -> HashAlgorithm.byName(a).isEmpty()).sorted().toList());
      }
      if (!algs.contains("sha256")) {
        noSha256.add(e.getKey());
      }
    }
    if (!weak.isEmpty()) {
      out.add(new Finding(Rule.WEAK_HASH, role, null, weak.size() + " target(s) list a weak or unknown hash, first "
          + weak.get(0) + " (clients check sha256, sha512 or blake2b-256 only)",
          "target add --if-exists replace " + weak.get(0).replaceFirst(" .*", "") + " ... to list sha256 and sha512"));
    }
    if (!noSha256.isEmpty()) {
      out.add(new Finding(Rule.NO_SHA256, role, null, noSha256.size() + " target(s) lack sha256, first "
          + noSha256.get(0) + " (the one hash every client checks)",
          "target add --if-exists replace --path " + noSha256.get(0) + " ... --sha256 HEX"));
    }
  }

  private static String name(String keyId, Map<String, KeyEntry> stored) {
    KeyEntry e = stored.get(keyId);
    return e != null ? e.name() : keyId.substring(0, Math.min(12, keyId.length()));
  }
}
