package dev.tufsh.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dry run changes nothing; a runbook publishes all of its changes or none of them. */
class RunbookSafetyTest {
  @TempDir static Path tmp;
  static RunbookRepos repos;

  @BeforeAll
  static void base() throws IOException {
    repos = RunbookRepos.create(tmp);
  }

  static Path example(String name) {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "examples", name);
  }

  @Test
  void a_dry_run_leaves_every_file_of_the_workspace_as_it_was_and_prints_the_plan() {
    Path repo = repos.copy(tmp.resolve("dry"));
    Map<String, String> before = RunbookRepos.hashes(repo);
    assertTrue(before.keySet().stream().anyMatch(f -> f.startsWith(".tufsh/keys/")), "private state is hashed too");
    assertTrue(before.containsKey(".tufsh/audit.log"), before.keySet().toString());

    Cli.Result r = repos.cli(repo, "run", "--dry-run", example("weekly-expiry-bump.tufsh").toString()).assertOk();

    RunbookRepos.assertSameFiles(before, RunbookRepos.hashes(repo), "after run --dry-run");
    assertTrue(r.out().contains("# dry run: skipping 'publish'"), r.out());
    int plan = r.out().indexOf("# dry run of ");
    assertTrue(plan >= 0, r.out());
    String printed = r.out().substring(plan);
    assertTrue(printed.contains("bin-f      1 -> 2") || printed.contains("bin-f      2 -> 3"), printed);
    assertTrue(printed.matches("(?s).*timestamp +2 -> 3 .*"), "the plan publishes timestamp v3: " + printed);
    assertTrue(printed.contains("every threshold is met"), printed);
  }

  @Test
  void a_runbook_failing_at_a_line_names_it_and_publishes_nothing() throws IOException {
    Path repo = repos.copy(tmp.resolve("fails"));
    Map<String, String> published = RunbookRepos.hashes(repo.resolve("metadata"));
    Path book = tmp.resolve("fails.tufsh");
    Files.writeString(book, "# stages, then fails before publishing\nbump bin-*\ntarget add " + repos.targetFile
        + " --path packages/other-2.0.tar.gz\n\nrotate no-such-role\npublish\n");

    Cli.Result r = repos.cli(repo, "run", book.toString());

    assertEquals(2, r.status(), "a runbook exits with its failed line's status: " + r.err());
    assertTrue(r.err().contains(book + ":5: 'rotate no-such-role' failed (exit 2); nothing after it ran"), r.err());
    assertTrue(r.err().contains("unknown role 'no-such-role'"), "the line's own error comes first: " + r.err());
    RunbookRepos.assertSameFiles(published, RunbookRepos.hashes(repo.resolve("metadata")), "metadata/");
    assertFalse(Files.exists(repo.resolve("targets/packages/other-2.0.tar.gz")));
  }

  @Test
  void a_runbook_refused_at_its_publish_line_publishes_nothing() throws IOException {
    Path repo = repos.copy(tmp.resolve("refused"));
    Map<String, String> published = RunbookRepos.hashes(repo.resolve("metadata"));
    Path book = tmp.resolve("refused.tufsh");
    // A new root needs --yes in a runbook: nobody is there to confirm.
    Files.writeString(book, "rotate timestamp\nbump bin-*\npublish\n");

    Cli.Result r = repos.cli(repo, "run", book.toString());

    assertEquals(5, r.status(), r.err());
    assertTrue(r.err().contains("refused without --yes"), r.err());
    assertTrue(r.err().contains(book + ":3: 'publish' failed (exit 5)"), r.err());
    RunbookRepos.assertSameFiles(published, RunbookRepos.hashes(repo.resolve("metadata")), "metadata/");
  }

  @Test
  void a_runbook_that_reaches_its_publish_line_publishes_all_of_it() throws IOException {
    Path repo = repos.copy(tmp.resolve("all"));
    Path book = tmp.resolve("all.tufsh");
    Files.writeString(book, "bump bin-*\ntarget add " + repos.targetFile + " --path ${PKG}\nrotate timestamp\n"
        + "publish --yes\n");

    repos.cli(repo, "run", book.toString(), "--var", "PKG=packages/other-2.0.tar.gz").assertOk();

    assertEquals(2, ExamplesTest.root(repo).path("version").asInt(), "the new root");
    assertEquals(ExamplesTest.version(repos.base, "timestamp") + 1, ExamplesTest.version(repo, "timestamp"));
    for (int i = 0; i < 16; i++) {
      String bin = "bin-" + Integer.toHexString(i);
      assertEquals(ExamplesTest.version(repos.base, bin) + 1, ExamplesTest.version(repo, bin), bin);
    }
    String listed = allTargets(repo);
    assertTrue(listed.contains("packages/other-2.0.tar.gz"), "the new target is in its bin: " + listed);
    repos.cli(repo, "verify").assertOk();
  }

  private static String allTargets(Path repo) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      String bin = "bin-" + Integer.toHexString(i);
      sb.append(ExamplesTest.signed(repo, ExamplesTest.version(repo, bin) + "." + bin + ".json").path("targets"));
    }
    return sb.toString();
  }
}
