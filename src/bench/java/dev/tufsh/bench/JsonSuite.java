package dev.tufsh.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Signed;
import java.util.ArrayList;
import java.util.List;

/**
 * Canonical JSON encoding and metadata decoding of a bin with 100 targets and of a 16384-bin
 * snapshot. Encoding is compared with Jackson's own (non-canonical) writer on the same tree, and
 * decoding with the bare tree parse it starts with, so the ratios show what canonical ordering and
 * field-by-field validation cost.
 */
final class JsonSuite implements Suite {
  @Override
  public String name() {
    return "json";
  }

  @Override
  public String description() {
    return "canonical JSON encode and MetadataCodec.decode of a 100-target bin and a 16384-bin snapshot";
  }

  @Override
  public List<Measurement> prepare(Context ctx) {
    LocalSigner signer = KeyPairs.ed25519FromSeed(new byte[32]);
    int targets = ctx.size(100, 100);
    int bins = ctx.size(16384, 256);
    List<Measurement> out = new ArrayList<>();
    out.addAll(measurements("bin " + targets + " targets", "bin-0a3f.json",
        Fixtures.signed(Fixtures.bin(targets, 1), signer)));
    out.addAll(measurements("snapshot " + bins + " bins", "snapshot.json",
        Fixtures.signed(Fixtures.snapshot(bins, 2), signer)));
    return out;
  }

  private static List<Measurement> measurements(String label, String file, Metadata<? extends Signed> md)
      throws RuntimeException {
    Signed role = md.signed();
    JsonNode tree = MetadataCodec.encodeSigned(role);
    byte[] canonical = CanonicalJson.encode(tree);
    byte[] fileBytes = MetadataCodec.fileBytes(md);
    String jackson = label + ": Jackson write (tree)";
    String parse = label + ": Jackson parse (tree)";
    // The paths before the streaming codec: records through a tree, both ways.
    String viaTree = label + ": canonical encode (record via tree)";
    String treeDecode = label + ": decode via tree";
    return List.of(
        Measurement.of(jackson, () -> Json.mapper().writeValueAsBytes(tree)).bytes(canonical.length),
        Measurement.of(label + ": canonical encode (tree)", () -> CanonicalJson.encode(tree))
            .bytes(canonical.length).baseline(jackson),
        Measurement.of(viaTree, () -> CanonicalJson.encode(MetadataCodec.encodeSigned(role)))
            .bytes(canonical.length).baseline(jackson),
        Measurement.of(label + ": canonical encode (record, direct)", () -> MetadataCodec.canonicalSigned(role))
            .bytes(canonical.length).baseline(viaTree),
        Measurement.of(parse, () -> Json.parse(fileBytes, file)).bytes(fileBytes.length),
        Measurement.of(treeDecode, () -> MetadataCodec.decode(Json.parse(fileBytes, file), file))
            .bytes(fileBytes.length).baseline(parse),
        Measurement.of(label + ": MetadataCodec.decode (streaming)", () -> MetadataCodec.decode(fileBytes, file))
            .bytes(fileBytes.length).baseline(treeDecode));
  }
}
