package dev.tufsh.ops;

import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.Signed;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.PublishResult;
import dev.tufsh.repo.Repository;
import dev.tufsh.repo.Settings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unattended re-sign a timer runs: every online role (timestamp, snapshot, bins) with less
 * than its refresh window of validity left gets a fresh expiry and is published, all under one
 * lock; nothing due writes nothing. Offline roles (root, targets, other delegations) are never
 * touched: those inside their window are reported for their key holders.
 */
public final class Refresh {
  /** The lock is waited for as long as the workbench says (the global {@code --wait}). */
  public record Request(boolean dryRun) {}

  /** A role inside its window: its kind and when it expires. */
  public record Due(String role, String kind, Expiry expires) {}

  /** What was re-signed (new versions; empty when nothing was due) and the offline roles due. */
  public record Result(List<Due> refreshed, Map<String, Integer> versions, List<Due> offlineDue, boolean dryRun) {
    public Result {
      refreshed = List.copyOf(refreshed);
      versions = Map.copyOf(versions);
      offlineDue = List.copyOf(offlineDue);
    }
  }


  private Refresh() {}

  public static Result run(Workbench bench, Request req) {
    try (PublishLock lock = bench.lock()) {
      List<Due> online = new ArrayList<>();
      List<Due> offline = new ArrayList<>();
      Instant now = bench.clock().instant();
      Settings settings = bench.workspace().settings();
      for (Status.RoleStatus s : Status.run(bench).roles()) {
        if (s.expires().instant().isAfter(now.plus(settings.refreshWindowOf(s.kind())))) {
          continue;
        }
        (Settings.ONLINE_KINDS.contains(s.kind()) ? online : offline).add(new Due(s.role(), s.kind(), s.expires()));
      }
      if (online.isEmpty() || req.dryRun()) {
        return new Result(online, Map.of(), offline, req.dryRun());
      }
      Repository repo = bench.repository();
      if (!repo.staging().isEmpty()) {
        // Publishing now would publish someone's unreviewed change along with the refresh.
        throw new WorkspaceError(online.size() + " online role(s) are due but " + (repo.staging().roles().size()
            + repo.staging().files().size()) + " staged change(s) are pending; publish or discard them, then"
            + " run refresh again");
      }
      Map<String, Signed> fresh = new LinkedHashMap<>();
      for (Due d : online) {
        fresh.put(d.role(), Resign.current(repo, d.role()).withExpires(repo.freshExpiry(d.role())));
      }
      repo.stageAll(fresh);
      PublishResult published = Publishing.publishLocked(repo, false, plan -> {});
      return new Result(online, published.versions(), offline, false);
    }
  }
}
