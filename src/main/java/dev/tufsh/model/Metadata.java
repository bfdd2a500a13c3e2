package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The signed envelope: {@code signed} and its {@code signatures}. Metadata decoded for
 * verification from a file whose {@code signed} was already canonical keeps those bytes (see
 * {@link #signedBytes} and {@link MetadataCodec#decodeForVerification}); a value
 * class otherwise, compared by its three parts. The kept bytes stand for {@code signed} as it was
 * read, so the trees it holds ({@code custom}, unknown members) must not be changed in place (no
 * code does: every edit builds new records, which carry no kept bytes).
 */
public final class Metadata<T extends Signed> {
  private final T signed;
  private final List<Signature> signatures;
  private final Map<String, JsonNode> extras;
  /** The canonical bytes of exactly {@link #signed}, as read; null when they must be encoded. */
  private final byte[] canonical;

  public Metadata(T signed, List<Signature> signatures, Map<String, JsonNode> extras) {
    this(signed, signatures, extras, null);
  }

  public Metadata(T signed, List<Signature> signatures) {
    this(signed, signatures, Map.of(), null);
  }

  /** Only the decoder passes {@code canonical}: bytes it proved to be {@code signed}'s canonical form. */
  Metadata(T signed, List<Signature> signatures, Map<String, JsonNode> extras, byte[] canonical) {
    this.signed = signed;
    this.signatures = List.copyOf(signatures);
    this.extras = Map.copyOf(extras);
    this.canonical = canonical;
  }

  public T signed() {
    return signed;
  }

  public List<Signature> signatures() {
    return signatures;
  }

  public Map<String, JsonNode> extras() {
    return extras;
  }

  /**
   * The canonical bytes that are signed: those read from the file when they were canonical there
   * (tufsh's own files always are), encoded otherwise. Shared, not copied: do not modify.
   */
  public byte[] signedBytes() {
    return canonical != null ? canonical : MetadataCodec.canonicalSigned(signed);
  }

  /** Whether {@link #signedBytes} are the bytes read, with nothing to encode. */
  public boolean hasReadSignedBytes() {
    return canonical != null;
  }

  public Metadata<T> withSignatures(List<Signature> sigs) {
    return new Metadata<>(signed, sigs, extras, canonical);
  }

  @SuppressWarnings("unchecked")
  public <U extends Signed> Metadata<U> as(Class<U> type) {
    return (Metadata<U>) this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Metadata<?> m
        && Objects.equals(signed, m.signed) && signatures.equals(m.signatures) && extras.equals(m.extras);
  }

  @Override
  public int hashCode() {
    return Objects.hash(signed, signatures, extras);
  }

  @Override
  public String toString() {
    return "Metadata[signed=" + signed + ", signatures=" + signatures + ", extras=" + extras + "]";
  }
}
