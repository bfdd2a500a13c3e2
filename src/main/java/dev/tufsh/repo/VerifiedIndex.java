package dev.tufsh.repo;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.model.Expiry;
import dev.tufsh.trust.KnownRole;
import dev.tufsh.trust.KnownRoles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the last publish verified about every role that delegates nothing (version, length, SHA-256
 * of its file, expiry, the digest of the delegation it was checked under), so the next publish
 * reads and verifies only the roles it changes: one upload into a 16 384-bin repository checks one
 * bin, not 16 384. Kept in {@code .tufsh/} and bound to the SHA-256 of the snapshot file it was
 * written with: when that is not the snapshot clients see now (another tool published, the file
 * is damaged or missing), publish verifies everything again and writes it anew.
 */
final class VerifiedIndex {
  private static final String FILE = "verified.index";
  private static final String HEADER = "tufsh verified index 1 snapshot ";

  private VerifiedIndex() {}

  /** The roles the index vouches for, when it was written with {@code snapshotBytes}; else none. */
  static KnownRoles load(Workspace ws, byte[] snapshotBytes) {
    Path file = ws.privateDir().resolve(FILE);
    if (snapshotBytes == null || !Files.exists(file)) {
      return KnownRoles.NONE;
    }
    try {
      byte[] all = Files.readAllBytes(file);
      String text = new String(all, StandardCharsets.UTF_8);
      int nl = text.indexOf('\n');
      if (nl < 0 || !text.substring(0, nl).equals(HEADER + Hex.encode(Crypto.sha256(snapshotBytes)))) {
        return KnownRoles.NONE;
      }
      Map<String, KnownRole> roles = new HashMap<>();
      int from = nl + 1;
      while (from < text.length()) {
        int end = text.indexOf('\n', from);
        String[] f = text.substring(from, end).split("\t", -1);
        String role = new String(Hex.decode(f[0], "role"), StandardCharsets.UTF_8);
        roles.put(role, new KnownRole(Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3], Expiry.parse(f[4]), f[5]));
        from = end + 1;
      }
      return roles::get;
    } catch (RuntimeException | java.io.IOException e) {
      return KnownRoles.NONE; // a damaged index costs one full verification, never trust
    }
  }

  /** Records {@code leaves}, just verified, as describing the repository of {@code snapshotBytes}. */
  static void write(Workspace ws, byte[] snapshotBytes, Map<String, KnownRole> leaves) {
    StringBuilder sb = new StringBuilder(leaves.size() * 200 + 100)
        .append(HEADER).append(Hex.encode(Crypto.sha256(snapshotBytes))).append('\n');
    new TreeMap<>(leaves).forEach((role, k) -> sb.append(Hex.encode(role.getBytes(StandardCharsets.UTF_8)))
        .append('\t').append(k.version()).append('\t').append(k.length()).append('\t').append(k.sha256())
        .append('\t').append(k.expires().text()).append('\t').append(k.scope()).append('\n'));
    AtomicFiles.write(ws.privateDir().resolve(FILE), sb.toString().getBytes(StandardCharsets.UTF_8));
  }
}
