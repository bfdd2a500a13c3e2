package dev.tufsh.model;

import dev.tufsh.json.ByteSink;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.CanonicalScan;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A new version and expiry for a targets role that changes nothing else (bump, resign, the re-sign
 * of every bin after a key change), made by writing the two new values into the role's canonical
 * signed bytes instead of decoding its targets and encoding them again: 16 384 bins of ~139
 * targets each in the daily job. The result is byte for byte what decoding, {@link
 * Signed#withExpires}, {@link Signed#withVersion} and {@link MetadataCodec#canonicalSigned} give.
 *
 * <p>Only sound over bytes that are canonical ({@link CanonicalScan} checks it while finding the
 * members) and that the caller knows were verified: this reads no target entry, so it vouches for
 * nothing in them. A role that delegates is refused (its keys would go unchecked here), as is
 * anything that is not a targets role, and the caller decodes it instead.
 */
public final class SignedSplice {
  private final byte[] file;
  private final CanonicalScan.Span signed;
  private final CanonicalScan.Span signatures;
  private final CanonicalScan.Span targets;
  private final CanonicalScan.Span version;
  private final CanonicalScan.Span expires;
  /** Where spec_version's value is, when the scan that made this splice found it (null: scan again). */
  private final CanonicalScan.Span spec;
  private final int currentVersion;
  private final Expiry currentExpires;

  private SignedSplice(byte[] file, Map<String, CanonicalScan.Span> m, CanonicalScan.Span version,
      CanonicalScan.Span expires, int currentVersion, Expiry currentExpires) {
    this.file = file;
    this.signed = m.get("signed");
    this.signatures = m.get("signatures");
    this.targets = m.get("signed.targets");
    this.spec = m.get("signed.spec_version");
    this.version = version;
    this.expires = expires;
    this.currentVersion = currentVersion;
    this.currentExpires = currentExpires;
  }

  /**
   * The splice of metadata file {@code file}, or empty when it is not a canonical targets role
   * without delegations (the caller then decodes it, and reports what is wrong).
   */
  public static Optional<SignedSplice> of(byte[] file) {
    Map<String, CanonicalScan.Span> m = CanonicalScan.members(file, 0, file.length, "signed");
    if (m == null || !m.containsKey("signed") || !m.containsKey("signatures")) {
      return Optional.empty();
    }
    CanonicalScan.Span type = m.get("signed._type");
    CanonicalScan.Span version = m.get("signed.version");
    CanonicalScan.Span expires = m.get("signed.expires");
    if (type == null || version == null || expires == null || !m.containsKey("signed.targets")
        || m.containsKey("signed.delegations") || !text(file, type).equals("\"targets\"")) {
      return Optional.empty();
    }
    String v = text(file, version);
    String e = text(file, expires);
    if (v.length() > 10 || v.startsWith("-") || v.startsWith("\"") || e.length() < 2 || e.charAt(0) != '"'
        || e.indexOf('\\') >= 0) {
      return Optional.empty(); // a version that is a string or too large, an odd expiry: decode it
    }
    int current;
    Expiry at;
    try {
      current = Math.toIntExact(Long.parseLong(v));
      at = Expiry.parse(e.substring(1, e.length() - 1));
    } catch (RuntimeException bad) {
      return Optional.empty();
    }
    if (current < 1) {
      return Optional.empty();
    }
    return Optional.of(new SignedSplice(file, m, version, expires, current, at));
  }

  /**
   * As {@link #of(byte[])}, for a file whose SHA-256 (hex) the caller computed over these very
   * bytes: a file scanned before in this process under that digest is not scanned again. A daily
   * job or an incident scans each of 16,384 published bins to renew it and again, in publish's
   * client verification, to compare the renewal with it ({@code RenewedLeaf}): ~7% of the daily's
   * CPU in the profile (h-82). Same bytes, same scan: only the spans are kept, not the bytes.
   */
  public static Optional<SignedSplice> of(byte[] file, String sha256) {
    Layout l = SCANNED.get(sha256);
    if (l != null && l.length == file.length) {
      return Optional.of(new SignedSplice(file, l.members, l.version, l.expires, l.currentVersion, l.currentExpires));
    }
    Optional<SignedSplice> made = of(file);
    made.ifPresent(sp -> {
      if (SCANNED.size() >= SCANNED_MAX) {
        SCANNED.clear(); // more roles than PyPI's bins: start over rather than grow
      }
      SCANNED.put(sha256, sp.layout());
    });
    return made;
  }

  /** Where a scanned file's members are: what {@link #of(byte[], String)} keeps per digest. */
  private record Layout(int length, Map<String, CanonicalScan.Span> members, CanonicalScan.Span version,
      CanonicalScan.Span expires, int currentVersion, Expiry currentExpires) {}

  /** 4x PyPI's 16,384 bins; each entry is a few spans (~200 bytes). */
  private static final int SCANNED_MAX = 65_536;
  private static final Map<String, Layout> SCANNED = new java.util.concurrent.ConcurrentHashMap<>();

  private Layout layout() {
    Map<String, CanonicalScan.Span> m = new java.util.HashMap<>(8);
    m.put("signed", signed);
    m.put("signatures", signatures);
    m.put("signed.targets", targets);
    if (spec != null) {
      m.put("signed.spec_version", spec);
    }
    return new Layout(file.length, Map.copyOf(m), version, expires, currentVersion, currentExpires);
  }

  public int version() {
    return currentVersion;
  }

  public Expiry expires() {
    return currentExpires;
  }

  /**
   * The splice of {@code renewed} when that file is this role renewed: its signed bytes exactly
   * this role's with another canonical version and expiry (every other byte, every target, the
   * same), under a canonical {@code signatures} array; else empty. Checked without scanning the
   * targets again: the bytes around the two values are compared with this file's, which {@link
   * #of} scanned as canonical, so the renewed file is canonical too and {@link #of} would give the
   * same splice.
   */
  public Optional<SignedSplice> renewedTo(byte[] renewed) {
    int sigsFrom = HEAD.length;
    if (renewed.length < HEAD.length + MIDDLE.length + 2 || !Arrays.equals(renewed, 0, sigsFrom, HEAD, 0, sigsFrom)
        || renewed[sigsFrom] != '[' || renewed[renewed.length - 1] != '}') {
      return Optional.empty();
    }
    int sigsTo = CanonicalScan.valueEnd(renewed, sigsFrom, renewed.length);
    if (sigsTo < 0 || !Arrays.equals(renewed, sigsTo, Math.min(renewed.length, sigsTo + MIDDLE.length), MIDDLE, 0,
        MIDDLE.length)) {
      return Optional.empty();
    }
    int signedFrom = sigsTo + MIDDLE.length;
    int signedTo = renewed.length - 1;
    CanonicalScan.Span first = expires.from() < version.from() ? expires : version;
    CanonicalScan.Span second = first == expires ? version : expires;
    // This file's signed bytes: prefix, first value, middle, second value, suffix; the renewed
    // file's must be the same prefix, middle and suffix around two canonical values.
    int at = same(renewed, signedFrom, signed.from(), first.from());
    int firstTo = at < 0 ? -1 : valueTo(renewed, at, signedTo, first == version);
    int secondFrom = firstTo < 0 ? -1 : same(renewed, firstTo, first.to(), second.from());
    int secondTo = secondFrom < 0 ? -1 : valueTo(renewed, secondFrom, signedTo, second == version);
    if (secondTo < 0 || same(renewed, secondTo, second.to(), signed.to()) != signedTo) {
      return Optional.empty();
    }
    CanonicalScan.Span v = first == version ? new CanonicalScan.Span(at, firstTo)
        : new CanonicalScan.Span(secondFrom, secondTo);
    CanonicalScan.Span e = first == expires ? new CanonicalScan.Span(at, firstTo)
        : new CanonicalScan.Span(secondFrom, secondTo);
    int newVersion;
    Expiry newExpires;
    try {
      newVersion = Math.toIntExact(Long.parseLong(text(renewed, v)));
      newExpires = Expiry.parse(text(renewed, e).substring(1, e.to() - e.from() - 1));
    } catch (RuntimeException bad) {
      return Optional.empty();
    }
    if (newVersion < 1) {
      return Optional.empty();
    }
    // Where the targets are now: shifted by how much the values before them grew or shrank.
    int shift = signedFrom - signed.from();
    if (targets.from() >= second.to()) {
      shift += (firstTo - at) - (first.to() - first.from()) + (secondTo - secondFrom) - (second.to() - second.from());
    } else if (targets.from() >= first.to()) {
      shift += (firstTo - at) - (first.to() - first.from());
    }
    Map<String, CanonicalScan.Span> m = Map.of(
        "signed", new CanonicalScan.Span(signedFrom, signedTo),
        "signatures", new CanonicalScan.Span(sigsFrom, sigsTo),
        "signed.targets", new CanonicalScan.Span(targets.from() + shift, targets.to() + shift, targets.members()));
    return Optional.of(new SignedSplice(renewed, m, v, e, newVersion, newExpires));
  }

  private static final byte[] HEAD = "{\"signatures\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MIDDLE = ",\"signed\":".getBytes(StandardCharsets.US_ASCII);

  /**
   * Whether {@code other} at {@code at} holds this file's bytes {@code [from, to)}: where they end
   * in {@code other}, or -1.
   */
  private int same(byte[] other, int at, int from, int to) {
    int end = at + to - from;
    return end <= other.length && Arrays.equals(other, at, end, file, from, to) ? end : -1;
  }

  /**
   * Where a canonical version (an integer of at most 10 digits, no leading zero) or expiry (a
   * string of printable ASCII with nothing to escape) starting at {@code at} ends; -1 if none.
   */
  private static int valueTo(byte[] b, int at, int limit, boolean isVersion) {
    int i = at;
    if (isVersion) {
      if (i >= limit || b[i] < '1' || b[i] > '9') {
        return -1;
      }
      while (i < limit && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      return i - at <= 10 ? i : -1;
    }
    if (i >= limit || b[i] != '"') {
      return -1;
    }
    for (i++; i < limit; i++) {
      byte c = b[i];
      if (c == '"') {
        return i + 1;
      }
      if (c < 0x20 || c == '\\' || c > 0x7E) {
        return -1;
      }
    }
    return -1;
  }

  /** The canonical signed bytes as the file holds them: what its signatures cover. */
  public byte[] signedBytes() {
    return Arrays.copyOfRange(file, signed.from(), signed.to());
  }

  /** The file's {@code signatures} value, as its bytes. */
  public byte[] signaturesJson() {
    return Arrays.copyOfRange(file, signatures.from(), signatures.to());
  }

  /** How many targets the role lists, counted from its bytes. */
  public int targetCount() {
    if (targets.members() >= 0) {
      return targets.members(); // counted by the scan that found them
    }
    Map<String, CanonicalScan.Span> t = CanonicalScan.members(file, targets.from(), targets.to(), null);
    if (t == null) {
      throw new IllegalStateException("targets were scanned as canonical before");
    }
    return t.size();
  }

  /** The canonical signed bytes at {@code newVersion}, expiring at {@code newExpires} (null: as now). */
  public byte[] signedBytes(int newVersion, Expiry newExpires) {
    if (newVersion < 1) {
      throw new IllegalArgumentException("version " + newVersion);
    }
    byte[] v = Integer.toString(newVersion).getBytes(StandardCharsets.US_ASCII);
    byte[] e = newExpires == null ? Arrays.copyOfRange(file, expires.from(), expires.to())
        : ("\"" + newExpires.text() + "\"").getBytes(StandardCharsets.UTF_8);
    // "expires" sorts before "version" in canonical order, but nothing here relies on it.
    CanonicalScan.Span first = expires.from() < version.from() ? expires : version;
    CanonicalScan.Span second = first == expires ? version : expires;
    byte[] firstValue = first == expires ? e : v;
    byte[] secondValue = first == expires ? v : e;
    int size = signed.to() - signed.from() - (first.to() - first.from()) - (second.to() - second.from())
        + firstValue.length + secondValue.length;
    byte[] out = new byte[size];
    int n = copy(file, signed.from(), first.from(), out, 0);
    System.arraycopy(firstValue, 0, out, n, firstValue.length);
    n = copy(file, first.to(), second.from(), out, n + firstValue.length);
    System.arraycopy(secondValue, 0, out, n, secondValue.length);
    copy(file, second.to(), signed.to(), out, n + secondValue.length);
    return out;
  }

  /**
   * The canonical signed bytes of this role listing {@code more} too, at {@code newVersion},
   * expiring at {@code newExpires}: byte for byte what decoding it, {@link Targets#withTargetsAdded},
   * {@link Signed#withVersion}, {@link Signed#withExpires} and {@link MetadataCodec#canonicalSigned}
   * give, made by copying the bytes of the entries it lists and encoding only the new ones (the
   * second of two large adds: 16,384 staged bins not decoded and encoded again). Empty, for the
   * caller to decode instead, when a path of {@code more} is listed already (its content is
   * compared on the decoded role) or when anything listed is not what a decode takes back as it
   * is: a path {@link Names#checkTargetPath} refuses, an entry other than {@code
   * {"hashes":{ALG:HEX,...},"length":N}} with lowercase hex, or an odd spec_version.
   */
  public Optional<byte[]> withTargetsAdded(Map<String, TargetFile> more, int newVersion, Expiry newExpires) {
    return withTargetsAdded(AddedTargets.of(more), newVersion, newExpires);
  }

  /**
   * As {@link #withTargetsAdded(Map, int, Expiry)}, for targets given as bytes in canonical order
   * (an add's spill): the role's listed entries and the new ones merged as two sorted runs straight
   * into the new signed bytes, in one array of their exact size; every listed entry's bytes copied
   * as they are once it is found plain and its path one {@link Names#checkTargetPath} takes. The
   * new paths are not checked again here: the caller checked each as it read it.
   */
  public Optional<byte[]> withTargetsAdded(AddedTargets more, int newVersion, Expiry newExpires) {
    // Canonical order puts expires, targets and version in that order in the signed object.
    if (!(expires.to() <= targets.from() && targets.to() <= version.from())) {
      return Optional.empty();
    }
    CanonicalScan.Span sv = spec != null ? spec
        : CanonicalScan.members(file, signed.from(), signed.to(), null).get("spec_version");
    if (sv == null || !specVersionOk(text(file, sv))) {
      return Optional.empty();
    }
    Listed old = Listed.of(file, targets);
    if (old == null) {
      return Optional.empty();
    }
    int added = more.count();
    // At most the new targets object's size: each listed member as it is, each new one quoted (each
    // byte escaped, at most) and encoded. Bounded, not counted: counting was a pass over every new path.
    long size = 2 + Math.max(0, old.count + added - 1);
    size += old.bytes;
    for (int i = 0; i < added; i++) {
      size += 2L * more.pathLength(i) + 3 + more.entryBound(i);
    }
    byte[] v = Integer.toString(newVersion).getBytes(StandardCharsets.US_ASCII);
    byte[] x = ("\"" + newExpires.text() + "\"").getBytes(StandardCharsets.UTF_8);
    size += (signed.to() - signed.from()) - (expires.to() - expires.from()) - (targets.to() - targets.from())
        - (version.to() - version.from()) + v.length + x.length;
    if (size > Integer.MAX_VALUE - 16) {
      return Optional.empty();
    }
    byte[] out = new byte[(int) size];
    int at = copy(file, signed.from(), expires.from(), out, 0);
    System.arraycopy(x, 0, out, at, x.length);
    at = copy(file, expires.to(), targets.from(), out, at + x.length);
    out[at++] = '{';
    int o = 0;
    int a = 0;
    while (o < old.count || a < added) {
      if (o + a > 0) {
        out[at++] = ',';
      }
      int c = o == old.count ? 1 : a == added ? -1 : old.compare(o, more, a);
      if (c == 0) {
        return Optional.empty(); // listed already: its content is compared on the decoded role
      }
      if (c < 0) {
        at = copy(file, old.keyFrom[o], old.valueTo[o], out, at);
        o++;
      } else {
        at = AddedTargets.writeQuoted(more.pathArray(a), more.pathFrom(a), more.pathLength(a), out, at);
        out[at++] = ':';
        at = more.writeEntry(a, out, at);
        a++;
      }
    }
    out[at++] = '}';
    at = copy(file, targets.to(), version.from(), out, at);
    System.arraycopy(v, 0, out, at, v.length);
    at = copy(file, version.to(), signed.to(), out, at + v.length);
    return Optional.of(at == out.length ? out : Arrays.copyOf(out, at));
  }

  /**
   * The members of a scanned (so canonical: sorted, unique) targets object, each {@code
   * "PATH":{"hashes":{ALG:HEX,...},"length":N}} as the encoder writes it, its path one {@link
   * Names#checkTargetPath} takes; null when any is not (the caller decodes instead).
   */
  private static final class Listed {
    final byte[] b;
    int count;
    /** Each member's quoted name starts at keyFrom, ends at keyTo; its value ends at valueTo. */
    int[] keyFrom = new int[16];
    int[] keyTo = new int[16];
    int[] valueTo = new int[16];
    /** The unescaped bytes of a name that holds an escape (canonical JSON escapes only '"' and '\\'), else null. */
    byte[][] unescaped;
    /** The bytes of every member, name and value, without the commas between them. */
    long bytes;

    private Listed(byte[] b) {
      this.b = b;
    }

    static Listed of(byte[] b, CanonicalScan.Span targets) {
      Listed l = new Listed(b);
      int at = targets.from() + 1;
      int end = targets.to() - 1; // the closing '}'
      while (at < end) {
        if (b[at] != '"') {
          return null;
        }
        int q = at + 1;
        boolean escaped = false;
        while (b[q] != '"') {
          if (b[q] == '\\') {
            escaped = true;
            q++;
          }
          q++;
        }
        int keyTo = q + 1;
        if (keyTo >= end || b[keyTo] != ':') {
          return null;
        }
        int valueTo = plainEntryEnd(b, keyTo + 1, end);
        if (valueTo < 0 || !l.pathOk(at, keyTo, escaped)) {
          return null;
        }
        l.add(at, keyTo, valueTo);
        at = valueTo;
        if (at < end) {
          if (b[at] != ',') {
            return null;
          }
          at++;
        }
      }
      return l;
    }

    private boolean pathOk(int from, int to, boolean escaped) {
      if (!escaped) {
        return Names.plainTargetPath(b, from + 1, to - 1) || SignedSplice.pathOk(new String(b, from + 1, to - from - 2,
            StandardCharsets.UTF_8));
      }
      byte[] raw = new byte[to - from - 2];
      int n = 0;
      for (int i = from + 1; i < to - 1; i++) {
        if (b[i] == '\\') {
          i++;
        }
        raw[n++] = b[i];
      }
      raw = Arrays.copyOf(raw, n);
      if (unescaped == null) {
        unescaped = new byte[keyFrom.length][];
      }
      if (unescaped.length < keyFrom.length) {
        unescaped = Arrays.copyOf(unescaped, keyFrom.length);
      }
      unescaped[count] = raw;
      return SignedSplice.pathOk(new String(raw, StandardCharsets.UTF_8));
    }

    private void add(int from, int to, int valueEnd) {
      if (count == keyFrom.length) {
        keyFrom = Arrays.copyOf(keyFrom, count * 2);
        keyTo = Arrays.copyOf(keyTo, count * 2);
        valueTo = Arrays.copyOf(valueTo, count * 2);
        if (unescaped != null) {
          unescaped = Arrays.copyOf(unescaped, count * 2);
        }
      }
      keyFrom[count] = from;
      keyTo[count] = to;
      valueTo[count] = valueEnd;
      bytes += valueEnd - from;
      count++;
    }

    /** Code-point order of listed name {@code o} and new path {@code a} (UTF-8 byte order). */
    int compare(int o, AddedTargets more, int a) {
      byte[] u = unescaped == null ? null : unescaped[o];
      byte[] p = more.pathArray(a);
      int pf = more.pathFrom(a);
      int pt = pf + more.pathLength(a);
      return u != null ? Arrays.compareUnsigned(u, 0, u.length, p, pf, pt)
          : Arrays.compareUnsigned(b, keyFrom[o] + 1, keyTo[o] - 1, p, pf, pt);
    }
  }

  private static boolean specVersionOk(String quoted) {
    try {
      Checks.specVersion(quoted.substring(1, quoted.length() - 1));
      return quoted.startsWith("\"");
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean pathOk(String path) {
    try {
      Names.checkTargetPath(path, "targets");
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Where the value starting at {@code b[at]} ends when it is {@code {"hashes":{ALG:HEX,...},"length":N}},
   * at least one hash, each a lowercase hex string, N a non-negative integer: an entry the fast
   * decoder reads and the encoder writes back unchanged (the scan checked it is canonical, so names
   * are sorted and unique); -1 when it is not, or does not end by {@code end}.
   */
  private static int plainEntryEnd(byte[] b, int at, int end) {
    byte[] head = PLAIN_HEAD;
    if (end - at < head.length || !java.util.Arrays.equals(b, at, at + head.length, head, 0, head.length)) {
      return -1;
    }
    at += head.length;
    int hashes = 0;
    while (at < end && b[at] == '"') {
      int q = at + 1;
      while (q < end && b[q] != '"') {
        byte c = b[q];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
          return -1;
        }
        q++;
      }
      if (q == at + 1 || q + 2 >= end || b[q + 1] != ':' || b[q + 2] != '"') {
        return -1;
      }
      int h = q + 3;
      int hexFrom = h;
      while (h < end && b[h] != '"') {
        byte c = b[h];
        if (!((c >= 'a' && c <= 'f') || (c >= '0' && c <= '9'))) {
          return -1;
        }
        h++;
      }
      if (h == hexFrom || h + 1 >= end) {
        return -1;
      }
      hashes++;
      at = h + 1;
      if (b[at] == ',') {
        at++;
      } else {
        break;
      }
    }
    byte[] mid = PLAIN_MID;
    if (hashes == 0 || end - at < mid.length || !java.util.Arrays.equals(b, at, at + mid.length, mid, 0, mid.length)) {
      return -1;
    }
    at += mid.length;
    int digitsFrom = at;
    while (at < end && b[at] >= '0' && b[at] <= '9') {
      at++;
    }
    int digits = at - digitsFrom;
    if (digits < 1 || digits > 18 || (digits > 1 && b[digitsFrom] == '0') || at >= end || b[at] != '}') {
      return -1;
    }
    return at + 1;
  }

  private static final byte[] PLAIN_HEAD = "{\"hashes\":{".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PLAIN_MID = "},\"length\":".getBytes(StandardCharsets.US_ASCII);

  /** Copies {@code from[a, b)} to {@code to} at {@code at}; returns where it ends there. */
  private static int copy(byte[] from, int a, int b, byte[] to, int at) {
    System.arraycopy(from, a, to, at, b - a);
    return at + b - a;
  }

  /**
   * The metadata file for canonical signed bytes that hold no control character (as every splice
   * does: a canonical file has none), with {@code sigs}: what {@link MetadataCodec#fileBytes} writes.
   */
  public static byte[] fileBytes(byte[] canonicalSigned, List<Signature> sigs) {
    if (hasControl(canonicalSigned)) {
      throw new IllegalArgumentException("signed bytes hold a control character: decode and encode them instead");
    }
    // The signatures first, on their own (a few hundred bytes), then the file in one array of its
    // exact size: a sink sized by guess grew (a copy of the whole 30 KB bin) when one signature
    // took more than the guess, and its toByteArray copied it again.
    ByteSink head = new ByteSink(64 + sigs.size() * 224);
    head.writeAscii("{\"signatures\":[");
    for (int i = 0; i < sigs.size(); i++) {
      Signature s = sigs.get(i);
      if (!s.extras().isEmpty()) {
        throw new IllegalArgumentException("signature of " + s.keyid() + " carries extra members");
      }
      head.writeAscii(i == 0 ? "{\"keyid\":" : ",{\"keyid\":");
      CanonicalJson.writeString(s.keyid(), head, true);
      head.writeAscii(",\"sig\":");
      CanonicalJson.writeString(s.sig(), head, true);
      head.write('}');
    }
    head.writeAscii("],\"signed\":");
    byte[] h = head.toByteArray();
    byte[] out = new byte[h.length + canonicalSigned.length + 1];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(canonicalSigned, 0, out, h.length, canonicalSigned.length);
    out[out.length - 1] = '}';
    return out;
  }

  private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
      long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /**
   * Whether {@code b} holds a byte below 0x20, eight bytes a step: (w - 0x20..) & ~w & 0x80.. is
   * non-zero exactly when some byte of w is below 0x20 unsigned (bytes of 0x80 and up never count);
   * the word that has one, and all after it, are then looked at a byte at a time.
   */
  static boolean hasControl(byte[] b) {
    int i = 0;
    for (; i + 8 <= b.length; i += 8) {
      long w = (long) LONGS.get(b, i);
      if (((w - 0x2020202020202020L) & ~w & 0x8080808080808080L) != 0) {
        break;
      }
    }
    for (; i < b.length; i++) {
      if (b[i] >= 0 && b[i] < 0x20) {
        return true;
      }
    }
    return false;
  }

  private static String text(byte[] b, CanonicalScan.Span s) {
    return new String(b, s.from(), s.to() - s.from(), StandardCharsets.UTF_8);
  }
}
