package dev.tufsh.repo;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.model.Expiry;
import dev.tufsh.trust.KnownRole;
import dev.tufsh.trust.KnownRoles;
import dev.tufsh.trust.SettledBins;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the last publish verified about every role that delegates nothing (version, length, SHA-256
 * of its file, expiry, the digests of the target scope and keys it was checked under), so the next publish
 * reads and verifies only the roles it changes: one upload into a 16 384-bin repository checks one
 * bin, not 16 384. Kept in {@code .tufsh/} as an {@link IndexJournal} bound to the SHA-256 of the
 * snapshot file it was written with: when that is not the snapshot clients see now (another tool
 * published, the file is damaged or missing), publish verifies everything again and writes it
 * anew; otherwise it appends the lines of the roles it changed.
 */
final class VerifiedIndex {
  private static final String FILE = "verified.index";
  private static final String BINDING = "tufsh verified index 3 snapshot ";

  /** The roles an index vouches for, and how long its file has grown. */
  static final class Known implements KnownRoles {
    static final Known NONE = new Known(Map.of(), 0, null, null);
    private final Map<String, KnownRole> roles;
    private final int lines;
    private final String binding;
    /** What the publish that wrote these very bytes in this process settled (null: parsed from a file). */
    private final SettledBins settled;

    private Known(Map<String, KnownRole> roles, int lines, String binding, SettledBins settled) {
      this.roles = roles;
      this.lines = lines;
      this.binding = binding;
      this.settled = settled;
    }

    /**
     * The bins the publish that wrote this index settled, for the next publish's walk: held only
     * with the very bytes that publish wrote (see {@link SameBytes}), which are bound to the
     * snapshot it published, so a publish by anyone else, or any change to the index, drops it.
     */
    SettledBins settled() {
      return settled;
    }

    /** Whether the index is bound to the snapshot clients see now: tufsh published that very file. */
    boolean vouchesForPublished() {
      return binding != null;
    }

    @Override
    public KnownRole get(String role) {
      return roles.get(role);
    }

    /** Every role vouched for (tests compare what is held with what the file says). */
    Map<String, KnownRole> roles() {
      return roles;
    }
  }

  /** The index this process last read or wrote, by its exact bytes (see {@link SameBytes}). */
  private static final SameBytes<Known> LAST = new SameBytes<>();

  private VerifiedIndex() {}

  /** The roles the index vouches for, when it was written with {@code snapshotBytes}; else none. */
  static Known load(Workspace ws, byte[] snapshotBytes) {
    return snapshotBytes == null ? Known.NONE : load(ws, Hex.encode(Crypto.sha256(snapshotBytes)));
  }

  /** The roles the index vouches for, when it is bound to the published snapshot; else none. */
  static Known load(Workspace ws, PublishedState published) {
    return published.snapshotBytes() == null ? Known.NONE : load(ws, published.snapshotSha256());
  }

  /** The roles the index vouches for, when it was written with the snapshot of this SHA-256 (hex). */
  private static Known load(Workspace ws, String snapshotSha256) {
    Path file = ws.privateDir().resolve(FILE);
    Known k = LAST.current(file);
    if (k == null) {
      byte[] bytes = IndexJournal.bytes(file);
      if (bytes == null) {
        return Known.NONE;
      }
      k = LAST.get(file, bytes);
      if (k == null) {
        k = parse(bytes);
        LAST.put(file, bytes, k);
      }
    }
    return binding(snapshotSha256).equals(k.binding) ? k : Known.NONE;
  }

