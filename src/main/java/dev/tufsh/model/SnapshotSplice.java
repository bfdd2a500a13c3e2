package dev.tufsh.model;

import dev.tufsh.json.CanonicalScan;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
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
 */
public final class SnapshotSplice {
  private SnapshotSplice() {}

  private record Edit(CanonicalScan.Span at, byte[] with) {}

  public static Optional<byte[]> signedBytes(byte[] file, int version, Expiry expires, Map<String, MetaFile> changed) {
    if (version < 1) {
      return Optional.empty();
    }
    Map<String, CanonicalScan.Span> m = CanonicalScan.members(file, 0, file.length, "signed");
    if (m == null || !m.containsKey("signed") || !m.containsKey("signed.meta") || !m.containsKey("signed.version")
        || !m.containsKey("signed.expires") || !"\"snapshot\"".equals(text(file, m.get("signed._type")))) {
      return Optional.empty();
    }
    for (MetaFile f : changed.values()) {
      if (f.length() != null || f.hashes() != null || !f.extras().isEmpty()) {
        return Optional.empty();
      }
    }
    CanonicalScan.Span meta = m.get("signed.meta");
    Map<String, CanonicalScan.Span> entries = CanonicalScan.members(file, meta.from(), meta.to(), null);
    if (entries == null || !entries.keySet().containsAll(changed.keySet())) {
      return Optional.empty(); // a new entry goes in by the full encoding, which places it
    }
    List<Edit> edits = new ArrayList<>(changed.size() + 2);
    edits.add(new Edit(m.get("signed.version"), ascii(Integer.toString(version))));
    edits.add(new Edit(m.get("signed.expires"), ("\"" + expires.text() + "\"").getBytes(StandardCharsets.UTF_8)));
    changed.forEach((name, f) -> edits.add(new Edit(entries.get(name), ascii("{\"version\":" + f.version() + "}"))));
    edits.sort(Comparator.comparingInt(e -> e.at().from()));
    CanonicalScan.Span signed = m.get("signed");
    ByteArrayOutputStream out = new ByteArrayOutputStream(signed.to() - signed.from() + 64 * edits.size());
    int at = signed.from();
    for (Edit e : edits) {
      out.write(file, at, e.at().from() - at);
      out.write(e.with(), 0, e.with().length);
      at = e.at().to();
    }
    out.write(file, at, signed.to() - at);
    return Optional.of(out.toByteArray());
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String text(byte[] b, CanonicalScan.Span s) {
    return s == null ? null : new String(b, s.from(), s.to() - s.from(), StandardCharsets.UTF_8);
  }
}
