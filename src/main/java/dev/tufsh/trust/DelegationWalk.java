package dev.tufsh.trust;

import dev.tufsh.errors.TufshException;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.MetaFile;
import dev.tufsh.model.Role;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.SuccinctRoles;
import dev.tufsh.model.Targets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spec 5.6.7 for a whole repository: every role reachable from top-level targets is fetched by the
 * version snapshot gives and verified once, level by level, each level in parallel (a 16 384-bin
 * repository is one level of 16 384 independent files). Unlike a client looking up one target it
 * visits every delegation, not only those that match a path.
 */
final class DelegationWalk {
  static final String TOP = "targets";

  private final Decoded<Snapshot> snapshot;
  private final boolean consistent;
  private final MetadataSource meta;
  private final Instant now;
  /** Verified roles in the order they were reached (breadth first, delegation order). */
  private final Map<String, Decoded<Targets>> roles = new LinkedHashMap<>();
  private final Map<String, List<Edge>> incoming = new HashMap<>();
  private final Map<String, List<Edge>> outgoing = new HashMap<>();

  DelegationWalk(Decoded<Snapshot> snapshot, boolean consistent, MetadataSource meta, Instant now) {
    this.snapshot = snapshot;
    this.consistent = consistent;
    this.meta = meta;
    this.now = now;
  }

  Map<String, Decoded<Targets>> roles() {
    return roles;
  }

  Map<String, List<Edge>> incoming() {
    return incoming;
  }

  void run(Decoded<Targets> top) {
    roles.put(TOP, top);
    List<Edge> again = new ArrayList<>();
    List<String> frontier = List.of(TOP);
    while (!frontier.isEmpty()) {
      List<Edge> first = new ArrayList<>();
      Set<String> scheduled = new HashSet<>();
      for (String name : frontier) {
        List<Edge> out = edgesOf(name, roles.get(name));
        outgoing.put(name, out);
        for (Edge e : out) {
          incoming.computeIfAbsent(e.child(), k -> new ArrayList<>()).add(e);
          // Each role is verified once; a second delegator's keys are checked after the walk.
          if (roles.containsKey(e.child()) || !scheduled.add(e.child())) {
            again.add(e);
          } else {
            first.add(e);
          }
        }
      }
      List<Outcome> outcomes = first.parallelStream().map(this::load).toList();
      List<String> next = new ArrayList<>(outcomes.size());
      for (Outcome o : outcomes) {
        if (o.error != null) {
          throw o.error;
        }
        roles.put(o.name, o.role);
        next.add(o.name);
      }
      frontier = next;
    }
    Cycles.check(outgoing, roles);
    for (Edge e : again) {
      Checks.threshold(
          roles.get(e.child()), e.child(), e.keys(), e.role(), "of delegator '" + e.delegator() + "'");
    }
  }

  private List<Edge> edgesOf(String name, Decoded<Targets> d) {
    Delegations del = d.signed().delegations();
    if (del == null) {
      return List.of();
    }
    List<Edge> out = new ArrayList<>();
    if (del.succinctRoles() != null) {
      SuccinctRoles s = del.succinctRoles();
      // Refuse before allocating names: every bin must be in snapshot, so snapshot bounds the count.
      if (s.binCount() > snapshot.signed().meta().size()) {
        throw new VerificationError(
            d.file(), name,
            "succinct_roles delegates " + s.binCount() + " bins but snapshot lists only "
                + snapshot.signed().meta().size() + " files");
      }
      Role role = new Role(s.keyids(), s.threshold());
      for (String bin : s.roleNames()) {
        out.add(new Edge(name, bin, del.keys(), role, null, s));
      }
    } else {
      for (DelegatedRole r : del.roles()) {
        out.add(new Edge(name, r.name(), del.keys(), new Role(r.keyids(), r.threshold()), r, null));
      }
    }
    return out;
  }

  private record Outcome(String name, Decoded<Targets> role, TufshException error) {}

  private Outcome load(Edge e) {
    try {
      return new Outcome(e.child(), load0(e), null);
    } catch (TufshException x) {
      return new Outcome(e.child(), null, x);
    }
  }

  private Decoded<Targets> load0(Edge e) {
    String name = e.child();
    String by = "delegated by '" + e.delegator() + "' but ";
    MetaFile entry = snapshot.signed().entry(name);
    if (entry == null) {
      throw new VerificationError(snapshot.file(), name, by + "not listed in snapshot meta");
    }
    // 5.6.1 for a delegated role: V.NAME.json, V from snapshot.
    String file = FileNames.metadata(name, entry.version(), consistent);
    byte[] bytes =
        meta.read(file).orElseThrow(() -> new VerificationError(file, name, by + "the file is missing"));
    // 5.6.2: length and hashes from snapshot, if given.
    Checks.lengthAndHashes(bytes, entry, file, name, "snapshot");
    Decoded<Targets> d = Decoded.of(bytes, file, name, Targets.class);
    // 5.6.3: a threshold of the keys the delegator gives this role.
    Checks.threshold(d, name, e.keys(), e.role(), null);
    // 5.6.4: the version snapshot names.
    Checks.version(d, name, entry.version(), "snapshot");
    // 5.6.5: not expired.
    Checks.notExpired(d, name, now);
    return d;
  }
}
