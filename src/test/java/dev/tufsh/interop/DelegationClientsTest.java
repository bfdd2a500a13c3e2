package dev.tufsh.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.ops.Delegation;
import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.TargetSpec;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.StaticHttpServer;
import dev.tufsh.testing.TufClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every client resolves a target through a delegation tree tufsh built and published, and the
 * tree decides the answer: which of two roles listing the same path wins (delegation order), a
 * terminating role hiding a later one, the later one found again once the earlier is removed, a
 * nested role, changed keys, and PEP 480's claimed / recently-claimed / unclaimed. Target paths
 * sit at the top of targets/ (tough fetches {@code HASH.dir/name} for paths in folders) and the bins
 * are hash-prefix ones except in PEP 480 (tough has no succinct_roles). Each tree
 * is built once and shared by the clients' rows.
 */
class DelegationClientsTest {
  @TempDir static Path dir;

  private static final Map<String, Path> TREES = new ConcurrentHashMap<>();

  /** What a client answers: the content found, or a refusal containing {@code error}. */
  record Answer(String content, String error) {
    static Answer found(String content) {
      return new Answer(content, null);
    }

    static Answer notListed(String path) {
      return new Answer(null, "target '" + path + "' is not listed");
    }
  }

  record Row(String tree, String path, Function<TufClient, Answer> answer) {}

  static Stream<Arguments> rows() {
    List<Row> rows = List.of(
        // Both roles list a-1: the one earlier in the delegator's list wins.
        new Row("order", "a-1", c -> Answer.found("a-1 in first")),
        // Only the later role lists a-2: a non-terminating first role lets the search go on.
        new Row("order", "a-2", c -> Answer.found("a-2 in second")),
        // The same tree with first terminating: a-2 in second is hidden.
        new Row("terminating", "a-2", c -> Answer.notListed("a-2")),
        // ... until first is removed (undelegated): second answers again, for a-1 too.
        new Row("removed", "a-1", c -> Answer.found("a-1 in second")),
        new Row("nested", "t-sub-1", c -> Answer.found("t-sub-1 in sub")),
        // PEP 480: a project moved from recently-claimed to claimed, and an unclaimed path in a bin.
        new Row("pep480", "p-1", DelegationClientsTest::pep480),
        new Row("pep480", "u-1", DelegationClientsTest::pep480),
        // 'delegation set --path' widened a role's patterns after it was made: b-1 is found in it.
        new Row("repathed", "b-1", c -> Answer.found("b-1 in proj")),
        new Row("repathed", "a-1", c -> Answer.found("a-1 in proj")));
    return rows.stream().flatMap(r -> Stream.of(TufClient.values())
        .filter(c -> !(r.tree().equals("pep480") && c == TufClient.TOUGH && r.path().equals("u-1")))
        .map(c -> Arguments.of(r.tree(), r.path(), c, r.answer().apply(c))));
  }

  /** go-tuf matches path_hash_prefixes against a base64 digest; tough has no succinct_roles (README table). */
  private static Answer pep480(TufClient c) {
    return switch (c) {
      case GO_TUF -> new Answer(null, "is not listed");
      case TOUGH -> new Answer(null, "missing field `roles`");
      default -> null;
    };
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("rows")
  void client_resolves_through_the_tree(String tree, String path, TufClient client, Answer answer) throws IOException {
    Path repo = TREES.computeIfAbsent(tree, DelegationClientsTest::build);
    Answer want = answer != null ? answer : Answer.found(path + (path.startsWith("p-") ? " in proj" : " in a bin"));
    try (StaticHttpServer server = StaticHttpServer.serve(repo)) {
      Path cache = dir.resolve("cache-" + tree + "-" + path + "-" + client);
      TufClient.Result r = client.refresh(server, repo.resolve("metadata/1.root.json"), cache).target(path)
          .out(cache.resolveSibling(cache.getFileName() + "-out")).run();
      if (want.error() != null) {
        assertFalse(r.ok(), r.toString());
        assertTrue(r.error().contains(want.error()), r.toString());
      } else {
        assertTrue(r.ok(), r.toString());
        byte[] content = want.content().getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(new TufClient.Target(path, content.length, Hex.encode(Crypto.sha256(content)))),
            r.targets());
      }
    }
  }

