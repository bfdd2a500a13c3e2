package dev.tufsh.ops;

import dev.tufsh.errors.WorkspaceError;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Signed;
import dev.tufsh.repo.FileNames;
import dev.tufsh.repo.Plan;
import dev.tufsh.repo.PublishedState;
import dev.tufsh.repo.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client downloads to resolve one target, in bytes, over the metadata path (the root is
 * left out: it changes only on a key change): timestamp, snapshot, each delegating role from
 * targets to the bins' parent, and one bin (the mean bin size). A new client fetches all of it; a
 * returning client, on a day when its bin was re-signed, timestamp, snapshot and that bin; the
 * one crossing a reshape also every delegating role that changed.
 */
public final class ClientCost {
  private ClientCost() {}

  /** The file sizes one state of the repository offers a client. */
  public record Sizes(long timestamp, long snapshot, Map<String, Long> path, long meanBin) {
    public Sizes {
      path = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(path)); // in path order
    }

    public long newClient() {
      return timestamp + snapshot + path.values().stream().mapToLong(Long::longValue).sum() + meanBin;
    }

    public long returningClient() {
      return timestamp + snapshot + meanBin;
    }
  }

  /** Before (published) and after (the plan); {@code crossing}: a returning client's first update after. */
  public record Comparison(Sizes before, Sizes after, long crossing) {
    public double newClientRatio() {
      return (double) after.newClient() / before.newClient();
    }

    public double returningClientRatio() {
      return (double) after.returningClient() / before.returningClient();
    }
  }

  /** The cost of the published shape {@code before} against the staged {@code after}, as {@code plan} would write it. */
  public static Comparison compare(Repository repo, BinShape before, BinShape after, Plan plan) {
    PublishedState pub = repo.published();
    Sizes b = new Sizes(pub.timestampBytes().length, pub.snapshotBytes().length, publishedSizes(repo, before.path()),
        mean(before.binNames(), r -> publishedSize(repo, r)));
    // The preview's snapshot and timestamp are unsigned: add the signatures the published ones carry.
    long snapshot = planned(plan, "snapshot", pub.snapshotBytes().length)
        + signatureBytes(pub.snapshot().orElseThrow(), pub.snapshotBytes());
    long timestamp = planned(plan, "timestamp", pub.timestampBytes().length)
        + signatureBytes(pub.timestamp().orElseThrow(), pub.timestampBytes());
    Map<String, Long> path = new LinkedHashMap<>();
    long changed = 0;
    for (String r : after.path()) {
      long size = sizeAsPlanned(repo, r);
      path.put(r, size);
      if (repo.isStaged(r)) {
        changed += size;
      }
    }
    long meanBin = mean(after.binNames(), r -> sizeAsPlanned(repo, r));
    Sizes a = new Sizes(timestamp, snapshot, path, meanBin);
    return new Comparison(b, a, timestamp + snapshot + changed + meanBin);
  }

  private static Map<String, Long> publishedSizes(Repository repo, List<String> roles) {
    Map<String, Long> out = new LinkedHashMap<>();
    roles.forEach(r -> out.put(r, publishedSize(repo, r)));
    return out;
  }

  private static long sizeAsPlanned(Repository repo, String role) {
    return repo.isStaged(role) ? repo.staging().fileBytes(role).length : publishedSize(repo, role);
  }

  private static long publishedSize(Repository repo, String role) {
    int v = repo.publishedVersion(role);
    if (v == 0) {
      return 0;
    }
    Path p = repo.workspace().metadataDir().resolve(FileNames.metadata(role, v));
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new WorkspaceError("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private static long planned(Plan plan, String role, long otherwise) {
    for (var e : plan.newFiles().entrySet()) {
      String name = e.getKey();
      if (name.equals(role + ".json") || name.endsWith("." + role + ".json")) {
        return e.getValue().length;
      }
    }
    return otherwise;
  }

  /** How many bytes a published file's signatures take. */
  private static long signatureBytes(Metadata<? extends Signed> md, byte[] published) {
    return Math.max(0, published.length - MetadataCodec.fileBytes(new Metadata<>(md.signed(), List.of())).length);
  }

  private static long mean(List<String> roles, java.util.function.ToLongFunction<String> size) {
    if (roles.isEmpty()) {
      return 0;
    }
    return roles.parallelStream().mapToLong(size).sum() / roles.size();
  }
}
