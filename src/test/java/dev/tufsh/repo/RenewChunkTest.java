package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A renewal chunk is bounded by roles and by bytes, so bins that grow with the repository do not grow its memory. */
class RenewChunkTest {
  record Case(String name, int roles, long bytesEach, List<Integer> chunks) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    long mib = 1L << 20;
    return List.of(
        // PyPI's 2.27 M targets in 16,384 bins: ~30 KB a bin, chunks of RENEW_CHUNK as before
        new Case("30 KB bins: 512 a chunk", 1100, 30_000, List.of(512, 512, 76)),
        // 8 M targets: ~105 KB a bin, the byte bound cuts first (160 x 105 KB >= 16 MiB)
        new Case("105 KB bins: by bytes", 400, 105_000, List.of(160, 160, 80)),
        // one role larger than the whole budget still goes, alone
        new Case("a role over the budget goes alone", 3, 40 * mib, List.of(1, 1, 1)),
        // roles with no published file yet (new bins): the role count alone bounds them
        new Case("no published bytes", 600, 0, List.of(512, 88)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void chunks(Case c) {
    List<String> roles = IntStream.range(0, c.roles()).mapToObj(i -> "bin-" + i).toList();
    List<Integer> sizes = new ArrayList<>();
    for (int from = 0, to; from < roles.size(); from = to) {
      to = Repository.chunkEnd(roles, from, r -> c.bytesEach());
      sizes.add(to - from);
    }
    assertEquals(c.chunks(), sizes);
  }
}
