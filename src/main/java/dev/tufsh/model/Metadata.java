package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The signed envelope: {@code signed} and its {@code signatures}. */
public record Metadata<T extends Signed>(
    T signed, List<Signature> signatures, Map<String, JsonNode> extras) {
  public Metadata {
    signatures = List.copyOf(signatures);
    extras = Map.copyOf(extras);
  }

  public Metadata(T signed, List<Signature> signatures) {
    this(signed, signatures, Map.of());
  }

  /** The canonical bytes that are signed. */
  public byte[] signedBytes() {
    return MetadataCodec.canonicalSigned(signed);
  }

  public Metadata<T> withSignatures(List<Signature> sigs) {
    return new Metadata<>(signed, sigs, extras);
  }

  @SuppressWarnings("unchecked")
  public <U extends Signed> Metadata<U> as(Class<U> type) {
    return (Metadata<U>) this;
  }
}
