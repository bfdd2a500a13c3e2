package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.model.Metadata;
import dev.tufsh.model.Targets;
import dev.tufsh.testing.CliRepo;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A walk over every bin holds a bounded number of decoded roles (PEP 458's 16,384 bins held all
 * 2.27 M targets decoded for the life of the process: lint 1.5 GB, target list 1.3 GB), while the
 * delegating role every bin's keys come from stays decoded and a bin read twice in a row is
 * decoded once.
 */
class PublishedStateTest {
  @TempDir Path dir;

  @Test
  void a_walk_over_every_bin_keeps_only_the_delegator_and_a_few_recent_bins() {
    int bins = 4 * PublishedState.RECENT_LEAVES;
    CliRepo cli = CliRepo.published(dir, bins, null);
    PublishedState pub = new PublishedState(cli.repo().resolve("metadata"));
    pub.targets("targets").orElseThrow(); // targets -> bins -> bin-00..bin-7f (TAP 15)
    Metadata<Targets> top = pub.targets("bins").orElseThrow();
    List<String> names = top.signed().delegations().succinctRoles().roleNames();
    assertEquals(bins, names.size());
    // As lint, target list and diff walk them: on all cores.
    names.parallelStream().forEach(r -> assertTrue(pub.targets(r).isPresent(), r));
    assertEquals(2 + bins, pub.decodes(), "each role decoded once");
    assertTrue(pub.held() <= 2 + PublishedState.RECENT_LEAVES, "held " + pub.held() + " of " + (2 + bins));

    assertSame(top, pub.targets("bins").orElseThrow(), "the delegator stays decoded");
    String last = names.get(bins - 1);
    Metadata<Targets> once = pub.targets(last).orElseThrow();
    assertSame(once, pub.targets(last).orElseThrow(), "a bin read twice in a row is decoded once");
    long before = pub.decodes();
    IntStream.range(0, bins).forEach(i -> pub.targets(names.get(i)));
    assertTrue(pub.decodes() - before >= bins - PublishedState.RECENT_LEAVES, "a second walk decodes again");
    assertTrue(pub.held() <= 2 + PublishedState.RECENT_LEAVES);
  }
}