  /** What the index file's {@code bytes} vouch for, under the binding they end with; NONE when damaged. */
  static Known parse(byte[] bytes) {
    try {
      // A day's bins share one expiry: one Expiry for them all, not 16,384 alike.
      // Likewise the scope and key digests bins share: one string each, from a map of this parse's
      // (String.intern goes through the JVM's native table for every line).
      Map<String, Expiry> expiries = new HashMap<>();
      Map<String, String> digests = new HashMap<>();
      IndexJournal.Read<KnownRole> c = IndexJournal.read(bytes, f -> new KnownRole(Integer.parseInt(f[1]),
          Long.parseLong(f[2]), f[3], expiries.computeIfAbsent(f[4], Expiry::parse),
          digests.computeIfAbsent(f[5], d -> d), digests.computeIfAbsent(f[6], d -> d)));
      if (c == null) {
        return Known.NONE;
      }
      Map<String, KnownRole> roles = new HashMap<>(c.entries().size() * 4 / 3 + 1);
      c.entries().forEach((hex, k) -> roles.put(new String(Hex.decode(hex, "role"), StandardCharsets.UTF_8), k));
      return new Known(roles, c.lines(), c.binding(), null);
    } catch (RuntimeException e) {
      return Known.NONE; // a damaged index costs one full verification, never trust
    }
  }

  /**
   * Records {@code leaves}, just verified, as describing the repository of {@code snapshotBytes}:
   * the lines of those that differ from {@code before} (what the verification started from) are
   * appended, or the whole index is written when {@code before} was none, names other roles, or
   * would grow past {@link IndexJournal#compactAt} lines. What the file then holds is kept for the next load in this process.
   */
  static void write(Workspace ws, String snapshotSha256, Map<String, KnownRole> leaves, Known before,
      SettledBins settled) {
    Path file = ws.privateDir().resolve(FILE);
    String binding = binding(snapshotSha256);
    // What this process holds for the file before the write: the bytes 'before' was parsed from.
    SameBytes.Held<Known> held = LAST.held(file);
    LAST.forget(file);
    // Leaves laid over what 'before' holds (model.Overlay: a publish that settled its bins) differ
    // from it only on the keys differing names; every other key maps to the very same fact in both.
    // Otherwise every leaf is compared.
    java.util.Set<String> maybe = dev.tufsh.model.Overlay.differing(before.roles, leaves);
    Iterable<String> compared = maybe != null ? maybe : leaves.keySet();
    // Only this process's writes lay leaves over what they held (held only when hashed), so keys
    // not compared carry a SHA-256.
    boolean hashed = true;
    // One pass: the same roles (as many, each known before), and the lines of those that changed.
    List<String> changed = new ArrayList<>();
    boolean same = before.binding != null && leaves.size() == before.roles.size();
    for (String role : compared) {
      KnownRole k = leaves.get(role);
      hashed &= k != null && k.sha256() != null;
      if (same) {
        KnownRole old = before.roles.get(role);
        same = old != null && k != null;
        if (same && old != k && !k.equals(old)) {
          changed.add(line(role, k));
        }
      }
    }
    java.util.Collections.sort(changed); // the lines of one batch in the same order, however found
    // A batch that changes many lines (the daily's 16,384) is written whole, at the cost of its
    // own lines: appended, it would double the file, which every later publish reads and parses.
    if (same && before.lines + changed.size() + 1 <= IndexJournal.compactAt(leaves.size())) {
      byte[] added = IndexJournal.appendBatch(file, before.binding, changed, binding);
      if (added != null) {
        if (held != null && held.value() == before && hashed) {
          // Parsing the file now gives the last line of each role: these very leaves.
          LAST.putAppended(file, held, added, new Known(leaves, before.lines + changed.size() + 1, binding, settled));
        }
        return;
      }
    }
    List<String> all = new ArrayList<>(leaves.size());
    hashed = true;
    for (Map.Entry<String, KnownRole> e : new TreeMap<>(leaves).entrySet()) {
      all.add(line(e.getKey(), e.getValue()));
      hashed &= e.getValue().sha256() != null;
    }
    byte[] written = IndexJournal.rewrite(file, all, binding);
    if (hashed) {
      LAST.put(file, written, new Known(leaves, all.size() + 1, binding, settled));
    }
  }

  private static String line(String role, KnownRole k) {
    return Hex.encode(role.getBytes(StandardCharsets.UTF_8)) + '\t' + k.version() + '\t' + k.length() + '\t'
        + k.sha256() + '\t' + k.expires().text() + '\t' + k.scope() + '\t' + k.keyDigest();
  }

  private static String binding(String snapshotSha256) {
    return BINDING + snapshotSha256;
  }
}
