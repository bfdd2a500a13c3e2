package dev.tufsh.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.cli.Access;
import dev.tufsh.cli.BaseCommand;
import dev.tufsh.json.Json;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Workbench;
import dev.tufsh.repo.PublishResult;
import picocli.CommandLine.Command;

@Command(
    name = "publish",
    description = "Verify the staged repository as a client would, then publish it: new files first, timestamp last.")
public final class PublishCommand extends BaseCommand {
  @picocli.CommandLine.Option(names = "--after-restore", description = "Publish although metadata/ is older than"
      + " what was published before (restored from a backup); new versions go above the high-water mark.")
  boolean afterRestore;

  /**
   * Publishing makes every staged change public, so it needs the right to change each staged role
   * (a key limited to bin-* may not publish a root change someone else staged), plus snapshot and
   * timestamp.
   */
  @Override
  public Access access() {
    java.util.Set<String> roles = new java.util.TreeSet<>(java.util.List.of("snapshot", "timestamp"));
    java.nio.file.Path staged = root().repo().resolve(".tufsh").resolve("staged");
    try {
      roles.addAll(dev.tufsh.repo.Staging.names(staged));
    } catch (RuntimeException e) {
      roles.add("*"); // unreadable staging: only a full admin may try
    }
    return Access.writes("publish " + (roles.size() - 2) + " staged role(s)", java.util.List.copyOf(roles));
  }

  /** Versions for the audit trail, with hashed bins folded into one count. */
  static java.util.Map<String, Integer> folded(java.util.Map<String, Integer> versions) {
    java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
    int bins = 0;
    for (var e : versions.entrySet()) {
      if (e.getKey().matches("bin-[0-9a-f]+")) {
        bins++;
      } else {
        out.put(e.getKey(), e.getValue());
      }
    }
    if (bins > 0) {
      out.put("bins re-signed", bins);
    }
    return out;
  }

  @Override
  protected int execute() {
    Workbench b = bench();
    PublishResult r = Publishing.publish(b, afterRestore, p -> {
      // A new root version is what clients cannot take back; the very first one needs no question.
      boolean rootChange = p.entries().stream().anyMatch(e -> e.role().equals("root") && e.oldVersion() > 0);
      if (rootChange && !root().json()) {
        PlanView.print(p, java.util.Map.of(), style(), out(), PlanView.names(b), false, b);
      }
      if (rootChange) {
        confirm("Publish a new root version?");
      }
    });
    session().noteResult(r);
    session().notePublished(folded(r.versions()));
    ObjectNode o = Json.object();
    ObjectNode v = o.putObject("versions");
    r.versions().forEach(v::put);
    o.put("metadata_files", r.metadataFiles());
    o.put("target_files", r.targetFiles());
    print(o, () -> out().println(r.versions().isEmpty() ? "nothing staged; nothing published" : "published " + r.versions().size() + " role(s): timestamp "
        + r.versions().get("timestamp") + (r.versions().containsKey("snapshot") ? ", snapshot "
        + r.versions().get("snapshot") : "") + (r.versions().containsKey("root") ? ", root "
        + r.versions().get("root") : "") + "; " + r.metadataFiles() + " metadata file(s), " + r.targetFiles()
        + " target file(s)"));
    return 0;
  }
}
