package dev.tufsh.ops;

import dev.tufsh.model.AddedTargets;
import dev.tufsh.model.TargetFile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One role's targets of an add as its spill run holds them (the records at {@code records} of
 * {@code run}, in the order they were added): sorted by path where they lie for a merge into the
 * role's canonical bytes, or made into a map for a role that is decoded instead. A path added twice
 * counts once, its later record winning, as a map's put of each in turn gives.
 */
final class SpilledRole implements AddedTargets {
  private final byte[] run;
  private final int[] records;
  /** The records by path, one per path (the last of those sharing one), and where each path is; made once needed. */
  private int[] sorted;
  private int[] pathFrom;
  private int[] pathLength;

  SpilledRole(byte[] run, int[] records) {
    this.run = run;
    this.records = records;
  }

  /** How many paths (each once). */
  int size() {
    return sorted().length;
  }

  /** The targets by path, in the order first added, each with its last record's content. */
  Map<String, TargetFile> toMap() {
    Map<String, TargetFile> out = new LinkedHashMap<>();
    for (int o : records) {
      int path = pathAt(o);
      int len = TargetSpill.intAt(run, path - 4);
      int at = path + len;
      long length = TargetSpill.longAt(run, at);
      int n = run[at + 8] & 0xff;
      at += 9;
      Map<String, String> hashes = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        String name = string(at);
        at += 4 + TargetSpill.intAt(run, at);
        hashes.put(name, string(at));
        at += 4 + TargetSpill.intAt(run, at);
      }
      out.put(new String(run, path, len, StandardCharsets.UTF_8), new TargetFile(length, hashes));
    }
    return out;
  }

  private String string(int at) {
    return new String(run, at + 4, TargetSpill.intAt(run, at), StandardCharsets.UTF_8);
  }

  /** Where the path of the record at {@code o} starts (its length is the int before it). */
  private int pathAt(int o) {
    return o + 4 + TargetSpill.intAt(run, o) + 4;
  }

  private int[] sorted() {
    if (sorted != null) {
      return sorted;
    }
    int n = records.length;
    int[] from = new int[n];
    int[] len = new int[n];
    for (int i = 0; i < n; i++) {
      from[i] = pathAt(records[i]);
      len[i] = TargetSpill.intAt(run, from[i] - 4);
    }
    int[] order = order(from, len);
    int[] keep = new int[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      int r = order[i];
      if (i + 1 < n) {
        int next = order[i + 1];
        if (len[r] == len[next] && Arrays.equals(run, from[r], from[r] + len[r], run, from[next], from[next] + len[r])) {
          continue; // a later record of the same path follows
        }
      }
      keep[k++] = r;
    }
    sorted = new int[k];
    pathFrom = new int[k];
    pathLength = new int[k];
    for (int i = 0; i < k; i++) {
      sorted[i] = records[keep[i]];
      pathFrom[i] = from[keep[i]];
      pathLength[i] = len[keep[i]];
    }
    return sorted;
  }

  /**
   * The records' indexes by path, then in the order added (so the last of equal paths comes last):
   * sorted as longs of each path's first four bytes and its index, then each run of equal first
   * bytes by whole path (a sort of boxed indexes with a comparator cost more than the merge).
   */
  private int[] order(int[] from, int[] len) {
    int n = from.length;
    if (n >= 1 << 24) {
      throw new IllegalStateException("more than 2^24 targets for one role in one add");
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      long prefix = 0;
      for (int k = 0; k < 4; k++) {
        prefix = prefix << 8 | (k < len[i] ? run[from[i] + k] & 0xff : 0);
      }
      keys[i] = prefix << 24 | i;
    }
    Arrays.sort(keys);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (int) (keys[i] & 0xffffff);
    }
    for (int i = 0; i < n; ) { // runs of equal first bytes: by whole path, then index (insertion for a short run)
      int j = i + 1;
      while (j < n && keys[j] >>> 24 == keys[i] >>> 24) {
        j++;
      }
      if (j - i > 16) { // paths sharing their first bytes ("packages/..."): a comparison sort
        Integer[] run = new Integer[j - i];
        for (int k = i; k < j; k++) {
          run[k - i] = order[k];
        }
        Arrays.sort(run, (a, b) -> compare(from, len, a, b));
        for (int k = i; k < j; k++) {
          order[k] = run[k - i];
        }
        i = j;
        continue;
      }
      for (int k = i + 1; k < j; k++) {
        int x = order[k];
        int m = k;
        while (m > i && compare(from, len, order[m - 1], x) > 0) {
          order[m] = order[m - 1];
          m--;
        }
        order[m] = x;
      }
      i = j;
    }
    return order;
  }

  private int compare(int[] from, int[] len, int a, int b) {
    int c = Arrays.compareUnsigned(run, from[a], from[a] + len[a], run, from[b], from[b] + len[b]);
    return c != 0 ? c : Integer.compare(a, b);
  }

  @Override
  public int count() {
    return size();
  }

  @Override
  public byte[] pathArray(int i) {
    return run;
  }

  @Override
  public int pathFrom(int i) {
    sorted();
    return pathFrom[i];
  }

  @Override
  public int pathLength(int i) {
    sorted();
    return pathLength[i];
  }

  private static final byte[] HEAD = "{\"hashes\":{".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MID = "},\"length\":".getBytes(StandardCharsets.US_ASCII);

  /** Where entry {@code i}'s length is; its hash count follows, then each hash's name and hex. */
  private int valueAt(int i) {
    sorted();
    return pathFrom[i] + pathLength[i];
  }

  /** The order its hashes are written in: by name (ASCII names: byte order is code-point order). */
  private int[] hashOrder(int at, int n) {
    int[] names = new int[n];
    int h = at + 9;
    for (int j = 0; j < n; j++) {
      names[j] = h;
      h += 4 + TargetSpill.intAt(run, h);
      h += 4 + TargetSpill.intAt(run, h);
    }
    for (int j = 1; j < n; j++) { // a few at most: insertion
      for (int m = j; m > 0 && compareString(names[m - 1], names[m]) > 0; m--) {
        int t = names[m];
        names[m] = names[m - 1];
        names[m - 1] = t;
      }
    }
    return names;
  }

  private int compareString(int a, int b) {
    int la = TargetSpill.intAt(run, a);
    int lb = TargetSpill.intAt(run, b);
    return Arrays.compareUnsigned(run, a + 4, a + 4 + la, run, b + 4, b + 4 + lb);
  }

  /** Its hashes' names and hex quoted with every byte escaped, at most, and 20 digits of length. */
  @Override
  public int entryBound(int i) {
    int at = valueAt(i);
    int n = run[at + 8] & 0xff;
    int size = HEAD.length + MID.length + 20 + 1 + n * 6;
    int h = at + 9;
    for (int j = 0; j < 2 * n; j++) {
      int len = TargetSpill.intAt(run, h);
      size += 2 * len;
      h += 4 + len;
    }
    return size;
  }

  @Override
  public int writeEntry(int i, byte[] out, int at) {
    int v = valueAt(i);
    int n = run[v + 8] & 0xff;
    System.arraycopy(HEAD, 0, out, at, HEAD.length);
    at += HEAD.length;
    int[] names = n == 1 ? new int[] {v + 9} : hashOrder(v, n);
    for (int j = 0; j < n; j++) {
      if (j > 0) {
        out[at++] = ',';
      }
      int name = names[j];
      int nameLength = TargetSpill.intAt(run, name);
      at = AddedTargets.writeQuoted(run, name + 4, nameLength, out, at);
      out[at++] = ':';
      int hex = name + 4 + nameLength;
      at = AddedTargets.writeQuoted(run, hex + 4, TargetSpill.intAt(run, hex), out, at);
    }
    System.arraycopy(MID, 0, out, at, MID.length);
    at += MID.length;
    long length = TargetSpill.longAt(run, v);
    int d = digits(length);
    for (int k = at + d - 1; k >= at; k--) {
      out[k] = (byte) ('0' + length % 10);
      length /= 10;
    }
    at += d;
    out[at++] = '}';
    return at;
  }

  /** How many decimal digits a non-negative {@code x} takes. */
  private static int digits(long x) {
    int d = 1;
    while (x >= 10) {
      x /= 10;
      d++;
    }
    return d;
  }
}
