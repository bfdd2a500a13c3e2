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
