package dev.tufsh.trust;

import dev.tufsh.model.Role;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Root;
import java.time.Instant;
import java.util.Optional;

/** Spec 5.2 and 5.3: from the trusted root, follow N+1.root.json to the newest root. */
final class RootChain {
  /** Same cap as python-tuf, go-tuf and tuf-js (spec 5.3.3 leaves the number to clients). */
  static final int MAX_ROTATIONS = 256;

  private static final String ROLE = RoleType.ROOT.wire();

  private RootChain() {}

  /** The first and the final trusted root. */
  record Result(Decoded<Root> trusted, Decoded<Root> current) {}

  static Result walk(byte[] trustedRoot, MetadataSource meta, Instant now) {
    Result r = chain(trustedRoot, meta);
    // 5.3.10: the final root must not be expired.
    Checks.notExpired(r.current(), ROLE, now);
    return r;
  }

  /** 5.2-5.3.9: the chain from {@code trustedRoot} to the newest root, its expiry not judged. */
  static Result chain(byte[] trustedRoot, MetadataSource meta) {
    // 5.2: load the trusted root; its expiry does not matter yet, but it must be self-signed.
    Decoded<Root> trusted = Decoded.of(trustedRoot, "trusted root", ROLE, Root.class);
    Root t = trusted.signed();
    Checks.threshold(trusted, ROLE, t.keys(), t.role(RoleType.ROOT), null);
    Decoded<Root> current = trusted;
    for (int i = 0; i < MAX_ROTATIONS; i++) {
      // 5.3.2-3: fetch N+1.root.json until it is absent.
      int next = current.signed().version() + 1;
      String file = FileNames.root(next);
      Optional<byte[]> bytes = meta.read(file);
      if (bytes.isEmpty()) {
        break;
      }
      Decoded<Root> candidate = Decoded.of(bytes.get(), file, ROLE, Root.class);
      // 5.3.4: a threshold of the old root's root keys, and of the new root's own.
      Root old = current.signed();
      Checks.threshold(
          candidate, ROLE, old.keys(), old.role(RoleType.ROOT), "of root version " + old.version());
      Root mine = candidate.signed();
      Role own = mine.role(RoleType.ROOT);
      Checks.threshold(candidate, ROLE, mine.keys(), own, "of its own root keys");
      // 5.3.5: the version is exactly N+1 (a rollback or skip is refused).
      Checks.version(candidate, ROLE, next, "its file name");
      // 5.3.6-9: intermediate expiry is ignored; the candidate becomes trusted.
      current = candidate;
    }
    return new Result(trusted, current);
  }

  /** 5.3.11: rotated timestamp or snapshot keys make the client's old copies untrusted. */
  static boolean onlineKeysRotated(Root before, Root after) {
    return !sameKeys(before, after, RoleType.TIMESTAMP) || !sameKeys(before, after, RoleType.SNAPSHOT);
  }

  private static boolean sameKeys(Root a, Root b, RoleType t) {
    return new java.util.HashSet<>(a.role(t).keyids()).equals(new java.util.HashSet<>(b.role(t).keyids()));
  }

  /** Whether the final root asks for versioned file names (5.3.12); absent means false. */
  static boolean consistent(Root root) {
    return Boolean.TRUE.equals(root.consistentSnapshot());
  }
}
