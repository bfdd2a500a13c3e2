package dev.tufsh.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Signer;
import dev.tufsh.errors.ThresholdError;
import dev.tufsh.errors.UsageError;
import dev.tufsh.json.Json;
import dev.tufsh.keys.CombinedKeyStore;
import dev.tufsh.keys.PublicKeys;
import dev.tufsh.keys.offline.OfflineKeys;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Role;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Root;
import dev.tufsh.model.Signature;
import dev.tufsh.model.Signed;
import dev.tufsh.repo.AtomicFiles;
import dev.tufsh.repo.Plan;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.PublishResult;
import dev.tufsh.repo.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A root key ceremony kept in a folder, so that it survives between people and processes: the
 * admin starts it (holders' public keys, which keys each top-level role trusts and its threshold,
 * the expiry), each holder signs the folder's {@code root.json} later with their own key store (or
 * a non-TUF signer signs {@code root.payload}), anyone reads how far it is, and the admin finishes
 * by publishing. {@code ceremony.json} records the sha256 of the canonical signed bytes, so a file
 * changed after the start is refused wherever it is signed.
 */
public final class RootCeremony {
  public static final String STATE = "ceremony.json";
  public static final String ROOT = "root.json";
  public static final String PAYLOAD = "root.payload";
  public static final String PREVIOUS = "previous.root.json";

  /** Which keys (key store or holder names) a role trusts, and how many must sign. */
  public record RoleSpec(List<String> keys, int threshold) {
    public RoleSpec {
      keys = List.copyOf(keys);
    }
  }

  /** Holder name to public key file; role to its keys; the root's validity from now (null: the period). */
  public record StartRequest(Path dir, Map<String, Path> holders, Map<String, RoleSpec> roles, Duration expiresIn) {
    public StartRequest {
      holders = Map.copyOf(holders);
      roles = Map.copyOf(roles);
    }
  }

  /** What the folder holds: the root version being made, the sha256 it must keep, who holds which key. */
  public record State(int version, int previousVersion, String sha256, String expires, Map<String, String> holders,
      Map<String, String> keyNames) {
    public State {
      holders = Map.copyOf(holders);
      keyNames = Map.copyOf(keyNames);
    }

    /** The holder of key {@code keyid}, else its name in the admin's key store, else its short id. */
    public String nameOf(String keyid) {
      return holders.entrySet().stream().filter(e -> e.getValue().equals(keyid)).map(Map.Entry::getKey).findFirst()
          .orElse(keyNames.getOrDefault(keyid, keyid.substring(0, Math.min(16, keyid.length()))));
    }
  }

  /** One threshold the new root must meet: its own root keys, or the previous root's. */
  public record Count(String of, int version, int threshold, List<String> signed, List<String> missing) {
    public boolean met() {
      return signed.size() >= threshold;
    }
  }

  /** How far the ceremony is. */
  public record Tally(Path dir, State state, List<Count> counts) {
    public boolean complete() {
      return counts.stream().allMatch(Count::met);
    }

    public List<String> lines() {
      List<String> out = new ArrayList<>();
      out.add("root version " + state.version() + ", expires " + state.expires() + "; sha256 of the signed bytes: "
          + state.sha256());
      for (Count c : counts) {
        out.add(c.of() + " (version " + c.version() + "): " + c.signed().size() + " of " + c.threshold()
            + " signature(s) needed" + (c.signed().isEmpty() ? "" : "; signed: " + String.join(", ", c.signed()))
            + (c.met() || c.missing().isEmpty() ? "" : "; not yet: " + String.join(", ", c.missing())));
      }
      out.add(complete() ? "complete: the admin can finish ('ceremony root finish " + dir + "')"
          : "waiting for signatures ('ceremony root sign " + dir + " --key NAME')");
      return out;
    }
  }

  /** What start staged and wrote. */
  public record Started(Tally tally, List<String> lines, List<Path> files) {}

