package dev.tufsh.repo;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.model.Expiry;
import dev.tufsh.trust.KnownRole;
import dev.tufsh.trust.KnownRoles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the last publish verified about every role that delegates nothing (version, length, SHA-256
 * of its file, expiry, the digest of the delegation it was checked under), so the next publish
 * reads and verifies only the roles it changes: one upload into a 16 384-bin repository checks one
 * bin, not 16 384. Kept in {@code .tufsh/} as an {@link IndexJournal} bound to the SHA-256 of the
 * snapshot file it was written with: when that is not the snapshot clients see now (another tool
 * published, the file is damaged or missing), publish verifies everything again and writes it
 * anew; otherwise it appends the lines of the roles it changed.
 */
final class VerifiedIndex {
  private static final String FILE = "verified.index";
  private static final String BINDING = "tufsh verified index 2 snapshot ";

  /** The roles an index vouches for, and how long its file has grown. */
  static final class Known implements KnownRoles {
    static final Known NONE = new Known(Map.of(), 0, null);
    private final Map<String, KnownRole> roles;
    private final int lines;
    private final String binding;

    private Known(Map<String, KnownRole> roles, int lines, String binding) {
      this.roles = roles;
      this.lines = lines;
      this.binding = binding;
    }

    /** Whether the index is bound to the snapshot clients see now: tufsh published that very file. */
    boolean vouchesForPublished() {
      return binding != null;
    }

    @Override
    public KnownRole get(String role) {
      return roles.get(role);
    }
  }

  private VerifiedIndex() {}

  /** The roles the index vouches for, when it was written with {@code snapshotBytes}; else none. */
  static Known load(Workspace ws, byte[] snapshotBytes) {
    if (snapshotBytes == null) {
      return Known.NONE;
    }
    IndexJournal.Contents c = IndexJournal.read(ws.privateDir().resolve(FILE));
    String binding = binding(snapshotBytes);
    if (c == null || !c.binding().equals(binding)) {
      return Known.NONE;
    }
    try {
      Map<String, KnownRole> roles = new HashMap<>();
      c.entries().forEach((hex, f) -> roles.put(new String(Hex.decode(hex, "role"), StandardCharsets.UTF_8),
          new KnownRole(Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3], Expiry.parse(f[4]), f[5])));
      return new Known(roles, c.lines(), binding);
    } catch (RuntimeException e) {
      return Known.NONE; // a damaged index costs one full verification, never trust
    }
  }

  /**
   * Records {@code leaves}, just verified, as describing the repository of {@code snapshotBytes}:
   * the lines of those that differ from {@code before} (what the verification started from) are
   * appended, or the whole index is written when {@code before} was none, names other roles, or has
   * grown to twice its size.
   */
  static void write(Workspace ws, byte[] snapshotBytes, Map<String, KnownRole> leaves, Known before) {
    Path file = ws.privateDir().resolve(FILE);
    String binding = binding(snapshotBytes);
    if (before.binding != null && before.lines <= 2 * before.roles.size() + 64
        && leaves.keySet().equals(before.roles.keySet())) {
      List<String> changed = new ArrayList<>();
      leaves.forEach((role, k) -> {
        if (!k.equals(before.roles.get(role))) {
          changed.add(line(role, k));
        }
      });
      if (IndexJournal.append(file, before.binding, changed, binding)) {
        return;
      }
    }
    List<String> all = new ArrayList<>(leaves.size());
    new TreeMap<>(leaves).forEach((role, k) -> all.add(line(role, k)));
    IndexJournal.rewrite(file, all, binding);
  }

  private static String line(String role, KnownRole k) {
    return Hex.encode(role.getBytes(StandardCharsets.UTF_8)) + '\t' + k.version() + '\t' + k.length() + '\t'
        + k.sha256() + '\t' + k.expires().text() + '\t' + k.scope();
  }

  private static String binding(byte[] snapshotBytes) {
    return BINDING + Hex.encode(Crypto.sha256(snapshotBytes));
  }
}
