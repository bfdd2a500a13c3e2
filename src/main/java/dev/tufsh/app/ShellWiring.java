package dev.tufsh.app;

import dev.tufsh.cli.Completions;
import dev.tufsh.cli.Session;
import dev.tufsh.crypto.SecretSource;
import dev.tufsh.keys.KeyEntry;
import dev.tufsh.ops.KeyRefs;
import dev.tufsh.ops.Workbench;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.Staging;
import dev.tufsh.repo.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the shell (local or over SSH) learns from the workspace: live Tab candidates for role and
 * key parameters, and the staged count for the prompt. Any error yields no candidates: Tab must
 * never fail a session.
 */
public final class ShellWiring {
  private ShellWiring() {}

  /** Candidates by parameter label: ROLE (with a bin-* glob), KEY (key store names, key id prefixes). */
  public static Completions completions() {
    return (label, session) -> {
      try {
        Path dir = session.repo();
        if (!Workspace.exists(dir)) {
          return List.of();
        }
        Workbench bench = session.workbench(dir, SecretSource.NONE);
        return switch (label) {
          case "ROLE" -> roles(bench.repository());
          case "KEY" -> keys(bench);
          default -> List.of();
        };
      } catch (RuntimeException e) {
        return List.of();
      }
    };
  }

  private static List<String> roles(Repository repo) {
    Set<String> out = new LinkedHashSet<>();
    List<String> bins = new ArrayList<>();
    for (String r : repo.roleNames()) {
      if (repo.isBin(r)) {
        bins.add(r);
      } else {
        out.add(r);
      }
    }
    if (!bins.isEmpty()) {
      String first = bins.get(0);
      out.add(first.substring(0, first.lastIndexOf('-') + 1) + "*");
      out.addAll(bins);
    }
    return new ArrayList<>(out);
  }

  /** Key names; a trusted key with no name here (someone else's) is offered by its id prefix. */
  private static List<String> keys(Workbench bench) {
    Set<String> out = new LinkedHashSet<>();
    Set<String> named = new java.util.HashSet<>();
    for (KeyEntry e : bench.keys().list()) {
      out.add(e.name());
      named.add(e.key().keyId());
    }
    KeyRefs.trusted(bench.repository()).keySet().stream().filter(id -> !named.contains(id))
        .forEach(id -> out.add(id.substring(0, 16)));
    return new ArrayList<>(out);
  }

  /** Staged changes in the session's workspace, for the prompt; -1 when there is no workspace. */
  public static int stagedCount(Session session) {
    Path dir = session.repo();
    if (!Workspace.exists(dir)) {
      return -1;
    }
    // Roles, not roles plus files: one target added is one change (its bin), not two.
    return Staging.names(dir.resolve(".tufsh").resolve("staged")).size();
  }
}