  /** What finish added and published, with the hashes PEP 458 asks to record. */
  public record Finished(State state, List<String> used, PublishResult published, String publishedFile,
      String publishedSha256) {}

  private RootCeremony() {}

  // ------------------------------------------------------------------ the admin: start

  public static Started start(Workbench bench, StartRequest req) {
    if (!req.roles().containsKey("root")) {
      throw new UsageError("name the root keys and threshold: --role root=KEY,KEY,...:T");
    }
    req.roles().forEach(RootCeremony::checkSpec);
    Map<String, Key> holderKeys = new LinkedHashMap<>();
    new java.util.TreeMap<>(req.holders()).forEach((name, file) -> holderKeys.put(name, readPublic(name, file)));
    try (PublishLock lock = bench.lock()) {
      Path dir = bench.files().output(req.dir(), "ceremony root start DIR");
      if (Files.exists(dir.resolve(STATE))) {
        throw new UsageError(dir + " holds a ceremony already (" + STATE + "); finish it or choose another folder");
      }
      Repository repo = bench.repository();
      // Resolve every key before anything is registered or staged: bad input leaves no trace.
      Map<String, KeyChange.RoleChange> changes = new LinkedHashMap<>();
      Map<String, Key> added = new LinkedHashMap<>();
      for (var e : new java.util.TreeMap<>(req.roles()).entrySet()) {
        List<String> ids = new ArrayList<>();
        for (String k : e.getValue().keys()) {
          Key key = holderKeys.containsKey(k) ? holderKeys.get(k) : KeyRefs.fromStore(bench, k);
          if (ids.contains(key.keyId())) {
            throw new UsageError("--role " + e.getKey() + ": key " + k + " is named twice");
          }
          ids.add(key.keyId());
          added.put(key.keyId(), key);
        }
        changes.put(e.getKey(), new KeyChange.RoleChange(ids, e.getValue().threshold()));
      }
      KeyChange.apply(repo, changes, added, false); // in memory until save: a refusal here leaves no trace
      Expiry expires = req.expiresIn() == null ? repo.freshExpiry("root")
          : Expiry.at(repo.now().plus(req.expiresIn()));
      repo.stage("root", repo.root().withExpires(expires));
      register(bench, holderKeys);
      repo.save();
      Metadata<? extends Signed> md = repo.staging().role("root");
      Map<String, String> holders = new java.util.TreeMap<>();
      holderKeys.forEach((n, k) -> holders.put(n, k.keyId()));
      int previous = repo.publishedVersion("root");
      // Names for the other keys of this root and the previous one, as the admin's key store has them.
      Map<String, String> keyNames = new java.util.TreeMap<>();
      java.util.Set<String> ids = new java.util.HashSet<>(((Root) md.signed()).keys().keySet());
      repo.published().root().ifPresent(r -> ids.addAll(r.signed().keys().keySet()));
      bench.keys().list().stream().filter(e -> ids.contains(e.key().keyId()) && !holders.containsValue(e.key().keyId()))
          .forEach(e -> keyNames.putIfAbsent(e.key().keyId(), e.name()));
      State state = new State(md.signed().version(), previous, Hex.encode(Crypto.sha256(md.signedBytes())),
          md.signed().expires().text(), holders, keyNames);
      List<Path> files = write(bench, dir, md, previous, state);
      Tally tally = status(dir);
      return new Started(tally, describe((Root) md.signed(), state), files);
    }
  }

  private static void checkSpec(String role, RoleSpec s) {
    if (RoleType.fromWire(role).isEmpty()) {
      throw new UsageError("--role " + role + ": not a top-level role (root, targets, snapshot, timestamp)");
    }
    if (s.keys().isEmpty()) {
      throw new UsageError("--role " + role + ": name at least one key");
    }
    if (s.threshold() < 1 || s.threshold() > s.keys().size()) {
      throw new UsageError("--role " + role + ": threshold " + s.threshold() + " with " + s.keys().size()
          + " key(s); it must be between 1 and the number of keys");
    }
  }

