package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.errors.MetadataError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A role in a {@code delegations.roles} list. Exactly one of {@code paths} and
 * {@code pathHashPrefixes} is set (python-tuf refuses neither or both).
 */
public record DelegatedRole(
    String name,
    List<String> keyids,
    int threshold,
    boolean terminating,
    List<String> paths,
    List<String> pathHashPrefixes,
    Map<String, JsonNode> extras) {
  public DelegatedRole {
    Names.checkRoleName(name, "name");
    keyids = List.copyOf(keyids);
    Checks.threshold(threshold, keyids, "");
    if ((paths == null) == (pathHashPrefixes == null)) {
      throw MetadataError.field(
          "paths", "exactly one of 'paths' and 'path_hash_prefixes' must be given");
    }
    paths = paths == null ? null : List.copyOf(paths);
    pathHashPrefixes = pathHashPrefixes == null ? null : List.copyOf(pathHashPrefixes);
    if (pathHashPrefixes != null) {
      for (String p : pathHashPrefixes) {
        if (!Hex.isLowerHex(p)) {
          throw MetadataError.field("path_hash_prefixes", "'" + Names.printable(p) + "' is not lowercase hex");
        }
      }
    }
    extras = Map.copyOf(extras);
  }

  /** Whether this delegation covers {@code targetPath} (spec 4.5 path pattern rules). */
  public boolean covers(String targetPath) {
    if (paths != null) {
      for (String pattern : paths) {
        if (PathPattern.matches(pattern, targetPath)) {
          return true;
        }
      }
      return false;
    }
    String hash = Hex.encode(Crypto.sha256(targetPath.getBytes(StandardCharsets.UTF_8)));
    for (String prefix : pathHashPrefixes) {
      if (hash.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  public DelegatedRole withKeys(List<String> ids, int t) {
    return new DelegatedRole(name, ids, t, terminating, paths, pathHashPrefixes, extras);
  }
}
