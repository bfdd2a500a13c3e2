package dev.tufsh.trust;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.model.DelegatedRole;
import dev.tufsh.model.SuccinctRoles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Digests of everything that decides whether a delegated role's file is acceptable besides its
 * own bytes, in two parts. {@link #scope}: what the role may list, the paths, hash prefixes or
 * succinct bin delegated (with the role's name and whether it terminates) and the scope of the
 * chain above it. {@link #keys}: who must sign it, the keys (by the ids computed from their
 * content) and threshold, with the chain above's keys and this scope. Equal pairs mean a file
 * accepted under one delegation is accepted under the other; an equal scope alone means content
 * checked under one is in scope under the other, and only its signatures need checking again
 * (after a key change: {@link RenewedLeaf}).
 */
final class ScopeDigest {
  private ScopeDigest() {}

  /** The target scope of the delegation of {@code entry} or {@code bins} (one is null) by {@code delegator}. */
  static String scope(String parentScope, String delegator, DelegatedRole entry, SuccinctRoles bins) {
    StringBuilder sb = new StringBuilder(256).append("scope\n").append(parentScope).append('\n').append(delegator)
        .append('\n');
    if (bins != null) {
      sb.append("succinct ").append(bins.bitLength()).append(' ').append(bins.namePrefix());
    } else {
      sb.append("role ").append(entry.name()).append(' ').append(entry.terminating()).append('\n')
          .append(entry.paths()).append('\n').append(entry.pathHashPrefixes());
    }
    return digest(sb);
  }

  /** Who signs under {@code scope}: {@code threshold} of {@code keyids} (in {@code keys}), below {@code parentKeys}. */
  static String keys(String parentKeys, String scope, Map<String, Key> keys, List<String> keyids, int threshold) {
    StringBuilder sb = new StringBuilder(256).append("keys\n").append(parentKeys).append('\n').append(scope)
        .append('\n').append(threshold).append('\n');
    for (String id : keyids) {
      Key k = keys.get(id);
      sb.append(id).append('=').append(k == null ? "-" : k.keyId() + ":" + k.scheme()).append('\n');
    }
    return digest(sb);
  }

  private static String digest(StringBuilder sb) {
    return Hex.encode(Crypto.sha256(sb.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
