package dev.tufsh.repo;

import dev.tufsh.crypto.Ed25519Engine;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import dev.tufsh.model.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Signs many payloads with one signer, on every core, in chunks: a local key signs chunks in
 * parallel, a remote backend (Vault's batch_input) gets one request per chunk instead of one per
 * payload.
 */
final class BulkSigner {
  private static final int MIN_CHUNK = 64;

  private BulkSigner() {}

  /** Signature of {@code signer} over each payload, in order. */
  static List<Signature> sign(Signer signer, List<byte[]> payloads) {
    return sign(signer, payloads, Progress.NONE);
  }

  /**
   * As {@link #sign(Signer, List)}, reporting each finished chunk to {@code progress}. Payloads with
   * the same bytes are signed once and share the signature: it is as valid over one as over the
   * other (16,384 empty bins of a new repository, or re-signed in an incident, are one payload).
   */
  static List<Signature> sign(Signer signer, List<byte[]> payloads, Progress progress) {
    Map<Payload, Integer> index = new java.util.HashMap<>();
    List<byte[]> distinct = new ArrayList<>();
    int[] which = new int[payloads.size()];
    for (int i = 0; i < which.length; i++) {
      byte[] p = payloads.get(i);
      Integer at = index.putIfAbsent(new Payload(p), distinct.size());
      if (at == null) {
        at = distinct.size();
        distinct.add(p);
      }
      which[i] = at;
    }
    if (distinct.size() == payloads.size()) {
      return signDistinct(signer, payloads, progress);
    }
    List<Signature> made = signDistinct(signer, distinct, progress);
    List<Signature> out = new ArrayList<>(which.length);
    for (int w : which) {
      out.add(made.get(w));
    }
    return out;
  }

  /**
   * A payload as a map key: hashed over its length and a sample of its bytes, not all of them
   * (hashing 488 MB of bins to find that none repeats cost a pass over every byte), and equal by
   * every byte.
   */
  private static final class Payload {
    private static final int SAMPLES = 64;
    private final byte[] bytes;
    private final int hash;

    Payload(byte[] bytes) {
      this.bytes = bytes;
      int h = bytes.length;
      int step = Math.max(1, bytes.length / SAMPLES);
      for (int i = 0; i < bytes.length; i += step) {
        h = 31 * h + bytes[i];
      }
      for (int i = Math.max(0, bytes.length - 32); i < bytes.length; i++) {
        h = 31 * h + bytes[i]; // the tail: where a version and a signed role's last members are
      }
      this.hash = h;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Payload p && java.util.Arrays.equals(bytes, p.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private static List<Signature> signDistinct(Signer signer, List<byte[]> payloads, Progress progress) {
    int n = payloads.size();
    if (n == 0) {
      return List.of();
    }
    if (signer.key().scheme().equals(Scheme.ED25519.wireName())) {
      Ed25519Engine.expect(n); // a bulk line: the native engine loads while the key unlocks
    }
    int cores = Runtime.getRuntime().availableProcessors();
    // Up to 4 chunks a core for local keys; a remote backend's chunks are at least its batch.
    int chunk = Math.max(Math.max(MIN_CHUNK, signer.preferredBatch()), (n + cores * 4 - 1) / (cores * 4));
    int chunks = (n + chunk - 1) / chunk;
    Map<Integer, List<byte[]>> out = new ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
    IntStream.range(0, chunks).parallel().forEach(c -> {
      int from = c * chunk;
      int to = Math.min(n, from + chunk);
      out.put(c, signer.signAll(payloads.subList(from, to)));
      progress.report("signing with " + signer.label(), done.addAndGet(to - from), n);
    });
    List<Signature> sigs = new ArrayList<>(n);
    String id = signer.keyId();
    for (int c = 0; c < chunks; c++) {
      for (byte[] s : out.get(c)) {
        sigs.add(new Signature(id, Hex.encode(s)));
      }
    }
    return sigs;
  }
}
