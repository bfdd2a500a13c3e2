package dev.tufsh.trust;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.TufshException;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.MetaFile;
import dev.tufsh.model.Overlay;
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
 *
 * <p>A role that delegates nothing and that {@link KnownRoles} already vouches for, at the version
 * snapshot names, under a delegation with the same {@link ScopeDigest}s (target scope and keys)
 * and matching whatever length and hashes snapshot gives, is accepted without being read (a
 * publish changing one bin of 16 384 reads one). Its expiry is still judged against now. A renewal
 * of such a role under the same target scope, whatever its keys are now, is checked as a renewal
 * ({@link RenewedLeaf}): the daily job's bins and the incident's alike. A role reached by more than
 * one chain of delegations is always read.
 *
 * <p>Unless told to keep them, a role that delegates nothing is checked whole as soon as it is
 * read (threshold, version, expiry, the scope of every target it lists, its target files when a
 * source is given) and then dropped, so memory holds the roles in flight, not the repository.
 */
final class DelegationWalk {
  static final String TOP = "targets";

  private final Decoded<Snapshot> snapshot;
  private final boolean consistent;
  private final MetadataSource meta;
  private final Instant now;
  private final KnownRoles known;
  private final boolean keepLeaves;
  /** Whether {@link #leaves} record each file's SHA-256 (null otherwise). */
  private final boolean digests;
  /** Where target files are read from when leaves are checked as they are read; null: not checked. */
  private final TargetSource files;
  /** Targets listed, and target files checked, by each role checked and dropped. */
  private final Map<String, Integer> listedBy = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Integer> filesBy = new java.util.concurrent.ConcurrentHashMap<>();
  /** Roles that delegate nothing, accepted from {@link #known} or checked whole and dropped. */
  private final Map<String, Edge> accepted = new java.util.concurrent.ConcurrentHashMap<>();
  /** What was established about every role that delegates nothing, read or accepted. */
  private final Map<String, KnownRole> leaves = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<String> order = new ArrayList<>();
  /** The edge by which each delegating role was reached (its digests are those of the chain below it). */
  private final Map<String, Edge> reachedBy = new HashMap<>();
  /** Verified roles in the order they were reached (breadth first, delegation order). */
  private final Map<String, Decoded<Targets>> roles = new LinkedHashMap<>();
  private final Map<String, List<Edge>> incoming = new HashMap<>();
  private final Map<String, List<Edge>> outgoing = new HashMap<>();
  /** Signatures checked in this walk: 16,384 empty bins carry one, verified once. */
  private final RepeatedSignatures signatures = new RepeatedSignatures();

  /** An earlier walk's word for one succinct delegation's bins (see {@link SettledBins}); null: none. */
  private SettledBins settledIn;
  /** Whether to make a {@link SettledBins} of this walk for the next one. */
  private boolean settling;
  /** Once {@link #settledIn} is taken: its delegator, bins, and the bins walked all the same. */
  private String settledBy;
  private SuccinctRoles settledOf;
  private Set<String> settledWalked = Set.of();
  /** The succinct delegation whose bins a {@link SettledBins} of this walk describes. */
  private String succinctBy;
  private SuccinctRoles succinctOf;
  private String succinctScope;
  private int succinctDelegations;

  DelegationWalk(Decoded<Snapshot> snapshot, boolean consistent, MetadataSource meta, Instant now, KnownRoles known,
      boolean keepLeaves, boolean digests, TargetSource files) {
    this.snapshot = snapshot;
    this.consistent = consistent;
    this.meta = meta;
    this.now = now;
    this.known = known;
    this.keepLeaves = keepLeaves;
    this.digests = digests;
    this.files = files;
  }

  /**
   * Builds on {@code previous} (may be null) and makes a {@link SettledBins} of this walk for the
   * next: a publish's walk, which keeps no leaves and checks no target files.
   */
  DelegationWalk settling(SettledBins previous) {
    this.settling = !keepLeaves && files == null;
    this.settledIn = settling ? previous : null;
    return this;
  }

  /** Bins accepted on {@link #settledIn}'s word, not walked. */
  int settledCount() {
    return settledBy == null ? 0 : (int) settledOf.binCount() - settledWalked.size();
  }