  private static Path build(String tree) {
    Path repo = dir.resolve(tree);
    Workbench b = Benches.at(repo);
    switch (tree) {
      case "order", "terminating", "removed" -> {
        boolean terminating = !tree.equals("order");
        Init.run(b, Init.Request.defaults().withBins(2).withLayout(false));
        b.keys().generate(Scheme.ED25519, "dev-1");
        b.keys().generate(Scheme.ED25519, "dev-2");
        b.keys().generate(Scheme.ED25519, "dev-3");
        Delegation.add(b, new Delegation.Add("second", "targets", List.of("a-*"), List.of(), List.of("dev-2"), 1,
            false, "bins"));
        add(b, "a-1", "a-1 in second");
        add(b, "a-2", "a-2 in second");
        Publishing.publish(b);
        Delegation.add(b, new Delegation.Add("first", "targets", List.of("a-*"), List.of(), List.of("dev-1"), 1,
            terminating, "second"));
        add(b, "a-1", "a-1 in first");
        // The later role's keys change too: clients follow the new delegation.
        Delegation.change(b, new Delegation.Change("second", List.of("dev-3"), null, null));
        Publishing.publish(b);
        if (tree.equals("removed")) {
          Delegation.remove(b, List.of("first"));
          Publishing.publish(b);
        }
      }
      case "nested" -> {
        Init.run(b, Init.Request.defaults().withBins(2).withLayout(false));
        b.keys().generate(Scheme.ED25519, "team");
        b.keys().generate(Scheme.ED25519, "sub");
        Delegation.add(b, new Delegation.Add("team", "targets", List.of("t-*"), List.of(), List.of("team"), 1,
            false, "bins"));
        Delegation.add(b, new Delegation.Add("sub", "team", List.of("t-sub-*"), List.of(), List.of("sub"), 1,
            true, null));
        add(b, "t-sub-1", "t-sub-1 in sub");
        Publishing.publish(b);
      }
      case "pep480" -> {
        Init.run(b, Init.Request.defaults().withBins(16).withPep480Layout());
        b.keys().generate(Scheme.ED25519, "proj-dev");
        Delegation.add(b, new Delegation.Add("proj", "recently-claimed", List.of("p-*"), List.of(),
            List.of("proj-dev"), 1, true, null));
        add(b, "p-1", "p-1 in proj");
        add(b, "u-1", "u-1 in a bin");
        Publishing.publish(b);
        // PEP 480's periodic job: the project moves to claimed; its own role is not re-signed.
        Delegation.move(b, new Delegation.Move(List.of("proj"), "claimed", null));
        Publishing.publish(b);
      }
      case "repathed" -> {
        Init.run(b, Init.Request.defaults().withBins(2).withLayout(false));
        b.keys().generate(Scheme.ED25519, "dev-1");
        Delegation.add(b, new Delegation.Add("proj", "targets", List.of("a-*"), List.of(), List.of("dev-1"), 1,
            true, "bins"));
        add(b, "a-1", "a-1 in proj");
        Publishing.publish(b);
        Delegation.change(b, new Delegation.Change("proj", null, null, null, List.of("a-*", "b-*")));
        add(b, "b-1", "b-1 in proj");
        Publishing.publish(b);
      }
      default -> throw new IllegalArgumentException(tree);
    }
    return repo;
  }

  private static void add(Workbench b, String path, String content) {
    try {
      Path f = Files.writeString(Files.createDirectories(dir.resolve("files")).resolve(path + "-"
          + Integer.toHexString(content.hashCode())), content);
      TargetOps.add(b, List.of(TargetSpec.ofFile(path, f)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
