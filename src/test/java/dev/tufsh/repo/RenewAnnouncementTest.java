package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tufsh.model.Expiry;
import dev.tufsh.trust.KnownRole;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A renewal says up front how many distinct payloads it signs, so AWS-LC loads from the start of a
 * full-size daily or incident and not for 16,384 empty bins (one payload, signed once).
 */
class RenewAnnouncementTest {
  private static final Expiry LATER = Expiry.at(Instant.parse("2031-05-06T07:08:09Z"));
  private static final List<String> BINS = IntStream.range(0, 16_384).mapToObj(i -> "bin-" + i).toList();

  private static KnownRole known(String sha256) {
    return new KnownRole(1, 100, sha256, LATER, "scope", "keys");
  }

  @Test
  void empty_bins_of_one_digest_are_one_payload() {
    assertEquals(1, Repository.distinctPayloads(BINS, r -> known("e3b0")));
  }

  @Test
  void bins_of_distinct_digests_are_each_a_payload() {
    assertEquals(16_384, Repository.distinctPayloads(BINS, r -> known("sha-" + r)));
  }

  @Test
  void a_role_the_index_does_not_know_or_hash_counts_as_its_own() {
    assertEquals(16_384, Repository.distinctPayloads(BINS, r -> null));
    // half known as one empty bin, half not hashed by the verification that knew them
    assertEquals(1 + 8_192, Repository.distinctPayloads(BINS,
        r -> Integer.parseInt(r.substring(4)) % 2 == 0 ? known("e3b0") : known(null)));
  }
}