  /** Targets listed by the roles checked and dropped as they were read. */
  int listedByDropped() {
    return listedBy.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Target files checked for the roles checked and dropped as they were read. */
  int filesByDropped() {
    return filesBy.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Facts about every role that delegates nothing, whether read now or accepted as known or settled. */
  Map<String, KnownRole> leaves() {
    return settledBy == null ? leaves : Overlay.of(settledIn.facts, Map.copyOf(leaves));
  }

  /**
   * What the next walk may take of this one's bins: when one succinct delegation, by a role that a
   * single chain reaches from the top, had every bin accepted as a leaf, reached by no other role.
   */
  SettledBins settled() {
    if (!settling || succinctBy == null || succinctDelegations != 1 || !singleChain(succinctBy)
        || reachedOtherwise(succinctOf, succinctBy)) {
      return null;
    }
    Map<String, KnownRole> bins = new HashMap<>();
    Expiry earliest = settledBy != null ? settledIn.earliest : null;
    for (Map.Entry<String, KnownRole> e : leaves.entrySet()) {
      if (succinctOf.isBin(e.getKey())) {
        bins.put(e.getKey(), e.getValue());
        earliest = earlier(earliest, e.getValue().expires());
      }
    }
    Map<String, KnownRole> facts = settledBy != null ? Overlay.of(settledIn.facts, bins) : Map.copyOf(bins);
    if (facts.size() != succinctOf.binCount() || earliest == null) {
      return null; // a bin kept as a role (it delegates, or lists a target another chain covers)
    }
    return new SettledBins(succinctBy, succinctScope, snapshot.signed().meta(), facts, earliest);
  }

  private static Expiry earlier(Expiry a, Expiry b) {
    return a == null || b.instant().isBefore(a.instant()) ? b : a;
  }

  /** Whether any bin of {@code s} other than those walked is reached by an edge (from another role). */
  private boolean reachedOtherwise(SuccinctRoles s, String by) {
    for (Map.Entry<String, List<Edge>> e : incoming.entrySet()) {
      if (s.isBin(e.getKey())) {
        for (Edge in : e.getValue()) {
          if (!in.delegator().equals(by)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Every role reached, top-level targets first, in the order the walk reached them. */
  List<String> order() {
    return order;
  }

  /** The version of a role reached: from its metadata, or from the facts it was accepted on. */
  int version(String role) {
    Decoded<Targets> d = roles.get(role);
    return d != null ? d.signed().version() : leaves.get(role).version();
  }

  Map<String, Decoded<Targets>> roles() {
    return roles;
  }

  Map<String, List<Edge>> incoming() {
    return incoming;
  }

  /**
   * Walks from {@code top}; false when bins were settled (see {@link #settling}) but the walk found
   * that their delegator is reached by more than one chain, or a bin by another role: then nothing
   * it established counts, and the caller walks again without {@link SettledBins}.
   */
  boolean run(Decoded<Targets> top) {
    interruption = Interruption.ofCurrentThread();
    roles.put(TOP, top);
    order.add(TOP);
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
      interruption.check(checked() + " roles checked, " + outcomes.stream().filter(o -> o == SKIPPED).count()
          + " not yet");
      List<String> next = new ArrayList<>(outcomes.size());
      for (Outcome o : outcomes) {
        if (o.error != null) {
          throw o.error;
        }
        if (o.role == null) {
          continue; // accepted as known, or checked whole: it delegates nothing
        }
        roles.put(o.name, o.role);
        next.add(o.name);
      }
      for (Edge e : first) {
        reachedBy.putIfAbsent(e.child(), e);
        order.add(e.child());
      }
      frontier = next;
    }
    if (settledBy != null && (!singleChain(settledBy) || reachedOtherwise(settledOf, settledBy))) {
      return false;
    }
    readAcceptedWithSeveralChains();
    Cycles.check(outgoing, roles);
    for (Edge e : again) {
      Checks.threshold(roles.get(e.child()), e.child(), e.keys(), e.role(), "of delegator '" + e.delegator() + "'",
          signatures);
    }
    return true;
  }

  /**
   * Known roles were accepted on the strength of one chain's digest; where another delegator, or
   * another chain above, also reaches them, the file is read and checked like any other.
   */
  private void readAcceptedWithSeveralChains() {
    // Whether a delegator is reached from the top by one chain only: 16,384 bins share one.
    Map<String, Boolean> singleAbove = new HashMap<>();
    for (String name : new ArrayList<>(accepted.keySet())) {
      List<Edge> in = incoming.getOrDefault(name, List.of());
      boolean single = in.size() == 1 && singleAbove.computeIfAbsent(in.get(0).delegator(), this::singleChain);
      if (!single) {
        Edge e = accepted.remove(name);
        listedBy.remove(name);
        filesBy.remove(name);
        roles.put(name, read(e));
      }
    }
  }

  /** Whether {@code role} is the top or reached from it by exactly one chain of single delegations. */
  private boolean singleChain(String role) {
    Set<String> seen = new HashSet<>();
    while (!role.equals(TOP) && seen.add(role)) {
      List<Edge> in = incoming.getOrDefault(role, List.of());
      if (in.size() != 1) {
        return false;
      }
      role = in.get(0).delegator();
    }
    return role.equals(TOP);
  }

  private List<Edge> edgesOf(String name, Decoded<Targets> d) {
    Delegations del = d.signed().delegations();
    if (del == null) {
      return List.of();
    }
    Edge above = reachedBy.get(name);
    String parentScope = above == null ? "" : above.scope();
    String parentKeys = above == null ? "" : above.keyDigest();
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
      // Interned: each bin's known scope (from an index read or written in this process, interned
      // alike) is then compared by identity first, not 64 characters 16,384 times.
      String scope = ScopeDigest.scope(parentScope, name, null, s).intern();
      String keys = ScopeDigest.keys(parentKeys, scope, del.keys(), s.keyids(), s.threshold()).intern();
      succinctDelegations++;
      succinctBy = name;
      succinctOf = s;
      // Settled bins were accepted under these keys too: the key digest covers the scope and the keys.
      succinctScope = keys;
      List<String> walked = settle(name, keys, s);
      if (walked != null) {
        for (String bin : walked) {
          out.add(new Edge(name, bin, del.keys(), role, null, s, s.indexOf(bin), scope, keys));
        }
        return out;
      }
      List<String> bins = s.roleNames();
      for (int i = 0; i < bins.size(); i++) {
        out.add(new Edge(name, bins.get(i), del.keys(), role, null, s, i, scope, keys));
      }
    } else {
      for (DelegatedRole r : del.roles()) {
        String scope = ScopeDigest.scope(parentScope, name, r, null);
        out.add(new Edge(name, r.name(), del.keys(), new Role(r.keyids(), r.threshold()), r, null, -1, scope,
            ScopeDigest.keys(parentKeys, scope, del.keys(), r.keyids(), r.threshold())));
      }
    }
    return out;
  }

  /**
   * The bins of {@code s} to walk when {@link #settledIn} speaks for this delegation, in bin order:
   * those whose snapshot entry may differ from the one it was settled on; null (walk every bin)
   * when it does not speak for it. Sound because every other bin's entry is the very entry the
   * earlier walk accepted, under a delegation with the same scope digest (keys, threshold, bins and
   * the chain above), and no fact it kept expires before now; the earlier walk did not read those
   * files either, but took them from the verified index as this walk would ({@link #load0}).
   */
  private List<String> settle(String name, String scope, SuccinctRoles s) {
    SettledBins in = settledIn;
    if (in == null || settledBy != null || !name.equals(in.delegator) || !scope.equals(in.scope)
        || in.earliest.isExpiredAt(now)) {
      return null;
    }
    Set<String> files = Overlay.differing(in.snapshotMeta, snapshot.signed().meta());
    if (files == null) {
      return null;
    }
    List<String> walked = new ArrayList<>();
    for (String f : files) {
      String bin = f.endsWith(".json") ? f.substring(0, f.length() - ".json".length()) : null;
      if (bin != null && s.isBin(bin)) {
        walked.add(bin);
      }
    }
    walked.sort(java.util.Comparator.comparingLong(s::indexOf));
    settledBy = name;
    settledOf = s;
    settledWalked = Set.copyOf(walked);
    return walked;
  }

  private record Outcome(String name, Decoded<Targets> role, TufshException error) {}

  /** A part not started because an interrupt came first. */
  private static final Outcome SKIPPED = new Outcome(null, null, null);

  /** Whose interrupt stops the walk: the thread that runs it. */
  private Interruption interruption;

  /** Roles checked so far (for the message of an interrupted walk). */
  private int checked() {
    return roles.size() + accepted.size() + settledCount();
  }

  private Outcome load(Edge e) {
    if (interruption.requested()) {
      return SKIPPED;
    }
    try {
      return new Outcome(e.child(), load0(e), null);
    } catch (TufshException x) {
      return new Outcome(e.child(), null, x);
    }
  }

  /** The role's file read and verified, or null when it is accepted as known or checked whole. */
  private Decoded<Targets> load0(Edge e) {
    MetaFile entry = entryOf(e);
    KnownRole k = known.get(e.child());
    if (k != null && vouches(k, entry, e)) {
      String file = FileNames.metadata(e.child(), entry.version(), consistent);
      // 5.6.5 still applies: what was verified yesterday may have expired since.
      if (k.expires().isExpiredAt(now)) {
        throw new VerificationError(file, e.child(), "expired at " + k.expires().text());
      }
      accepted.put(e.child(), e);
      leaves.put(e.child(), k);
      return null;
    }
    if (k != null && consistent && !keepLeaves && files == null && k.version() < entry.version()
        && k.scope().equals(e.scope())) {
      // A renewal of the role verified before, under this same target scope: its signatures are
      // checked against this delegation's keys, which may have changed since (see RenewedLeaf).
      String file = FileNames.metadata(e.child(), entry.version(), consistent);
      byte[] bytes = meta.read(file).orElse(null);
      byte[] before = meta.read(FileNames.metadata(e.child(), k.version(), consistent)).orElse(null);
      var renewed = bytes == null ? java.util.Optional.<RenewedLeaf.Accepted>empty()
          : RenewedLeaf.check(bytes, before, k, e, entry, now, signatures);
      if (renewed.isPresent()) {
        leaves.put(e.child(), renewed.get().leaf());
        listedBy.put(e.child(), renewed.get().targets());
        accepted.put(e.child(), e);
        return null;
      }
    }
    byte[] bytes = bytesOf(e, entry);
    if (!keepLeaves && files == null) {
      // Checked from its bytes when they are in the one canonical layout read so; else decoded below.
      var scanned = ScannedLeaf.check(bytes, e, entry, now, incoming, signatures, digests);
      if (scanned.isPresent()) {
        leaves.put(e.child(), scanned.get().leaf());
        listedBy.put(e.child(), scanned.get().targets());
        accepted.put(e.child(), e);
        return null;
      }
    }
    Decoded<Targets> d = read(e, entry, bytes);
    if (keepLeaves || d.signed().delegations() != null || !inScope(e.child(), d)) {
      return d; // kept; a target out of this chain's scope may be in another's: decided after the walk
    }
    if (files != null) {
      filesBy.put(e.child(), TargetFiles.check(Map.of(e.child(), d), files, consistent, interruption));
    }
    listedBy.put(e.child(), d.signed().targets().size());
    accepted.put(e.child(), e);
    return null;
  }

  private boolean inScope(String name, Decoded<Targets> d) {
    for (String path : d.signed().targets().keySet()) {
      if (!DelegationScope.permitted(name, path, incoming)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code k} describes exactly the file snapshot names, under this delegation. */
  private static boolean vouches(KnownRole k, MetaFile entry, Edge e) {
    if (k.version() != entry.version() || !k.scope().equals(e.scope()) || !k.keyDigest().equals(e.keyDigest())) {
      return false;
    }
    if (entry.length() != null && entry.length() != k.length()) {
      return false;
    }
    if (entry.hashes() != null) {
      for (var h : entry.hashes().entrySet()) {
        if (!h.getKey().equals("sha256") || !h.getValue().equals(k.sha256())) {
          return false; // read it: the full check names what differs
        }
      }
    }
    return true;
  }

  private MetaFile entryOf(Edge e) {
    MetaFile entry = snapshot.signed().entry(e.child());
    if (entry == null) {
      throw new VerificationError(
          snapshot.file(), e.child(), "delegated by '" + e.delegator() + "' but not listed in snapshot meta");
    }
    return entry;
  }

  private Decoded<Targets> read(Edge e) {
    MetaFile entry = entryOf(e);
    return read(e, entry, bytesOf(e, entry));
  }

  /** The role's file (5.6.1: V.NAME.json, V from snapshot) once its length and hashes match snapshot's (5.6.2). */
  private byte[] bytesOf(Edge e, MetaFile entry) {
    String name = e.child();
    String file = FileNames.metadata(name, entry.version(), consistent);
    byte[] bytes = meta.read(file).orElseThrow(
        () -> new VerificationError(file, name, "delegated by '" + e.delegator() + "' but the file is missing"));
    Checks.lengthAndHashes(bytes, entry, file, name, "snapshot");
    return bytes;
  }

  /** {@code bytes}, the role's file as {@link #bytesOf} gave it, decoded and verified. */
  private Decoded<Targets> read(Edge e, MetaFile entry, byte[] bytes) {
    String name = e.child();
    String file = FileNames.metadata(name, entry.version(), consistent);
    Decoded<Targets> d = Decoded.of(bytes, file, name, Targets.class);
    // 5.6.3: a threshold of the keys the delegator gives this role.
    Checks.threshold(d, name, e.keys(), e.role(), null, signatures);
    // 5.6.4: the version snapshot names.
    Checks.version(d, name, entry.version(), "snapshot");
    // 5.6.5: not expired.
    Checks.notExpired(d, name, now);
    if (d.signed().delegations() == null) {
      leaves.put(name, new KnownRole(entry.version(), bytes.length, digests ? Hex.encode(Crypto.sha256(bytes)) : null,
          d.signed().expires(), e.scope(), e.keyDigest()));
    }
    return d;
  }
}
