package dev.tufsh.repo;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The published timestamp.json and root chain ({@code 1.root.json} up to the newest) as they were
 * when this process last knew the timestamp untampered: it wrote that timestamp itself after
 * publish's client verification checked its signatures under the newest root, and the root chain
 * had passed the tamper check (signatures up from 1.root.json) in this process with those very
 * bytes. While every one of those files still holds exactly those bytes (compared whole; the root
 * files and timestamp are a few KB), the tamper check's verdict is the same and its signature
 * checks are not run again; a timestamp or any root file changed by anyone is checked as always.
 */
final class VouchedTimestamp {
  private record Vouched(byte[] timestamp, List<byte[]> roots) {}

  /** A long-lived server may serve a few repositories: it keeps a few, not all. */
  private static final int FOLDERS = 8;
  private static final Map<Path, Vouched> LAST = new ConcurrentHashMap<>();
  /** Root chains that passed the tamper check in this process, by folder (their exact bytes). */
  private static final Map<Path, List<byte[]>> CHAINS = new ConcurrentHashMap<>();

  private VouchedTimestamp() {}

  /** Whether {@code metadataDir}'s timestamp and root chain are byte for byte what was last vouched for. */
  static boolean holds(Path metadataDir) {
    Vouched v = LAST.get(key(metadataDir));
    if (v == null) {
      return false;
    }
    byte[] ts = read(metadataDir.resolve(FileNames.TIMESTAMP));
    return ts != null && Arrays.equals(ts, v.timestamp) && same(rootChain(metadataDir), v.roots);
  }

  /**
   * Records that the root chain passed the tamper check over {@code read}, the very bytes it read
   * by file name: 1.root.json onwards while each is there (what a fresh read is compared with).
   */
  static void chainChecked(Path metadataDir, Map<String, byte[]> read) {
    List<byte[]> chain = new ArrayList<>();
    for (int v = 1; read.containsKey(FileNames.root(v)); v++) {
      chain.add(read.get(FileNames.root(v)));
    }
    if (!chain.isEmpty()) {
      remember(CHAINS, key(metadataDir), chain);
    }
  }

  /**
   * Records {@code timestamp}, just written by a publish whose client verification checked it
   * under {@code trustedRoot}, with the root chain, if that chain is one that passed the tamper
   * check and ends with that root.
   */
  static void published(Path metadataDir, byte[] timestamp, byte[] trustedRoot) {
    Path k = key(metadataDir);
    LAST.remove(k);
    List<byte[]> chain = rootChain(metadataDir);
    // The root the verification trusted must be the newest of a chain that was checked: a publish
    // that added a root, or a root read apart from the checked chain, records nothing.
    if (timestamp != null && trustedRoot != null && chain != null && same(chain, CHAINS.get(k))
        && Arrays.equals(chain.get(chain.size() - 1), trustedRoot)) {
      remember(LAST, k, new Vouched(timestamp.clone(), chain));
    }
  }

  private static <T> void remember(Map<Path, T> map, Path k, T value) {
    if (map.size() >= FOLDERS) {
      map.clear();
    }
    map.put(k, value);
  }

  /** 1.root.json, 2.root.json, ... up to the first missing one: the chain the tamper check walks; null without 1.root.json. */
  private static List<byte[]> rootChain(Path dir) {
    List<byte[]> out = new ArrayList<>();
    for (int v = 1; ; v++) {
      byte[] b = read(dir.resolve(FileNames.root(v)));
      if (b == null) {
        return out.isEmpty() ? null : out;
      }
      out.add(b);
    }
  }

  private static boolean same(List<byte[]> a, List<byte[]> b) {
    if (a == null || b == null || a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static byte[] read(Path p) {
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try {
      return AtomicFiles.readBounded(p, 16L << 20);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Path key(Path dir) {
    return dir.toAbsolutePath().normalize();
  }
}
