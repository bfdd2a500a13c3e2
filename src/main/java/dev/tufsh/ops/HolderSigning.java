package dev.tufsh.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Signer;
import dev.tufsh.errors.SignatureError;
import dev.tufsh.errors.UsageError;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.keys.PublicKeys;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Role;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Root;
import dev.tufsh.model.Signature;
import dev.tufsh.model.Signed;
import dev.tufsh.model.Snapshot;
import dev.tufsh.model.Targets;
import dev.tufsh.model.Timestamp;
import dev.tufsh.repo.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The key holder's side of offline signing, with no repository: read a file that {@code sign
 * export} wrote, say in words what signing it means, and add one signature to it. What is shown is
 * decoded from the file, and the file is refused unless the bytes a signature covers are exactly
 * the canonical form of what was decoded, so nothing is signed that was not shown.
 */
public final class HolderSigning {
  /** A file ready to sign: its metadata, the bytes a signature covers, and the words shown. */
  public record Review(Path file, Metadata<? extends Signed> metadata, byte[] payload, List<String> lines) {}

  private static final java.util.Set<String> KEY_FIELDS =
      java.util.Set.of("keytype", "scheme", "keyval", "keyid_hash_algorithms");

  private HolderSigning() {}

  /** Reads {@code file} (and the root it replaces, {@code previous}, when given) and describes it. */
  public static Review review(Path file, Path previous) {
    byte[] bytes = AtomicFiles.read(file);
    JsonNode tree = Json.parse(bytes, file.toString());
    Metadata<? extends Signed> md = MetadataCodec.decode(tree, file.toString());
    byte[] payload = MetadataCodec.canonicalSigned(md.signed());
    if (!Arrays.equals(payload, CanonicalJson.encode(tree.get("signed")))) {
      throw new SignatureError(file + ": its 'signed' content does not re-encode to the same bytes as what tufsh"
          + " reads from it; refusing to sign what cannot be shown");
    }
    Signed s = md.signed();
    List<String> lines = new ArrayList<>();
    lines.add(s.type().wire() + " metadata, version " + s.version() + ", expires " + s.expires().text());
    if (s instanceof Root r) {
      describeRoot(r, previous == null ? null : readRoot(previous), lines);
    } else if (s instanceof Targets t) {
      lines.add(t.targets().size() + " target(s), "
          + (t.delegations() == null ? "no delegations" : t.delegations().roleNames().size() + " delegated role(s)"));
    } else if (s instanceof Snapshot sn) {
      lines.add(sn.meta().size() + " role file(s) listed");
    } else if (s instanceof Timestamp ts) {
      lines.add("snapshot version " + ts.snapshot().version());
    }
    if (!s.extras().isEmpty()) {
      lines.add("also signs fields tufsh does not interpret: " + String.join(", ", new TreeSet<>(s.extras().keySet())));
    }
    lines.add(md.signatures().size() + " signature(s) already present");
    lines.add("sha256 of the signed bytes: " + Hex.encode(Crypto.sha256(payload)));
    return new Review(file, md, payload, List.copyOf(lines));
  }

  /**
   * Signs the reviewed file with {@code signer} and writes the signature back into it (replacing
   * one by the same key). Root is signed only with a key it, or the previous root, lists for root.
   * Returns the key id the signature is filed under.
   */
  public static String sign(Review r, Signer signer, Path previous) {
    String keyid = signer.keyId();
    if (r.metadata().signed() instanceof Root root) {
      Map<String, Key> rootKeys = new java.util.LinkedHashMap<>(root.keysOf(RoleType.ROOT));
      if (previous != null) {
        rootKeys.putAll(readRoot(previous).keysOf(RoleType.ROOT));
      }
      keyid = rootKeys.entrySet().stream().filter(e -> PublicKeys.sameMaterial(e.getValue(), signer.key()))
          .map(Map.Entry::getKey).findFirst()
          .orElseThrow(() -> new UsageError(r.file() + ": key " + signer.key().shortId()
              + " is not a root key of this root" + (previous == null ? "" : " or of the previous one")));
    }
    byte[] sig = signer.sign(r.payload());
    if (!signer.key().verifies(r.payload(), sig)) {
      throw new SignatureError("the signature just made by " + signer.describe() + " does not verify");
    }
    String id = keyid;
    List<Signature> sigs = new ArrayList<>(r.metadata().signatures());
    sigs.removeIf(x -> x.keyid().equals(id));
    sigs.add(new Signature(id, Hex.encode(sig)));
    AtomicFiles.write(r.file(), MetadataCodec.fileBytes(r.metadata().withSignatures(sigs)));
    return id;
  }

  private static Root readRoot(Path f) {
    return MetadataCodec.decode(AtomicFiles.read(f), f.toString(), Root.class).signed();
  }

  /** Every role's keys and threshold, or with {@code old} only what changed against it. */
  private static void describeRoot(Root r, Root old, List<String> lines) {
    lines.add("consistent_snapshot: " + r.consistentSnapshot());
    if (old != null) {
      lines.add("changes against root version " + old.version() + ":");
    }
    // A key's JSON is signed as it is: fields no client reads are shown rather than signed unseen.
    r.keys().forEach((id, k) -> {
      List<String> odd = new ArrayList<>();
      k.toJson().fieldNames().forEachRemaining(n -> {
        if (!KEY_FIELDS.contains(n)) {
          odd.add(n);
        }
      });
      JsonNode keyval = k.toJson().get("keyval");
      if (keyval != null) {
        keyval.fieldNames().forEachRemaining(n -> {
          if (!n.equals("public")) {
            odd.add("keyval." + n);
          }
        });
      }
      if (!odd.isEmpty()) {
        lines.add("key " + describe(k, id) + " also carries: " + String.join(", ", odd));
      }
    });
    boolean changed = false;
    for (RoleType t : RoleType.values()) {
      Role now = r.roles().get(t.wire());
      Role was = old == null ? null : old.roles().get(t.wire());
      if (was == null) {
        lines.add("  " + t.wire() + ": threshold " + now.threshold() + " of " + now.keyids().size() + " key(s): "
            + keyList(r, now.keyids()));
        continue;
      }
      if (was.threshold() != now.threshold()) {
        lines.add("  " + t.wire() + ": threshold " + was.threshold() + " -> " + now.threshold());
        changed = true;
      }
      for (String id : now.keyids()) {
        if (!was.keyids().contains(id)) {
          lines.add("  " + t.wire() + ": + key " + describe(r.keys().get(id), id));
          changed = true;
        }
      }
      for (String id : was.keyids()) {
        if (!now.keyids().contains(id)) {
          lines.add("  " + t.wire() + ": - key " + describe(old.keys().get(id), id));
          changed = true;
        }
      }
    }
    if (old != null && !changed) {
      lines.add("  no key or threshold changes");
    }
  }

  private static String keyList(Root r, List<String> ids) {
    return String.join(", ", ids.stream().map(id -> describe(r.keys().get(id), id)).toList());
  }

  private static String describe(Key k, String id) {
    return id.substring(0, Math.min(16, id.length())) + " (" + k.scheme() + ")";
  }
}
