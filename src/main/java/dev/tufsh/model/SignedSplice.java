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
  private final int currentVersion;
  private final Expiry currentExpires;

  private SignedSplice(byte[] file, Map<String, CanonicalScan.Span> m, CanonicalScan.Span version,
      CanonicalScan.Span expires, int currentVersion, Expiry currentExpires) {
    this.file = file;
    this.signed = m.get("signed");
    this.signatures = m.get("signatures");
    this.targets = m.get("signed.targets");
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
    Map<String, CanonicalScan.Span> listed = CanonicalScan.members(file, targets.from(), targets.to(), null);
    CanonicalScan.Span spec = CanonicalScan.members(file, signed.from(), signed.to(), null).get("spec_version");
    if (listed == null || spec == null || !specVersionOk(text(file, spec))) {
      return Optional.empty();
    }
    for (String path : more.keySet()) {
      if (listed.containsKey(path)) {
        return Optional.empty();
      }
      Names.checkTargetPath(path, "targets"); // refused as Targets refuses it
    }
    for (var e : listed.entrySet()) {
      if (!plainEntry(file, e.getValue()) || !pathOk(e.getKey())) {
        return Optional.empty();
      }
    }
    String[] added = more.keySet().toArray(new String[0]);
    java.util.Arrays.sort(added, CanonicalJson.CODE_POINT_ORDER);
    ByteSink t = new ByteSink(targets.to() - targets.from() + 220 * added.length + 16);
    t.write('{');
    var old = listed.entrySet().iterator();
    var o = old.hasNext() ? old.next() : null;
    int a = 0;
    boolean first = true;
    while (o != null || a < added.length) {
      if (!first) {
        t.write(',');
      }
      first = false;
      if (o != null && (a == added.length || CanonicalJson.CODE_POINT_ORDER.compare(o.getKey(), added[a]) < 0)) {
        CanonicalJson.writeString(o.getKey(), t, false);
        t.write(':');
        t.write(file, o.getValue().from(), o.getValue().to());
        o = old.hasNext() ? old.next() : null;
      } else {
        CanonicalJson.writeString(added[a], t, false);
        t.write(':');
        CanonicalEncoder.target(more.get(added[a]), t);
        a++;
      }
    }
    t.write('}');
    byte[] v = Integer.toString(newVersion).getBytes(StandardCharsets.US_ASCII);
    byte[] x = ("\"" + newExpires.text() + "\"").getBytes(StandardCharsets.UTF_8);
    // Canonical order puts expires, targets and version in that order in the signed object.
    if (!(expires.to() <= targets.from() && targets.to() <= version.from())) {
      return Optional.empty();
    }
    ByteSink out = new ByteSink(signed.to() - signed.from() + t.size());
    out.write(file, signed.from(), expires.from());
    out.write(x);
    out.write(file, expires.to(), targets.from());
    out.write(t.toByteArray());
    out.write(file, targets.to(), version.from());
    out.write(v);
    out.write(file, version.to(), signed.to());
    return Optional.of(out.toByteArray());
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
   * Whether {@code b[s]} is {@code {"hashes":{ALG:HEX,...},"length":N}}, at least one hash, each a
   * lowercase hex string, N a non-negative integer: an entry the fast decoder reads and the
   * encoder writes back unchanged (the scan checked it is canonical, so names are sorted and unique).
   */
  private static boolean plainEntry(byte[] b, CanonicalScan.Span s) {
    byte[] head = PLAIN_HEAD;
    int at = s.from();
    int end = s.to();
    if (end - at < head.length || !java.util.Arrays.equals(b, at, at + head.length, head, 0, head.length)) {
      return false;
    }
    at += head.length;
    int hashes = 0;
    while (at < end && b[at] == '"') {
      int q = at + 1;
      while (q < end && b[q] != '"') {
        byte c = b[q];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
          return false;
        }
        q++;
      }
      if (q == at + 1 || q + 2 >= end || b[q + 1] != ':' || b[q + 2] != '"') {
        return false;
      }
      int h = q + 3;
      int hexFrom = h;
      while (h < end && b[h] != '"') {
        byte c = b[h];
        if (!((c >= 'a' && c <= 'f') || (c >= '0' && c <= '9'))) {
          return false;
        }
        h++;
      }
      if (h == hexFrom || h + 1 >= end) {
        return false;
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
      return false;
    }
    at += mid.length;
    int digits = end - 1 - at;
    if (digits < 1 || digits > 18 || b[end - 1] != '}' || (digits > 1 && b[at] == '0')) {
      return false;
    }
    for (int i = at; i < end - 1; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return false;
      }
    }
    return true;
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
    for (byte x : canonicalSigned) {
      if (x >= 0 && x < 0x20) {
        throw new IllegalArgumentException("signed bytes hold a control character: decode and encode them instead");
      }
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

  private static String text(byte[] b, CanonicalScan.Span s) {
    return new String(b, s.from(), s.to() - s.from(), StandardCharsets.UTF_8);
  }
}
