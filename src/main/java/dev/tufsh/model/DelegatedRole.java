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
    return coversHash(Crypto.sha256(targetPath.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * As {@link #covers}, given the path's SHA-256 already (a router hashes each path of a list once
   * for both PEP 458's hash-prefix role and the bin under it): only a pattern is matched on the path.
   */
  public boolean covers(String targetPath, byte[] pathSha256) {
    return paths != null ? covers(targetPath) : coversHash(pathSha256);
  }

  private boolean coversHash(byte[] hash) {
    for (String prefix : pathHashPrefixes) {
      if (hexStartsWith(hash, prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the lowercase hex of {@code digest} starts with {@code prefix}, without encoding all of
   * it: every path of a 2.27 M-target list is matched against the 16 prefixes of PEP 458's bins role.
   */
  static boolean hexStartsWith(byte[] digest, String prefix) {
    if (prefix.length() > 2 * digest.length) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      int nibble = (digest[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
      if (prefix.charAt(i) != "0123456789abcdef".charAt(nibble)) {
        return false;
      }
    }
    return true;
  }

  public DelegatedRole withKeys(List<String> ids, int t) {
    return new DelegatedRole(name, ids, t, terminating, paths, pathHashPrefixes, extras);
  }
}