  private static Key readPublic(String holder, Path file) {
    try {
      if (Files.size(file) > 1 << 20) {
        throw new UsageError("--holder " + holder + ": " + file + " is larger than any public key file");
      }
      return PublicKeys.read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UsageError("--holder " + holder + ": no such file: " + file);
    } catch (IOException e) {
      throw new UsageError("--holder " + holder + ": cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Each holder's public key as an offline key under the holder's name (kept if already there). */
  private static void register(Workbench bench, Map<String, Key> holderKeys) {
    if (holderKeys.isEmpty()) {
      return;
    }
    if (!(bench.keys() instanceof CombinedKeyStore store)) {
      throw new UsageError("this repository's key store cannot register the holders' keys");
    }
    for (var h : holderKeys.entrySet()) {
      var known = store.find(h.getKey());
      if (known.isPresent() && !known.get().key().keyId().equals(h.getValue().keyId())) {
        throw new UsageError("--holder " + h.getKey() + ": the key store has another key named '" + h.getKey()
            + "' (" + known.get().key().shortId() + "); give the holder another name");
      }
    }
    for (var h : holderKeys.entrySet()) {
      if (store.find(h.getKey()).isEmpty()) {
        store.register(OfflineKeys.entry(dev.tufsh.keys.KeyNames.check(h.getKey()), h.getValue()));
      }
    }
  }

  private static List<Path> write(Workbench bench, Path dir, Metadata<? extends Signed> md, int previous,
      State state) {
    AtomicFiles.publicDirs(dir); // 0755 whatever the umask: what holders carry is public, 0644
    List<Path> files = new ArrayList<>();
    Map<Path, byte[]> out = new LinkedHashMap<>();
    out.put(dir.resolve(ROOT), MetadataCodec.fileBytes(md));
    out.put(dir.resolve(PAYLOAD), md.signedBytes());
    if (previous > 0) {
      // The exact file clients hold, so holders compare against what they can check themselves.
      out.put(dir.resolve(PREVIOUS), AtomicFiles.read(bench.workspace().metadataDir().resolve(previous + ".root.json")));
    }
    out.put(dir.resolve(STATE), (Json.pretty(stateJson(state)) + "\n").getBytes(StandardCharsets.UTF_8));
    out.forEach((f, b) -> {
      AtomicFiles.write(f, b);
      files.add(f);
    });
    return files;
  }

  private static List<String> describe(Root root, State state) {
    List<String> lines = new ArrayList<>();
    lines.add("root version " + state.version() + (state.previousVersion() > 0 ? " (replaces version "
        + state.previousVersion() + ")" : " (the first root)") + ", expires " + state.expires());
    for (RoleType t : RoleType.values()) {
      Role r = root.role(t);
      lines.add("  " + t.wire() + ": " + r.threshold() + " of " + String.join(", ",
          r.keyids().stream().map(id -> named(state, id)).toList()));
    }
    lines.add("sha256 of the signed bytes: " + state.sha256());
    return lines;
  }

  private static String named(State state, String id) {
    String shortId = id.substring(0, Math.min(16, id.length()));
    String name = state.nameOf(id);
    return name.equals(shortId) ? shortId : name + " (" + shortId + ")";
  }

  // ------------------------------------------------------------------ anyone: the state

  private static ObjectNode stateJson(State s) {
    ObjectNode o = Json.object();
    o.put("ceremony", "root");
    o.put("version", s.version());
    o.put("previous_version", s.previousVersion());
    o.put("sha256", s.sha256());
    o.put("expires", s.expires());
    ObjectNode h = o.putObject("holders");
    new java.util.TreeMap<>(s.holders()).forEach(h::put);
    ObjectNode k = o.putObject("key_names");
    new java.util.TreeMap<>(s.keyNames()).forEach(k::put);
    return o;
  }

  /** The folder's state; a folder without one is bad input naming it. */
  public static State state(Path dir) {
    Path f = dir.resolve(STATE);
    if (!Files.isRegularFile(f)) {
      throw new UsageError(dir + " holds no root ceremony (no " + STATE + "; the admin starts one with"
          + " 'ceremony root start')");
    }
    JsonNode n = Json.parse(AtomicFiles.readBounded(f, 1 << 20), f.toString());
    if (!"root".equals(n.path("ceremony").asText()) || !n.path("version").canConvertToInt()
        || !n.path("sha256").isTextual() || !n.path("holders").isObject()) {
      throw new UsageError(f + ": not a root ceremony state file");
    }
    Map<String, String> holders = new LinkedHashMap<>();
    n.path("holders").fields().forEachRemaining(e -> holders.put(e.getKey(), e.getValue().asText()));
    Map<String, String> keyNames = new LinkedHashMap<>();
    n.path("key_names").fields().forEachRemaining(e -> keyNames.put(e.getKey(), e.getValue().asText()));
    return new State(n.path("version").asInt(), n.path("previous_version").asInt(), n.path("sha256").asText(),
        n.path("expires").asText(), holders, keyNames);
  }

  /** The folder's root, refused unless its signed bytes are still those the ceremony started with. */
  static Metadata<Root> root(Path dir, State state) {
    Path f = dir.resolve(ROOT);
    if (!Files.isRegularFile(f)) {
      throw new UsageError(dir + " has no " + ROOT);
    }
    Metadata<Root> md = MetadataCodec.decode(AtomicFiles.read(f), f.toString(), Root.class);
    String now = Hex.encode(Crypto.sha256(md.signedBytes()));
    if (!now.equals(state.sha256())) {
      throw new UsageError(f + ": its signed content changed since the ceremony started (sha256 "
          + now.substring(0, 16) + "..., the ceremony recorded " + state.sha256().substring(0, 16)
          + "...); do not sign it, ask the admin to start again");
    }
    return md;
  }

  private static Root previous(Path dir, State state) {
    if (state.previousVersion() == 0) {
      return null;
    }
    Path f = dir.resolve(PREVIOUS);
    if (!Files.isRegularFile(f)) {
      throw new UsageError(dir + " has no " + PREVIOUS + " (root version " + state.previousVersion() + ")");
    }
    return MetadataCodec.decode(AtomicFiles.read(f), f.toString(), Root.class).signed();
  }

  /** Who has signed, against the new root's threshold and the previous root's. */
  public static Tally status(Path dir) {
    State state = state(dir);
    Metadata<Root> md = root(dir, state);
    byte[] payload = md.signedBytes();
    List<Count> counts = new ArrayList<>();
    counts.add(count("new root keys", md.signed(), md.signatures(), payload, state));
    Root prev = previous(dir, state);
    if (prev != null) {
      counts.add(count("previous root keys", prev, md.signatures(), payload, state));
    }
    return new Tally(dir, state, counts);
  }

  private static Count count(String of, Root root, List<Signature> sigs, byte[] payload, State state) {
    Role role = root.role(RoleType.ROOT);
    Map<String, Key> keys = root.keysOf(RoleType.ROOT);
    List<String> signed = new ArrayList<>();
    for (Signature s : sigs) {
      Key k = keys.get(s.keyid());
      if (k != null && !signed.contains(state.nameOf(s.keyid())) && verifies(k, payload, s.sig())) {
        signed.add(state.nameOf(s.keyid()));
      }
    }
    List<String> missing = role.keyids().stream().map(state::nameOf).filter(n -> !signed.contains(n)).toList();
    return new Count(of, root.version(), role.threshold(), signed, missing);
  }

  private static boolean verifies(Key k, byte[] message, String sigHex) {
    try {
      return k.verifies(message, Hex.decode(sigHex, "signature"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------ a holder: sign

  /**
   * The folder's root as a holder is shown it, checked against the recorded sha256 and, when the
   * admin read one out, against {@code expectSha256} too.
   */
  public static HolderSigning.Review review(Path dir, String expectSha256) {
    State state = state(dir);
    root(dir, state);
    if (expectSha256 != null && !expectSha256.equalsIgnoreCase(state.sha256())) {
      throw new UsageError(dir.resolve(ROOT) + ": sha256 of the signed bytes is " + state.sha256().substring(0, 16)
          + "..., not the " + expectSha256 + " you were given; do not sign it");
    }
    HolderSigning.Review r = HolderSigning.review(dir.resolve(ROOT), previousFile(dir, state));
    List<String> lines = new ArrayList<>(r.lines());
    lines.add("holders: " + String.join(", ", state.holders().entrySet().stream()
        .map(e -> e.getKey() + " (" + e.getValue().substring(0, 16) + ")").sorted().toList()));
    return new HolderSigning.Review(r.file(), r.metadata(), r.payload(), List.copyOf(lines));
  }

  /** Adds the holder's signature to the folder's root and says how far the ceremony is. */
  public static Tally sign(Path dir, HolderSigning.Review reviewed, Signer signer) {
    State state = state(dir);
    root(dir, state); // unchanged since it was shown
    HolderSigning.sign(reviewed, signer, previousFile(dir, state));
    return status(dir);
  }

  private static Path previousFile(Path dir, State state) {
    return state.previousVersion() == 0 ? null : dir.resolve(PREVIOUS);
  }

  /** Detached signatures over {@code root.payload} (python-tuf, an HSM tool) added to the folder's root. */
  public static OfflineSigning.Outcome addSignatures(Path dir, List<Path> files) {
    State state = state(dir);
    Metadata<Root> md = root(dir, state);
    Map<String, Key> keys = new LinkedHashMap<>(md.signed().keysOf(RoleType.ROOT));
    Root prev = previous(dir, state);
    if (prev != null) {
      keys.putAll(prev.keysOf(RoleType.ROOT));
    }
    List<Signature> sigs = new ArrayList<>();
    files.forEach(f -> sigs.addAll(OfflineSigning.detached(f)));
    OfflineSigning.Judged j = OfflineSigning.judge("root", keys, md.signatures(), md.signedBytes(), sigs);
    if (!j.used().isEmpty()) {
      List<Signature> all = new ArrayList<>(md.signatures());
      all.addAll(j.used());
      AtomicFiles.write(dir.resolve(ROOT), MetadataCodec.fileBytes(md.withSignatures(all)));
    }
    return new OfflineSigning.Outcome(dir.resolve(ROOT).toString(), "root",
        j.used().stream().map(Signature::keyid).toList(), j.ignored());
  }

  // ------------------------------------------------------------------ the admin: finish

  /**
   * Adds the folder's signatures to the staged root and publishes, once both thresholds are met;
   * {@code review} sees the plan first and may stop it.
   */
  public static Finished finish(Workbench bench, Path dir, Consumer<Plan> review) {
    Tally t = status(dir);
    if (!t.complete()) {
      Count c = t.counts().stream().filter(x -> !x.met()).findFirst().orElseThrow();
      throw new ThresholdError(dir.resolve(ROOT) + " (" + c.of() + ")", "root", c.signed().size(), c.threshold(),
          c.missing());
    }
    State state = t.state();
    Metadata<Root> md = root(dir, state);
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      OfflineSigning.Outcome o = OfflineSigning.add(repo, dir.resolve(ROOT).toString(), "root", md.signedBytes(),
          md.signatures());
      repo.save();
      PublishResult r = Publishing.publishLocked(repo, false, review);
      Path published = bench.workspace().metadataDir().resolve(state.version() + ".root.json");
      String sha = Hex.encode(Crypto.sha256(AtomicFiles.read(published)));
      return new Finished(state, o.used().stream().map(state::nameOf).toList(), r, published.toString(), sha);
    }
  }
}
