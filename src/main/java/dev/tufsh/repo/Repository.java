package dev.tufsh.repo;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Signer;
import dev.tufsh.crypto.SignerResolver;
import dev.tufsh.errors.UsageError;
import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.model.Delegations;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Role;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Root;
import dev.tufsh.model.Signature;
import dev.tufsh.model.Signed;
import dev.tufsh.model.SignedSplice;
import dev.tufsh.model.SuccinctRoles;
import dev.tufsh.model.Targets;
import dev.tufsh.trust.KnownRole;
import dev.tufsh.trust.KnownRoles;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A workspace as the operations see it: the published state with the staged changes laid over
 * it. Every change goes through {@link #stage}, which gives the role its next version and signs it
 * with whatever keys are at hand; nothing here writes to {@code metadata/}.
 */
public final class Repository {
  private final Workspace ws;
  private final PublishedState published;
  private final Staging staging;
  private final SignerResolver signers;
  private final Clock clock;
  private final Settings settings;
  private DelegationIndex index;
  private Progress progress = Progress.NONE;

  private Repository(Workspace ws, SignerResolver signers, Clock clock) {
    this.ws = ws;
    this.published = new PublishedState(ws.metadataDir());
    this.staging = Staging.load(ws.stagedDir());
    this.signers = signers;
    this.clock = clock;
    this.settings = ws.settings();
  }

  public static Repository open(Workspace ws, SignerResolver signers, Clock clock) {
    Repository r = new Repository(ws, signers, clock);
    r.dropPublished();
    return r;
  }

  /**
   * Forgets staged roles whose version is already published: a publish killed after writing
   * timestamp.json but before clearing the staging area left them behind.
   */
  private void dropPublished() {
    boolean any = false;
    // The versions come from the staging log's headers: nothing is decoded to learn them.
    for (String role : staging.roles().keySet()) {
      if (staging.version(role) <= publishedVersion(role)) {
        staging.remove(role);
        any = true;
      }
    }
    if (any) {
      staging.save();
    }
  }

  public Workspace workspace() {
    return ws;
  }

  private final Map<String, com.fasterxml.jackson.databind.JsonNode> timestampExtras = new java.util.TreeMap<>();

  /**
   * Sets a member the next timestamp carries beside its standard ones (the audit log's head, so
   * what clients cache anchors the log). Clients keep unknown members and verify them signed.
   */
  public Repository timestampExtra(String key, com.fasterxml.jackson.databind.JsonNode value) {
    timestampExtras.put(key, value);
    return this;
  }

  Map<String, com.fasterxml.jackson.databind.JsonNode> timestampExtras() {
    return timestampExtras;
  }

  /** Where long work reports progress (only batches of 256 or more are reported). */
  public Repository progress(Progress p) {
    this.progress = p;
    return this;
  }

  public PublishedState published() {
    return published;
  }

  public Staging staging() {
    return staging;
  }

  public Settings settings() {
    return settings;
  }

  public Clock clock() {
    return clock;
  }

  public Instant now() {
    return clock.instant();
  }

  public SignerResolver signers() {
    return signers;
  }

  // ------------------------------------------------------------------ reading

  /** The root as it would be published: staged if changed, else published. */
  public Root root() {
    Metadata<? extends Signed> s = staging.role("root");
    if (s != null) {
      return (Root) s.signed();
    }
    return published.root().map(m -> handedOut("root", Source.HELD, m).signed())
        .orElseThrow(() -> new WorkspaceError(ws.root() + " has no root metadata yet (run 'init')"));
  }

  /** A targets-type role as it would be published, if it exists. */
  public Optional<Targets> targets(String role) {
    return targets(role, true);
  }

  /**
   * {@code content}: whether a change may carry what is read (see {@link #requireUntampered});
   * the delegation graph is read without, as structure.
   */
  private Optional<Targets> targets(String role, boolean content) {
    Metadata<? extends Signed> s = staging.role(role);
    if (s != null && s.signed() instanceof Targets t) {
      return Optional.of(t);
    }
    return published.targetsRead(role).map(r -> (content ? handedOut(role, r) : r.metadata()).signed());
  }

  /**
   * As {@link #targets}, decoded for one look and not kept (see {@link Staging#decodeOnce}): for
   * changes that stream over many roles in bounded memory.
   */
  public Optional<Targets> targetsOnce(String role) {
    Metadata<? extends Signed> s = staging.decodeOnce(role);
    if (s != null && s.signed() instanceof Targets t) {
      return Optional.of(t);
    }
    // leaves are held only in its bounded cache
    return published.targetsRead(role).map(r -> handedOut(role, r).signed());
  }

  public Targets requireTargets(String role) {
    return targets(role).orElseThrow(() -> new UsageError("unknown role '" + role + "'"));
  }

  /** The metadata of any role as it would be published (with signatures so far). */
  public Optional<Metadata<? extends Signed>> metadata(String role) {
    Metadata<? extends Signed> s = staging.role(role);
    if (s != null) {
      return Optional.of(s);
    }
    return switch (role) {
      case "root" -> published.root().map(m -> handedOut(role, Source.HELD, m));
      case "timestamp" -> published.timestamp().map(m -> handedOut(role, Source.HELD, m));
      case "snapshot" -> published.snapshot().map(m -> handedOut(role, Source.HELD, m));
      default -> published.targetsRead(role).map(r -> handedOut(role, r));
    };
  }

  /** The version of {@code role} that clients have now (0: never published). */
  public int publishedVersion(String role) {
    return switch (role) {
      case "root" -> published.root().map(m -> m.signed().version()).orElse(0);
      case "timestamp" -> published.timestamp().map(m -> m.signed().version()).orElse(0);
      case "snapshot" -> published.snapshot().map(m -> m.signed().version()).orElse(0);
      default -> published.version(role);
    };
  }

  public boolean isStaged(String role) {
    return staging.has(role);
  }

  /** Every role: the four top-level roles, then delegated roles in delegation order. */
  public List<String> roleNames() {
    List<String> out = new ArrayList<>(List.of("root", "targets", "snapshot", "timestamp"));
    out.addAll(index().order());
    return out;
  }

  /** How many roles {@link #roleNames} lists, counted without naming the bins (16,384 names an upload threw away). */
  public long roleCount() {
    return 4 + index().count();
  }

  /**
   * {@code roles} (delegated roles) in the order {@link #roleNames} lists them, without listing every
   * bin: a plan of one upload orders its one bin, not 16,384 names. Roles not delegated come last.
   */
  public List<String> inDelegationOrder(java.util.Collection<String> roles) {
    DelegationIndex ix = index();
    List<String> out = new ArrayList<>(roles);
    out.sort(java.util.Comparator.comparingLong(ix::position).thenComparing(java.util.Comparator.naturalOrder()));
    return out;
  }

  /** The delegated roles that are hashed bins of a succinct delegation. */
  public boolean isBin(String role) {
    return index().succinctParentOf(role) != null;
  }

  /** Who delegates to {@code role}: "root" for top-level roles. */
  public Optional<String> delegatorOf(String role) {
    if (RoleType.isTopLevel(role)) {
      return Optional.of("root");
    }
    return Optional.ofNullable(index().parentOf(role));
  }

  /** The keys and threshold {@code role}'s delegator sets for it. */
  public RoleKeys keysFor(String role) {
    if (RoleType.isTopLevel(role)) {
      Root r = root();
      RoleType t = RoleType.fromWire(role).orElseThrow();
      return new RoleKeys(r.keysOf(t), r.role(t));
    }
    String parent = delegatorOf(role).orElseThrow(() -> new UsageError("unknown role '" + role + "'"));
    Delegations d = requireTargets(parent).delegations();
    Role r = d.roleFor(role).orElseThrow(() -> new UsageError("unknown role '" + role + "'"));
    return roleKeys(d, r);
  }

  /** The keys {@code d} gives role {@code r} (null for an id it lists without a key), and its threshold. */
  private static RoleKeys roleKeys(Delegations d, Role r) {
    Map<String, Key> keys = new HashMap<>();
    for (String id : r.keyids()) {
      keys.put(id, d.keys().get(id));
    }
    return new RoleKeys(keys, r);
  }

  /**
   * Keys whose signatures {@code role} needs: for root, those of the published root and of the new
   * one (clients check both thresholds when they walk the chain).
   */
  public Map<String, Key> signingKeys(String role) {
    Map<String, Key> keys = new LinkedHashMap<>(keysFor(role).keys());
    if (role.equals("root")) {
      published.root().ifPresent(r -> keys.putAll(r.signed().keysOf(RoleType.ROOT)));
    }
    return keys;
  }

  /** The kind of role for expiry periods: root, targets, snapshot, timestamp, bin or delegated. */
  public String kindOf(String role) {
    if (RoleType.isTopLevel(role)) {
      return role;
    }
    return isBin(role) ? "bin" : "delegated";
  }

  /** The expiry a role gets when it is signed now: now plus its kind's period. */
  public Expiry freshExpiry(String role) {
    return Expiry.at(now().plus(settings.expiryOf(kindOf(role))));
  }

  // ------------------------------------------------------------------ staging

  /**
   * The version a change to {@code role} publishes as: one past what clients have, and past every
   * version ever published (a restored {@code metadata/} must not reuse a number clients hold).
   */
  public int nextVersion(String role) {
    // A staged role's version is in the staging log's header: nothing is decoded to learn it.
    return staging.has(role) ? staging.version(role) : Math.max(publishedVersion(role), highWater().mark(role)) + 1;
  }

  private HighWaterMark highWater;

  /** The highest versions ever published, which publish never goes below. */
  public synchronized HighWaterMark highWater() {
    if (highWater == null) {
      highWater = HighWaterMark.load(ws);
    }
    return highWater;
  }

  /** Stages one changed role, signed with every key at hand. */
  public void stage(String role, Signed content) {
    stageAll(Map.of(role, content));
  }

  /**
   * Stages many changed roles at once. Each gets its next version; each is signed by every
   * available key its delegator trusts, in parallel and with canonical bytes computed once.
   */
  public void stageAll(Map<String, ? extends Signed> changes) {
    Map<String, Signed> versioned = new LinkedHashMap<>();
    changes.forEach((role, content) -> versioned.put(role, content.withVersion(nextVersion(role))));
    signAndStage(versioned, Map.of());
    if (changes.keySet().stream().anyMatch(r -> !isBin(r))) {
      index = null;
    }
  }

  /**
   * The file bytes of many changed roles, each at its next version and signed by every available
   * key its delegator trusts, for {@link #stageEncoded} later: a change over thousands of bins
   * keeps these bytes (on disk if need be) instead of the decoded roles.
   */
  public Map<String, byte[]> encodeSigned(Map<String, ? extends Signed> changes) {
    Map<String, Signed> versioned = new LinkedHashMap<>();
    changes.forEach((role, content) -> versioned.put(role, content.withVersion(nextVersion(role))));
    Map<String, byte[]> canonical = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, List<Signature>> sigs = sign(versioned, Map.of(), canonical);
    Map<String, byte[]> out = new java.util.concurrent.ConcurrentHashMap<>();
    versioned.keySet().parallelStream().forEach(n -> out.put(n,
        MetadataCodec.fileBytes(canonical.get(n), sigs.get(n), versioned.get(n))));
    return out;
  }

  /**
   * As {@link #encodeSigned}, for targets-type roles given as canonical signed bytes at their next
   * version already (made by {@link SignedSplice}, never decoded): each is signed by every key at
   * hand its delegator trusts, and made into its file bytes.
   */
  public Map<String, byte[]> encodeSignedBytes(Map<String, byte[]> canonical) {
    List<String> names = new ArrayList<>(canonical.keySet());
    List<byte[]> payloads = names.stream().map(canonical::get).toList();
    Map<String, List<Signature>> sigs = signBytes(names, payloads, i -> null, new HashMap<>(), new HashMap<>(),
        names.size() >= 256 ? progress : Progress.NONE);
    Map<String, byte[]> out = new java.util.concurrent.ConcurrentHashMap<>();
    names.parallelStream().forEach(n -> out.put(n, SignedSplice.fileBytes(canonical.get(n), sigs.get(n))));
    return out;
  }

  /**
   * As {@link #stageAll}, keeping only each role's signed file bytes (encoded once, not again at
   * save, and not held decoded): for thousands of roles such as a new repository's bins.
   */
  public void stageSigned(Map<String, ? extends Signed> changes) {
    Map<String, Integer> versions = new HashMap<>();
    changes.keySet().forEach(r -> versions.put(r, nextVersion(r)));
    Map<String, byte[]> signed = encodeSigned(changes);
    changes.keySet().forEach(r -> stageEncoded(r, versions.get(r), signed.get(r)));
  }

  /** Stages a role as file bytes from {@link #encodeSigned} at {@code version}. */
  public void stageEncoded(String role, int version, byte[] fileBytes) {
    staging.putEncoded(role, version, fileBytes);
    if (!isBin(role)) {
      index = null;
    }
  }

  /**
   * Signs the given contents with available keys and stores them. Signatures collected earlier
   * over the same bytes are kept ({@code keep}).
   */
  void signAndStage(Map<String, Signed> contents, Map<String, List<Signature>> keep) {
    Map<String, List<Signature>> sigs = sign(contents, keep, new java.util.concurrent.ConcurrentHashMap<>());
    for (String n : contents.keySet()) {
      staging.put(n, new Metadata<>(contents.get(n), sigs.get(n)));
    }
  }

  /** The signatures of each of {@code contents}, whose canonical bytes go into {@code bytes}. */
  private Map<String, List<Signature>> sign(Map<String, Signed> contents, Map<String, List<Signature>> keep,
      Map<String, byte[]> bytes) {
    List<String> names = new ArrayList<>(contents.keySet());
    List<byte[]> payloads = names.parallelStream().map(n -> MetadataCodec.canonicalSigned(contents.get(n))).toList();
    for (int i = 0; i < names.size(); i++) {
      bytes.put(names.get(i), payloads.get(i));
    }
    Map<String, List<Signature>> made = signBytes(names, payloads, i -> contents.get(names.get(i)), new HashMap<>(),
        new HashMap<>(), names.size() >= 256 ? progress : Progress.NONE);
    Map<String, List<Signature>> out = new HashMap<>();
    for (String n : names) {
      List<Signature> sigs = new ArrayList<>(keep.getOrDefault(n, List.of()));
      Set<String> fresh = new java.util.HashSet<>();
      made.get(n).forEach(x -> fresh.add(x.keyid()));
      sigs.removeIf(x -> fresh.contains(x.keyid())); // a key signing again replaces its signature
      sigs.addAll(made.get(n));
      out.put(n, sigs);
    }
    return out;
  }

  private Map<String, Key> signingKeysCached(String role, Signed content, Map<String, Map<String, Key>> cache) {
    if (content instanceof Root newRoot) {
      Map<String, Key> keys = new LinkedHashMap<>(newRoot.keysOf(RoleType.ROOT));
      published.root().ifPresent(r -> keys.putAll(r.signed().keysOf(RoleType.ROOT)));
      return keys;
    }
    if (RoleType.isTopLevel(role)) {
      return keysFor(role).keys();
    }
    String parent = delegatorOf(role).orElseThrow(() -> new UsageError("unknown role '" + role + "'"));
    if (isBin(role)) {
      // every bin of a succinct delegation shares its keys: look them up once
      return cache.computeIfAbsent("bins-of:" + parent, x -> keysFor(role).keys());
    }
    return keysFor(role).keys();
  }

  /** How a renewal sets a role's expiry from its current one: null keeps it; may refuse with a UsageError. */
  @FunctionalInterface
  public interface ExpiryRule {
    Expiry next(String role, Expiry current);
  }

  /** Roles renewed a chunk at a time: what one chunk's bytes and signatures hold in memory (~15 MB of bins). */
  public static final int RENEW_CHUNK = 512;

  /**
   * And at most this many bytes of published files a chunk (the first role always goes in): a chunk
   * holds each file about four times over (read, new signed bytes, new file, the staging batch's
   * buffer), so bins that grow with the repository (8 M targets: ~105 KB a bin) make chunks of
   * fewer roles, not a working set that grows; at PyPI's 2.27 M (~30 KB a bin) chunks stay 512.
   */
  public static final long RENEW_CHUNK_BYTES = 16L << 20;

  /**
   * Stages each of {@code roles} at its next version, changed in nothing but its expiry ({@code
   * rule}), signed with every key at hand: bump, resign, and the re-sign of every bin after a key
   * change. Returns each role's expiry after it. A chunk of roles at a time is read, given its
   * new bytes, signed and appended to the staging log, so memory holds one chunk; all or nothing.
   *
   * <p>A role whose published file is the one the last publish verified (its SHA-256 in the
   * verified index, at the version snapshot names) and is canonical gets its new signed bytes by
   * splicing the new version and expiry into the file's ({@link SignedSplice}), its targets never
   * decoded; any other (staged, foreign, non-canonical, tampered, or delegating) is decoded and
   * encoded as before, and a published one must still verify against the keys clients trust for
   * it ({@link #requireUntampered}): a file changed by hand is refused, never re-signed.
   */
  public Renewed renewAll(List<String> named, ExpiryRule rule) {
    List<String> roles = List.copyOf(new LinkedHashSet<>(named));
    KnownRoles verified = verifiedIndex();
    // Signed ~512 at a time: the whole line's distinct payloads said up front, or AWS-LC loads only
    // after ~4,100-4,700 counted operations of a full-size daily or incident (h-82).
    dev.tufsh.crypto.Ed25519Engine.expect(distinctPayloads(roles, verified));
    Map<String, Expiry> out = new LinkedHashMap<>();
    Map<String, Map<String, Key>> keyCache = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, Optional<Signer>> signerById = new HashMap<>();
    long done = 0;
    int spliced = 0;
    try (Staging.Batch batch = staging.batch()) {
      for (int from = 0, to; from < roles.size(); from = to) {
        to = chunkEnd(roles, from, r -> publishedLength(r, verified));
        List<String> chunk = roles.subList(from, to);
        List<Current> now = chunk.parallelStream().map(r -> current(r, verified)).toList();
        spliced += (int) now.stream().filter(c -> c.splice() != null).count();
        List<Expiry> next = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
          Expiry e = rule.next(chunk.get(i), now.get(i).expires());
          next.add(e);
          out.put(chunk.get(i), e != null ? e : now.get(i).expires());
        }
        List<Integer> versions = chunk.stream().map(this::nextVersion).toList();
        List<byte[]> canonical = java.util.stream.IntStream.range(0, chunk.size()).parallel()
            .mapToObj(i -> now.get(i).signedBytes(versions.get(i), next.get(i))).toList();
        Map<String, List<Signature>> sigs = signBytes(chunk, canonical, i -> now.get(i).decoded(), keyCache,
            signerById, Progress.NONE);
        List<byte[]> files = java.util.stream.IntStream.range(0, chunk.size()).parallel()
            .mapToObj(i -> now.get(i).fileBytes(canonical.get(i), sigs.get(chunk.get(i)), next.get(i),
                versions.get(i)))
            .toList();
        for (int i = 0; i < chunk.size(); i++) {
          String r = chunk.get(i);
          batch.put(r, versions.get(i), files.get(i), now.get(i).peek(versions.get(i), out.get(r), sigs.get(r)));
        }
        done += chunk.size();
        if (roles.size() >= 256) {
          progress.report("re-signing", done, roles.size());
        }
      }
      batch.commit();
    }
    if (roles.stream().anyMatch(r -> !isBin(r))) {
      index = null;
    }
    return new Renewed(out, spliced);
  }

  /**
   * How many distinct payloads renewing {@code roles} signs, as far as the verified index tells:
   * roles whose published files have the same SHA-256 are renewed to the same bytes and signed once
   * ({@link BulkSigner}: 16,384 empty bins are one payload), any other role counts as its own.
   */
  static int distinctPayloads(List<String> roles, KnownRoles verified) {
    Set<String> seen = new java.util.HashSet<>();
    int unknown = 0;
    for (String r : roles) {
      KnownRole k = verified.get(r);
      if (k == null || k.sha256() == null) {
        unknown++;
      } else {
        seen.add(k.sha256());
      }
    }
    return seen.size() + unknown;
  }

  /** Where the renewal chunk that starts at {@code from} ends: {@link #RENEW_CHUNK} roles or {@link #RENEW_CHUNK_BYTES}. */
  static int chunkEnd(List<String> roles, int from, java.util.function.ToLongFunction<String> length) {
    int to = from;
    long bytes = 0;
    while (to < roles.size() && to - from < RENEW_CHUNK && (to == from || bytes < RENEW_CHUNK_BYTES)) {
      bytes += length.applyAsLong(roles.get(to));
      to++;
    }
    return to;
  }

  /** The length of {@code role}'s published file: the verified index's, else the file's own; 0 if none. */
  private long publishedLength(String role, KnownRoles verified) {
    KnownRole k = verified.get(role);
    int v = published.version(role);
    if (k != null && k.version() == v) {
      return k.length();
    }
    if (v == 0 || RoleType.isTopLevel(role)) {
      return 0; // top-level roles are few and small; a new role has no file yet
    }
    try {
      return java.nio.file.Files.size(ws.metadataDir().resolve(FileNames.metadata(role, v)));
    } catch (java.io.IOException | RuntimeException e) {
      return 0; // reading it reports what is wrong
    }
  }

  /** What {@link #renewAll} did: each role's expiry after it, and how many roles it spliced rather than decoded. */
  public record Renewed(Map<String, Expiry> expires, int spliced) {}

  /** A role as a renewal finds it: a splice of its verified published file, or its decoded content. */
  private record Current(SignedSplice splice, Signed decoded) {
    Expiry expires() {
      return splice != null ? splice.expires() : decoded.expires();
    }

    Signed renewed(Expiry e, int version) {
      return (e == null ? decoded : decoded.withExpires(e)).withVersion(version);
    }

    byte[] signedBytes(int version, Expiry e) {
      return splice != null ? splice.signedBytes(version, e) : MetadataCodec.canonicalSigned(renewed(e, version));
    }

    /**
     * What a plan peeks of the renewed file, known without reading it again: the version and
     * expiry just written, the keys that signed it, the targets the splice kept; null when decoded.
     */
    dev.tufsh.model.MetadataPeek peek(int version, Expiry e, List<Signature> sigs) {
      return splice == null ? null
          : new dev.tufsh.model.MetadataPeek(version, e, sigs.stream().map(Signature::keyid).toList(),
              splice.targetCount());
    }

    byte[] fileBytes(byte[] canonical, List<Signature> sigs, Expiry e, int version) {
      return splice != null ? SignedSplice.fileBytes(canonical, sigs)
          : MetadataCodec.fileBytes(canonical, sigs, renewed(e, version));
    }
  }

  private Current current(String role, KnownRoles verified) {
    if (!staging.has(role) && !RoleType.isTopLevel(role)) {
      Optional<SignedSplice> sp = verifiedSplice(role, verified);
      if (sp.isPresent()) {
        return new Current(sp.get(), null);
      }
    }
    Metadata<? extends Signed> md = metadata(role) // a published one is checked before it is signed
        .orElseThrow(() -> new UsageError("role '" + role + "' has no metadata"));
    return new Current(null, md.signed());
  }

  // ------------------------------------------------------------------ the tamper check

  /**
   * Published roles whose content this Repository handed out since the last check, each with the
   * bytes it was decoded from (a role read twice may have been read from two files, if a writer
   * ignored the lock): whatever a change is made of was read through here, so {@link
   * #requireUntampered} checks these before anything is signed, whichever operation asked.
   */
  private final Map<String, Set<Source>> handedOut = new java.util.concurrent.ConcurrentHashMap<>();
  /** Published roles checked, whose files are what was signed (by the verified index or by signatures), as read. */
  private final Map<String, Source> vouched = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger byIndex = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger bySignatures =
      new java.util.concurrent.atomic.AtomicInteger();
  private KnownRoles verifiedIndex;

  /**
   * The bytes a published role's content was decoded from, by length and SHA-256: what the check
   * vouches for. Root, timestamp and snapshot are read once per Repository and held ({@link #HELD}).
   */
  private record Source(long length, String sha256) {
    static final Source HELD = new Source(-1, "");

    static Source of(PublishedState.Read r) {
      return new Source(r.length(), r.sha256());
    }

    static Source of(byte[] file) {
      return new Source(file.length, Hex.encode(Crypto.sha256(file)));
    }

    // Written out: a record's own equals and hashCode link through ObjectMethods the first time
    // they run, spinning ~26 method-handle classes that C1 then compiles (a one-shot upload's only
    // such link; see StartupLinksTest).
    @Override
    public boolean equals(Object o) {
      return o instanceof Source s && length == s.length && java.util.Objects.equals(sha256, s.sha256);
    }

    @Override
    public int hashCode() {
      return 31 * Long.hashCode(length) + java.util.Objects.hashCode(sha256);
    }
  }

  /**
   * From how many leaf roles on a check loads the verified index (about 250 ms at 16,384 bins
   * under load) rather than verify each role's signatures (about 0.3 ms a 30 KB bin): an upload
   * checks one bin by its signatures, a change over thousands of bins hashes their files.
   */
  public static final int INDEX_WORTH = 64;

  private Metadata<Targets> handedOut(String role, PublishedState.Read read) {
    return handedOut(role, Source.of(read), read.metadata());
  }

  private <M extends Metadata<? extends Signed>> M handedOut(String role, Source source, M published) {
    if (!source.equals(vouched.get(role))) {
      handedOut.computeIfAbsent(role, r -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(source);
    }
    return published;
  }

  /** How the published roles read for change were checked so far: a test sees which path was taken. */
  public record Checked(int byIndex, int bySignatures) {}

  public Checked checked() {
    return new Checked(byIndex.get(), bySignatures.get());
  }

  /** The verified index of the snapshot clients see, loaded once (none: every check verifies signatures). */
  private synchronized KnownRoles verifiedIndex() {
    if (verifiedIndex == null) {
      verifiedIndex = VerifiedIndex.load(ws, published);
    }
    return verifiedIndex;
  }

  /**
   * Refuses to sign anything while a published role this Repository handed out is not what was
   * signed: a file in {@code metadata/} changed by hand or by an intruder is never re-signed (and
   * so published) unnoticed, whichever operation carries it. A leaf whose bytes, as decoded, are
   * the file the last publish verified (length and SHA-256 in the verified index) passes on that;
   * any other role, and every role above it up to the root chain, must carry a threshold of valid
   * signatures of the keys clients trust for it now, checked over the bytes it was decoded from.
   * Staged roles are tufsh's own and need none; a foreign repository, with no index yet, is
   * checked by signatures.
   */
  private void requireUntampered() {
    if (handedOut.isEmpty()) {
      return;
    }
    Map<String, Set<Source>> pending = new HashMap<>();
    handedOut.forEach((r, s) -> pending.put(r, Set.copyOf(s)));
    if (verifiedIndex == null && pending.keySet().stream().filter(r -> !RoleType.isTopLevel(r)).count() >= INDEX_WORTH) {
      verifiedIndex();
    }
    KnownRoles known = verifiedIndex == null ? KnownRoles.NONE : verifiedIndex;
    pending.entrySet().parallelStream().forEach(e -> {
      for (Source s : e.getValue()) {
        String r = e.getKey();
        if (!s.equals(vouched.get(r)) && (RoleType.isTopLevel(r) || !vouchByIndex(r, s, known))) {
          vouchBySignatures(r, s);
        }
      }
    });
    pending.forEach((r, s) -> handedOut.computeIfPresent(r, (k, now) -> {
      now.removeAll(s);
      return now.isEmpty() ? null : now;
    }));
  }

  /**
   * As {@link #requireUntampered()} for published {@code role}, which a caller builds on without
   * reading it through here (publish's new snapshot carries the published one's entries).
   */
  void requireUntampered(String role) {
    if (RoleType.isTopLevel(role) && !role.equals("targets")) {
      handedOut(role, Source.HELD, null);
    } else {
      published.targetsRead(role).ifPresent(r -> handedOut(role, r));
    }
    requireUntampered();
  }

  /**
   * Whether leaf {@code role}, read from {@code source}, is byte for byte the file the last publish
   * verified as a client (length and SHA-256 in the verified index, at the version the snapshot
   * clients see names), which vouches for it.
   */
  private boolean vouchByIndex(String role, Source source, KnownRoles verified) {
    int v = published.version(role);
    KnownRole k = v == 0 ? null : verified.get(role);
    if (!dev.tufsh.trust.Untampered.isKnown(source.length(), source.sha256(), v, k)) {
      return false; // changed since it was verified: its signatures are checked
    }
    if (!source.equals(vouched.put(role, source))) {
      byIndex.incrementAndGet();
    }
    return true;
  }

  /**
   * The published file of leaf {@code role} when it is byte for byte the one the last publish
   * verified as a client ({@link #vouchByIndex}); else null. The bytes returned are those checked.
   */
  private byte[] knownFile(String role, KnownRoles verified) {
    int v = published.version(role);
    KnownRole k = v == 0 ? null : verified.get(role);
    if (k == null || k.version() != v) {
      return null;
    }
    byte[] file;
    try {
      file = AtomicFiles.read(ws.metadataDir().resolve(FileNames.metadata(role, v)));
    } catch (RuntimeException e) {
      return null; // decoding reports it
    }
    return vouchByIndex(role, Source.of(file), verified) ? file : null;
  }

  /**
   * Checks published {@code role}, as read from {@code source}, as a client would, up the chain:
   * its delegator first (every role above it, and the root chain from {@code 1.root.json}), then a
   * threshold of the keys the published delegator gives it over the content those very bytes hold.
   * Serial: few roles take this path.
   */
  private synchronized void vouchBySignatures(String role, Source source) {
    if (source.equals(vouched.get(role))) {
      return;
    }
    if (role.equals("root")) {
      requireRootChain();
    } else {
      String parent = RoleType.isTopLevel(role) ? "root" : delegatorOf(role).orElse(null);
      if (parent != null) {
        vouchBySignatures(parent, parent.equals("root") ? Source.HELD
            : published.targetsRead(parent).map(Source::of).orElse(Source.HELD));
      }
      Metadata<? extends Signed> md = switch (role) {
        case "timestamp" -> published.timestamp().orElse(null);
        case "snapshot" -> published.snapshot().orElse(null);
        default -> readAgain(role, source);
      };
      if (md != null) {
        requirePublishedSignatures(role, md);
      }
    }
    vouched.put(role, source);
    bySignatures.incrementAndGet();
  }

  /**
   * Targets-type {@code role}'s content as decoded from {@code source}: the one held if it still is,
   * else the file read again, which must be those very bytes (a writer that ignores the lock may
   * have swapped it since): the signatures checked are over what the change carries.
   */
  private Metadata<Targets> readAgain(String role, Source source) {
    Optional<PublishedState.Read> held = published.targetsRead(role);
    if (held.isPresent() && Source.of(held.get()).equals(source)) {
      return held.get().metadata();
    }
    int v = published.version(role);
    String name = FileNames.metadata(role, v);
    byte[] file = AtomicFiles.read(ws.metadataDir().resolve(name));
    if (!Source.of(file).equals(source)) {
      throw new dev.tufsh.errors.SignatureError("role '" + role + "': published " + name + " changed while it was"
          + " read (another writer ignoring the lock?); refusing to re-sign it: restore it from a backup or run"
          + " 'verify'");
    }
    return MetadataCodec.decode(file, name, Targets.class);
  }

  /** The published root chain from 1.root.json (else the newest, self-signed), each signed as clients require. */
  private void requireRootChain() {
    byte[] newest = published.rootBytes();
    if (newest == null) {
      return;
    }
    java.nio.file.Path dir = ws.metadataDir();
    Optional<byte[]> first = published.firstRootBytes();
    Map<String, byte[]> read = new java.util.concurrent.ConcurrentHashMap<>();
    first.ifPresent(b -> read.put(FileNames.root(1), b));
    try {
      dev.tufsh.trust.Untampered.rootChain(first.orElse(newest), name -> {
        java.nio.file.Path p = dir.resolve(name);
        Optional<byte[]> b = java.nio.file.Files.isRegularFile(p) ? Optional.of(AtomicFiles.read(p)) : Optional.empty();
        b.ifPresent(x -> read.put(name, x));
        return b;
      });
      if (first.isPresent()) {
        VouchedTimestamp.chainChecked(dir, read); // the bytes just checked, for publish's timestamp check
      }
    } catch (dev.tufsh.trust.VerificationError e) {
      String file = e.file() != null && e.file().endsWith(".root.json") ? e.file()
          : FileNames.root(first.isPresent() ? 1 : published.root().orElseThrow().signed().version());
      throw new dev.tufsh.errors.SignatureError("role 'root': published " + file + " " + e.problem()
          + " (changed since it was signed?); refusing to re-sign what it delegates: restore it from a backup or"
          + " run 'verify'");
    }
  }

  /**
   * Refuses published role {@code role} unless it still carries a threshold of valid signatures
   * from the keys clients trust for it now (its delegator checked before).
   */
  private void requirePublishedSignatures(String role, Metadata<? extends Signed> md) {
    RoleKeys keys = publishedKeysFor(role);
    int v = md.signed().version();
    String file = role.equals("root") ? FileNames.root(v)
        : role.equals("timestamp") ? FileNames.TIMESTAMP : FileNames.metadata(role, v);
    if (keys == null) {
      throw new dev.tufsh.errors.SignatureError("role '" + role + "': the published metadata does not delegate"
          + " to it, so " + file + " cannot be checked before it is re-signed; run 'verify'");
    }
    var r = dev.tufsh.model.Signatures.check(role, md, MetadataCodec.canonicalSigned(md.signed()), keys.keys(),
        keys.role());
    if (!r.thresholdMet()) {
      throw new dev.tufsh.errors.SignatureError("role '" + role + "': published " + file + " has "
          + r.validKeyIds().size() + " valid signature(s) of the " + r.threshold() + " its delegator requires"
          + " (changed since it was signed?); refusing to re-sign it: restore it from a backup or run 'verify'");
    }
  }

  /** The keys and threshold clients trust now for {@code role}, from the published metadata; null if none. */
  private RoleKeys publishedKeysFor(String role) {
    if (RoleType.isTopLevel(role)) {
      Root r = published.root().map(Metadata::signed).orElse(null);
      RoleType t = RoleType.fromWire(role).orElseThrow();
      return r == null ? null : new RoleKeys(r.keysOf(t), r.role(t));
    }
    String parent = delegatorOf(role).orElse(null);
    Delegations d = parent == null ? null : published.targets(parent).map(m -> m.signed().delegations()).orElse(null);
    Role r = d == null ? null : d.roleFor(role).orElse(null);
    return r == null ? null : roleKeys(d, r);
  }

  /**
   * The splice of {@code role}'s published file when that file is the one the last publish
   * verified ({@link #knownFile}) and canonical; else empty. Anything else is decoded as before.
   */
  private Optional<SignedSplice> verifiedSplice(String role, KnownRoles verified) {
    byte[] file = knownFile(role, verified);
    int v = published.version(role);
    if (file == null) {
      return Optional.empty();
    }
    // knownFile returned it: its SHA-256 is the index's (Untampered.isKnown), the scan kept under it.
    return SignedSplice.of(file, verified.get(role).sha256()).filter(sp -> sp.version() == v);
  }

  /**
   * Signs canonical signed bytes {@code payloads[i]} of {@code names[i]} with every key at hand
   * its delegator trusts, each key one batch on all cores; {@code content} gives a role's decoded
   * content where there is one (a new root names its own keys), else null.
   */
  private Map<String, List<Signature>> signBytes(List<String> names, List<byte[]> payloads,
      java.util.function.IntFunction<Signed> content, Map<String, Map<String, Key>> keyCache,
      Map<String, Optional<Signer>> signerById, Progress progress) {
    Map<String, List<Integer>> rolesByKey = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      Map<String, Key> keys = signingKeysCached(names.get(i), content.apply(i), keyCache);
      for (Key k : keys.values()) {
        Optional<Signer> signer = signerById.computeIfAbsent(k.keyId(), x -> signers.signerFor(k));
        if (signer.isPresent()) {
          rolesByKey.computeIfAbsent(k.keyId(), x -> new ArrayList<>()).add(i);
        }
      }
    }
    requireUntampered(); // nothing is signed while what a change was read from is in doubt
    Map<String, List<Signature>> sigs = new HashMap<>();
    for (String n : names) {
      sigs.put(n, new ArrayList<>());
    }
    rolesByKey.forEach((keyId, idx) -> {
      List<byte[]> batch = new ArrayList<>(idx.size());
      idx.forEach(i -> batch.add(payloads.get(i)));
      List<Signature> made = BulkSigner.sign(signerById.get(keyId).orElseThrow(), batch, progress);
      for (int j = 0; j < idx.size(); j++) {
        sigs.get(names.get(idx.get(j))).add(made.get(j));
      }
    });
    return sigs;
  }

  /** Re-signs staged roles with the keys at hand (after a key was added or a backend set up). */
  public void resignStaged(Set<String> roles) {
    Map<String, Signed> contents = new LinkedHashMap<>();
    Map<String, List<Signature>> keep = new HashMap<>();
    for (String r : roles) {
      Metadata<? extends Signed> md = staging.role(r);
      if (md != null) {
        contents.put(r, md.signed());
        keep.put(r, md.signatures());
      }
    }
    signAndStage(contents, keep);
  }

  /** Adds signatures made elsewhere to a staged role (already verified by the caller). */
  public void addSignatures(String role, List<Signature> extra) {
    Metadata<? extends Signed> md = staging.role(role);
    if (md == null) {
      throw new UsageError("role '" + role + "' has no staged change to sign");
    }
    Map<String, Signature> byKey = new LinkedHashMap<>();
    md.signatures().forEach(s -> byKey.put(s.keyid(), s));
    extra.forEach(s -> byKey.put(s.keyid(), s));
    staging.put(role, new Metadata<>(md.signed(), new ArrayList<>(byKey.values())));
  }

  /** Writes staged changes to disk. */
  public void save() {
    staging.save();
  }

  // ------------------------------------------------------------------ delegation graph

  private DelegationIndex index() {
    if (index == null) {
      index = DelegationIndex.build(this);
    }
    return index;
  }

  /** Which role delegates to which, built by walking delegations from targets. */
  static final class DelegationIndex {
    final Map<String, String> parents = new HashMap<>();
    final Map<String, SuccinctRoles> succinct = new LinkedHashMap<>();
    /**
     * Delegated roles in delegation order, each succinct delegation's bins as one entry (null
     * there, its delegator in {@link #binsAt}), so that finding a role's place lists no bins.
     */
    private final List<String> segments = new ArrayList<>();
    private final Map<String, Integer> roleAt = new HashMap<>();
    private final Map<String, Integer> binsAt = new HashMap<>();
    private final Map<Integer, String> binsOf = new HashMap<>();
    private List<String> order;

    /** Every delegated role in delegation order, bins named (16,384 names: made when asked). */
    synchronized List<String> order() {
      if (order == null) {
        List<String> o = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
          String role = segments.get(i);
          if (role != null) {
            o.add(role);
          } else {
            o.addAll(succinct.get(binsOf.get(i)).roleNames());
          }
        }
        order = o;
      }
      return order;
    }

    /** How many roles {@link #order} lists. */
    long count() {
      long n = 0;
      for (int i = 0; i < segments.size(); i++) {
        n += segments.get(i) != null ? 1 : succinct.get(binsOf.get(i)).binCount();
      }
      return n;
    }

    /** Where {@code role} comes in {@link #order}, as a number that sorts alike; MAX_VALUE if nowhere. */
    long position(String role) {
      Integer at = roleAt.get(role);
      if (at != null) {
        return (long) at << 32;
      }
      String parent = succinctParentOf(role);
      if (parent != null) {
        return ((long) binsAt.get(parent) << 32) + succinct.get(parent).indexOf(role);
      }
      return Long.MAX_VALUE;
    }

    private void addRole(String name) {
      roleAt.put(name, segments.size());
      segments.add(name);
    }

    private void addBins(String delegator) {
      binsAt.put(delegator, segments.size());
      binsOf.put(segments.size(), delegator);
      segments.add(null);
    }

    static DelegationIndex build(Repository repo) {
      DelegationIndex ix = new DelegationIndex();
      ArrayDeque<String> queue = new ArrayDeque<>();
      Set<String> seen = new LinkedHashSet<>();
      queue.add("targets");
      seen.add("targets");
      while (!queue.isEmpty()) {
        String role = queue.poll();
        Optional<Targets> t = repo.targets(role, false);
        if (t.isEmpty() || t.get().delegations() == null) {
          continue;
        }
        Delegations d = t.get().delegations();
        if (d.succinctRoles() != null) {
          ix.succinct.put(role, d.succinctRoles());
          // Bins are leaves here: TAP 15 bins in PEP 458 layouts do not delegate further.
          ix.addBins(role);
          continue;
        }
        for (DelegatedRole r : d.roles()) {
          if (seen.add(r.name())) {
            ix.parents.put(r.name(), role);
            ix.addRole(r.name());
            queue.add(r.name());
          }
        }
      }
      return ix;
    }

    String succinctParentOf(String role) {
      for (var e : succinct.entrySet()) {
        if (e.getValue().isBin(role)) {
          return e.getKey();
        }
      }
      return null;
    }

    String parentOf(String role) {
      String p = parents.get(role);
      return p != null ? p : succinctParentOf(role);
    }
  }
}
