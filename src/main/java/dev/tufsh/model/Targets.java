package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

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
    for (String path : targets.keySet()) {
      Names.checkTargetPath(path, "targets");
    }
    targets = Map.copyOf(targets);
    extras = Map.copyOf(extras);
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

  public Targets withDelegations(Delegations d) {
    return new Targets(specVersion, version, expires, targets, d, extras);
  }
}
