package dev.tufsh.model;

import dev.tufsh.json.CanonicalScan;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The canonical signed bytes of the next snapshot, made from the published snapshot's file by
 * writing in its new version, its new expiry and the entries of the roles that changed, instead of
 * encoding all 16,384 entries again for one upload. Byte for byte what {@link
 * MetadataCodec#canonicalSigned} gives for the snapshot decoded from {@code file} with those
 * changes (SnapshotSpliceTest holds it to that).
 *
 * <p>Only over bytes {@link CanonicalScan} finds canonical (so every unchanged entry's bytes are
 * what encoding it gives), and only for changes to entries the snapshot already lists, each a bare
 * version ({@link MetaFile#ofVersion}); anything else is left to the full encoding (empty).
 *
 * <p>A splice also gives the {@link Layout} of what it made, so the next splice over the file
 * written from it need not scan 16,384 entries again to find where they are.
 */
public final class SnapshotSplice {
  private SnapshotSplice() {}

  private record Edit(int from, int to, byte[] with) {}

  /** What a splice made: the canonical signed bytes, and where their members lie. */
  public record Spliced(byte[] signed, Layout layout) {}

  /**
   * Where the members of one snapshot file lie: {@code signed}'s version, expiry and every entry
   * of its meta, each entry's value span. Holds the exact file bytes it describes, and is used for
   * a file only when that file's bytes are exactly these: then every offset is what a scan of the
   * file finds (the scan that made the first layout checked those bytes canonical, and a splice
   * writes only canonical values, so what it derived is canonical too). Immutable.
   */
  public static final class Layout {
    private final byte[] file;
    /** Added to every offset below: a splice's layout is made over its signed bytes, then placed in the file. */
    private final int base;
    private final int signedFrom;
    private final int signedTo;
    private final int versionFrom;
    private final int versionTo;
    private final int expiresFrom;
    private final int expiresTo;
    /** Entry name to its position in {@code from}/{@code to}: the names never change from splice to splice. */
    private final Map<String, Integer> index;
    private final int[] from;
    private final int[] to;

    private Layout(byte[] file, int base, int signedFrom, int signedTo, int versionFrom, int versionTo,
        int expiresFrom, int expiresTo, Map<String, Integer> index, int[] from, int[] to) {
      this.file = file;
      this.base = base;
      this.signedFrom = signedFrom;
      this.signedTo = signedTo;
      this.versionFrom = versionFrom;
      this.versionTo = versionTo;
      this.expiresFrom = expiresFrom;
      this.expiresTo = expiresTo;
      this.index = index;
      this.from = from;
      this.to = to;
    }

    /**
     * This layout (made over the signed bytes {@code signed}) placed in {@code file}, which must
     * hold {@code signed} at {@code offset}; empty when it does not.
     */
    public Optional<Layout> in(byte[] file, byte[] signed, int offset) {
      if (this.file != signed || base != 0 || offset < 0 || offset + signed.length > file.length
          || !Arrays.equals(file, offset, offset + signed.length, signed, 0, signed.length)) {
        return Optional.empty();
      }
      return Optional.of(new Layout(file, offset, signedFrom, signedTo, versionFrom, versionTo, expiresFrom,
          expiresTo, index, from, to));
    }

    /** Whether this layout describes {@code bytes}: the very bytes, compared whole. */
    public boolean describes(byte[] bytes) {
      return bytes == file || Arrays.equals(bytes, file);
    }

    int entryFrom(int i) {
      return from[i] + base;
    }

    int entryTo(int i) {
      return to[i] + base;
    }
  }

  public static Optional<byte[]> signedBytes(byte[] file, int version, Expiry expires, Map<String, MetaFile> changed) {
    return splice(file, null, version, expires, changed).map(Spliced::signed);
  }

  /**
   * As {@link #signedBytes}, with the layout of what it made; {@code known} is the layout of {@code
   * file} kept from the splice that made it (used only if it describes these very bytes, else the
   * file is scanned), or null.
   */
  public static Optional<Spliced> splice(
      byte[] file, Layout known, int version, Expiry expires, Map<String, MetaFile> changed) {
    if (version < 1) {
      return Optional.empty();
    }
    for (MetaFile f : changed.values()) {
      if (f.length() != null || f.hashes() != null || !f.extras().isEmpty()) {
        return Optional.empty();
      }
    }
    Layout at = known != null && known.describes(file) ? known : scan(file);
    if (at == null || !at.index.keySet().containsAll(changed.keySet())) {
      return Optional.empty(); // a new entry goes in by the full encoding, which places it
    }
    List<Edit> edits = new ArrayList<>(changed.size() + 2);
    edits.add(new Edit(at.versionFrom + at.base, at.versionTo + at.base, ascii(Integer.toString(version))));
    edits.add(new Edit(at.expiresFrom + at.base, at.expiresTo + at.base,
        ("\"" + expires.text() + "\"").getBytes(StandardCharsets.UTF_8)));
    for (Map.Entry<String, MetaFile> c : changed.entrySet()) {
      int i = at.index.get(c.getKey());
      int from = at.entryFrom(i);
      int to = at.entryTo(i);
      if (at != known || isEntry(file, c.getKey(), from, to)) {
        edits.add(new Edit(from, to, ascii("{\"version\":" + c.getValue().version() + "}")));
      } else {
        return splice(file, null, version, expires, changed); // a kept offset that does not check: scan
      }
    }
    edits.sort(Comparator.comparingInt(Edit::from));
    int signedFrom = at.signedFrom + at.base;
    int signedTo = at.signedTo + at.base;
    ByteArrayOutputStream out = new ByteArrayOutputStream(signedTo - signedFrom + 64 * edits.size());
    int p = signedFrom;
    for (Edit e : edits) {
      out.write(file, p, e.from() - p);
      out.write(e.with(), 0, e.with().length);
      p = e.to();
    }
    out.write(file, p, signedTo - p);
    byte[] signed = out.toByteArray();
    return Optional.of(new Spliced(signed, moved(at, edits, signed)));
  }

  /**
   * Where {@code at}'s members are in {@code signed}, the bytes its {@code edits} made: every
   * offset is moved by the growth of the edits before it (an edited value's end by its own too).
   * Edits replace whole values, so no offset falls strictly inside one.
   */
  private static Layout moved(Layout at, List<Edit> edits, byte[] signed) {
    int origin = at.signedFrom + at.base;
    int[] from = new int[at.from.length];
    int[] to = new int[at.to.length];
    int e = 0;
    int delta = -origin;
    int te = 0;
    int tdelta = -origin;
    for (int i = 0; i < from.length; i++) {
      int f = at.entryFrom(i);
      while (e < edits.size() && edits.get(e).to() <= f) {
        delta += growth(edits.get(e++));
      }
      from[i] = f + delta;
      int t = at.entryTo(i);
      while (te < edits.size() && edits.get(te).to() <= t) {
        tdelta += growth(edits.get(te++));
      }
      to[i] = t + tdelta;
    }
    return new Layout(signed, 0, 0, signed.length, moved(at.versionFrom + at.base, edits, origin),
        moved(at.versionTo + at.base, edits, origin), moved(at.expiresFrom + at.base, edits, origin),
        moved(at.expiresTo + at.base, edits, origin), at.index, from, to);
  }

  private static int moved(int p, List<Edit> edits, int origin) {
    int out = p - origin;
    for (Edit e : edits) {
      if (e.to() <= p) {
        out += growth(e);
      }
    }
    return out;
  }

  private static int growth(Edit e) {
    return e.with().length - (e.to() - e.from());
  }

  /** A kept entry offset still checked: the value at it is an object right after its quoted name and a colon. */
  private static boolean isEntry(byte[] file, String name, int from, int to) {
    byte[] n = ("\"" + name + "\":").getBytes(StandardCharsets.UTF_8);
    return from - n.length >= 0 && to <= file.length && to > from && file[from] == '{' && file[to - 1] == '}'
        && Arrays.equals(file, from - n.length, from, n, 0, n.length);
  }

  /** The layout a scan of {@code file} finds; null when it is not a canonical snapshot file. */
  private static Layout scan(byte[] file) {
    Map<String, CanonicalScan.Span> m = CanonicalScan.members(file, 0, file.length, "signed");
    if (m == null || !m.containsKey("signed") || !m.containsKey("signed.meta") || !m.containsKey("signed.version")
        || !m.containsKey("signed.expires") || !"\"snapshot\"".equals(text(file, m.get("signed._type")))) {
      return null;
    }
    CanonicalScan.Span meta = m.get("signed.meta");
    Map<String, CanonicalScan.Span> entries = CanonicalScan.members(file, meta.from(), meta.to(), null);
    if (entries == null) {
      return null;
    }
    Map<String, Integer> index = new HashMap<>(entries.size() * 2);
    int[] from = new int[entries.size()];
    int[] to = new int[entries.size()];
    int i = 0;
    for (Map.Entry<String, CanonicalScan.Span> e : entries.entrySet()) { // in file order
      index.put(e.getKey(), i);
      from[i] = e.getValue().from();
      to[i++] = e.getValue().to();
    }
    CanonicalScan.Span s = m.get("signed");
    CanonicalScan.Span v = m.get("signed.version");
    CanonicalScan.Span x = m.get("signed.expires");
    return new Layout(file, 0, s.from(), s.to(), v.from(), v.to(), x.from(), x.to(),
        java.util.Collections.unmodifiableMap(index), from, to);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String text(byte[] b, CanonicalScan.Span s) {
    return s == null ? null : new String(b, s.from(), s.to() - s.from(), StandardCharsets.UTF_8);
  }
}
