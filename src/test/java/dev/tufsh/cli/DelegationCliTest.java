package dev.tufsh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.testing.Cli;
import dev.tufsh.testing.JsonResults;
import dev.tufsh.testing.PassphraseFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delegation commands as an operator types them: a project role named like a bin keeps its own
 * plan line when the bins are folded into one, show lists the tree in search order, and a refusal
 * is one line with the usage exit status.
 */
class DelegationCliTest {
  @TempDir Path dir;

  @Test
  void a_project_role_named_like_a_bin_is_not_folded_into_the_bins() throws Exception {
    Path repo = dir.resolve("r");
    Path pass = PassphraseFiles.write(dir.resolve("pass"), "cli passphrase\n");
    Cli.inRepo(repo, pass, "init", "--bins", "32").assertOk();
    Cli.inRepo(repo, pass, "key", "generate", "dev").assertOk();
    Cli.inRepo(repo, pass, "delegation", "add", "lib-cafe", "--path", "lib/*", "--key", "dev", "--before", "bins")
        .assertOk();
    Cli.inRepo(repo, pass, "publish").assertOk();
    Cli.inRepo(repo, pass, "resign", "bin-*", "lib-cafe").assertOk();
    String plan = Cli.inRepo(repo, pass, "plan").assertOk().out();
    assertTrue(plan.contains("32 bins"), plan);
    assertTrue(plan.lines().anyMatch(l -> l.startsWith("lib-cafe ")), plan);

    JsonNode show = JsonResults.result(Cli.inRepo(repo, pass, "delegation", "show", "--json").assertOk().out());
    List<String> order = new ArrayList<>();
    show.get("delegations").forEach(d -> order.add(d.get("role").asText() + "<" + d.get("delegator").asText()));
    assertEquals(List.of("lib-cafe<targets", "bins<targets", "bin-*<bins"), order);

    Cli.Result refused = Cli.inRepo(repo, pass, "delegation", "add", "docs", "--parent", "lib-cafe", "--path",
        "doc/*", "--key", "dev");
    assertEquals(ExitCodes.USAGE, refused.status(), refused.toString());
    assertEquals("tufsh: error: delegation add docs: --path 'doc/*' is outside what 'lib-cafe' is delegated (paths"
        + " lib/*)", refused.err().strip());
  }
}
