package dev.tufsh.model;

import dev.tufsh.json.ByteSink;
import dev.tufsh.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Targets to merge into a role's canonical bytes ({@link SignedSplice#withTargetsAdded}): each a
 * path's UTF-8 bytes and its entry's canonical bytes ({@code {"hashes":{...},"length":N}} as {@link
 * CanonicalEncoder} writes it), in the order canonical JSON sorts members (UTF-8 byte order is
 * code-point order), no path twice. An add's targets come as bytes from its spill; a map is
 * encoded here.
 */
public interface AddedTargets {
  int count();

  /** The array holding path {@code i}'s UTF-8 bytes at {@link #pathFrom}, {@link #pathLength} of them. */
  byte[] pathArray(int i);

  int pathFrom(int i);

  int pathLength(int i);

  /** At least as many bytes as entry {@code i}'s canonical value takes. */
  int entryBound(int i);

  /** Writes entry {@code i}'s canonical value into {@code out} at {@code at}; returns where it ends. */
  int writeEntry(int i, byte[] out, int at);

  /**
   * {@code targets} as added targets, each path checked as {@link Targets} checks it (a {@link
   * dev.tufsh.errors.MetadataError} for a bad one), each entry encoded as the encoder writes it.
   */
  static AddedTargets of(Map<String, TargetFile> targets) {
    int n = targets.size();
    byte[][] paths = new byte[n][];
    byte[][] entries = new byte[n][];
    Integer[] order = new Integer[n];
    int k = 0;
    for (var e : targets.entrySet()) {
      Names.checkTargetPath(e.getKey(), "targets");
      CanonicalJson.writeString(e.getKey(), new ByteSink(e.getKey().length() + 2), false); // refused as the encoder refuses it
      paths[k] = e.getKey().getBytes(StandardCharsets.UTF_8);
      ByteSink sink = new ByteSink(128);
      CanonicalEncoder.target(e.getValue(), sink);
      entries[k] = sink.toByteArray();
      order[k] = k;
      k++;
    }
    Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(paths[a], paths[b]));
    return new AddedTargets() {
      @Override
      public int count() {
        return n;
      }

      @Override
      public byte[] pathArray(int i) {
        return paths[order[i]];
      }

      @Override
      public int pathFrom(int i) {
        return 0;
      }

      @Override
      public int pathLength(int i) {
        return paths[order[i]].length;
      }

      @Override
      public int entryBound(int i) {
        return entries[order[i]].length;
      }

      @Override
      public int writeEntry(int i, byte[] out, int at) {
        byte[] e = entries[order[i]];
        System.arraycopy(e, 0, out, at, e.length);
        return at + e.length;
      }
    };
  }

  /**
   * Writes {@code b[from, from + length)} (UTF-8) as canonical JSON writes that string: quoted,
   * only '"' and '\' escaped; returns where it ends in {@code out}.
   */
  static int writeQuoted(byte[] b, int from, int length, byte[] out, int at) {
    out[at++] = '"';
    for (int i = from; i < from + length; i++) {
      byte c = b[i];
      if (c == '"' || c == '\\') {
        out[at++] = '\\';
      }
      out[at++] = c;
    }
    out[at++] = '"';
    return at;
  }
}
