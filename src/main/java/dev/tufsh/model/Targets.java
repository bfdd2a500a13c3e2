package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/** targets.json or a delegated role: target files and optional delegations. */
public record Targets(
    String specVersion,
    int version,
    Expiry expires,
    Map<String, TargetFile> targets,
    Delegations delegations,
    Map<String, JsonNode> extras)
    implements Signed {
  public Targets {
    Checks.specVersion(specVersion);
    Checks.version(version);
    targets = CheckedPaths.of(targets);
    extras = Map.copyOf(extras);
  }

  /**
   * An immutable map of target paths each checked once ({@link Names#checkTargetPath}): a role
   * copied with a new version or expiry keeps it as is, instead of checking its every path again
   * (three times per bin in a large add, 6% of a PyPI-size build's CPU).
   */
  private static final class CheckedPaths extends java.util.AbstractMap<String, TargetFile> {
    private final Map<String, TargetFile> map;

    private CheckedPaths(Map<String, TargetFile> map) {
      this.map = map;
    }

    static Map<String, TargetFile> of(Map<String, TargetFile> targets) {
      if (targets instanceof CheckedPaths) {
        return targets; // immutable, and every path in it was checked when it was made
      }
      for (String path : targets.keySet()) {
        Names.checkTargetPath(path, "targets");
      }
      return new CheckedPaths(Map.copyOf(targets));
    }

    /** {@code checked} with {@code more} over it, checking only the paths of {@code more}. */
    static Map<String, TargetFile> merged(Map<String, TargetFile> checked, Map<String, TargetFile> more) {
      for (String path : more.keySet()) {
        Names.checkTargetPath(path, "targets");
      }
      Map<String, TargetFile> all = new java.util.HashMap<>(checked);
      all.putAll(more);
      return new CheckedPaths(Map.copyOf(all));
    }

    @Override
    public Set<Map.Entry<String, TargetFile>> entrySet() {
      return map.entrySet();
    }

    @Override
    public TargetFile get(Object key) {
      return map.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return map.containsKey(key);
    }

    @Override
    public int size() {
      return map.size();
    }

    @Override
    public Set<String> keySet() {
      return map.keySet();
    }

    @Override
    public java.util.Collection<TargetFile> values() {
      return map.values();
    }

    @Override
    public void forEach(java.util.function.BiConsumer<? super String, ? super TargetFile> action) {
      map.forEach(action);
    }
  }

  /** An empty role: no targets, no delegations. */
  public static Targets empty(Expiry expires) {
    return new Targets(SPEC_VERSION, 1, expires, Map.of(), null, Map.of());
  }

  @Override
  public RoleType type() {
    return RoleType.TARGETS;
  }

  @Override
  public Targets withVersion(int v) {
    return new Targets(specVersion, v, expires, targets, delegations, extras);
  }

  @Override
  public Targets withExpires(Expiry e) {
    return new Targets(specVersion, version, e, targets, delegations, extras);
  }

  public Targets withTargets(Map<String, TargetFile> t) {
    return new Targets(specVersion, version, expires, t, delegations, extras);
  }

  /** This role listing {@code more} too (a path listed already takes its new entry): only those paths are checked. */
  public Targets withTargetsAdded(Map<String, TargetFile> more) {
    return new Targets(specVersion, version, expires, CheckedPaths.merged(targets, more), delegations, extras);
  }

  public Targets withDelegations(Delegations d) {
    return new Targets(specVersion, version, expires, targets, d, extras);
  }
}
