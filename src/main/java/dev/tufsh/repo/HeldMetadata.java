package dev.tufsh.repo;

import dev.tufsh.model.Metadata;
import dev.tufsh.trust.AlreadyDecoded;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Metadata a publish already holds for exact file bytes: the published timestamp and snapshot as
 * {@link PublishedState} decoded them from disk, and the plan's new ones as the planner encoded
 * them. Handed to the client verification so it does not parse the 16,384-entry snapshot twice
 * more; a file is matched by comparing all its bytes, so anything else (a changed, a damaged file)
 * is parsed and checked as always.
 */
final class HeldMetadata implements AlreadyDecoded {
  private record Held(byte[] bytes, Metadata<?> metadata) {}

  private final List<Held> held = new ArrayList<>();
  private final List<Hashed> hashed = new ArrayList<>();

  private record Hashed(byte[] bytes, String sha256) {}

  /**
   * Records {@code sha256} (hex) as the SHA-256 of {@code bytes}, computed over that very array
   * (the planner's hash of the snapshot it just made, which the timestamp names). Matched by
   * identity only: the array publish writes is the one the verification reads and the one hashed.
   */
  HeldMetadata hashed(byte[] bytes, String sha256) {
    if (bytes != null && sha256 != null) {
      hashed.add(new Hashed(bytes, sha256));
    }
    return this;
  }

  @Override
  public String digest(String algorithm, byte[] bytes) {
    if ("sha256".equals(algorithm)) {
      for (Hashed h : hashed) {
        if (h.bytes == bytes) {
          return h.sha256;
        }
      }
    }
    return null;
  }

  HeldMetadata add(byte[] bytes, Metadata<?> metadata) {
    if (bytes != null && metadata != null) {
      held.add(new Held(bytes, metadata));
    }
    return this;
  }

  @Override
  public Metadata<?> of(byte[] bytes) {
    for (Held h : held) {
      if (h.bytes == bytes || Arrays.equals(h.bytes, bytes)) {
        return h.metadata;
      }
    }
    return null;
  }
}
