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
 * A digest of everything that decides whether a delegated role's file is acceptable besides its
 * own bytes: the delegator's scope (the chain above it), the keys (by the ids computed from their
 * content) and threshold, and the paths, hash prefixes or succinct bins delegated. Equal digests
 * mean a file accepted under one delegation is accepted under the other.
 */
final class ScopeDigest {
  private ScopeDigest() {}

  static String of(String parentScope, String delegator, Map<String, Key> keys, List<String> keyids,
      int threshold, DelegatedRole entry, SuccinctRoles bins) {
    StringBuilder sb = new StringBuilder(256).append(parentScope).append('\n').append(delegator).append('\n')
        .append(threshold).append('\n');
    for (String id : keyids) {
      Key k = keys.get(id);
      sb.append(id).append('=').append(k == null ? "-" : k.keyId() + ":" + k.scheme()).append('\n');
    }
    if (bins != null) {
      sb.append("succinct ").append(bins.bitLength()).append(' ').append(bins.namePrefix());
    } else {
      sb.append("role ").append(entry.name()).append(' ').append(entry.terminating()).append('\n')
          .append(entry.paths()).append('\n').append(entry.pathHashPrefixes());
    }
    return Hex.encode(Crypto.sha256(sb.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
