package dev.tufsh.ops;

import dev.tufsh.json.CanonicalScan;
import dev.tufsh.model.Expiry;
import dev.tufsh.model.MetadataPeek;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.AtomicFiles;
import dev.tufsh.repo.FileNames;
import dev.tufsh.repo.PublishedIndex;
import dev.tufsh.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What selecting and listing roles need of them (expiry, target count, whether a role delegates),
 * read without decoding their target lists: 16,384 bins of 139 targets cost seconds to decode. A
 * staged role is peeked (one streaming pass); a published one comes from {@link PublishedIndex}
 * (status's summary, bound to the snapshot clients see, rebuilt when it is not) or a scan of its
 * canonical bytes. Whatever cannot be read so is decoded, as before. For choosing and showing
 * roles only: whatever then changes a role decodes or checks it in full.
 */
final class RoleFacts {
  /** Expiry and target count of one role, staged over published. */
  record Facts(Expiry expires, int targets) {}

  private RoleFacts() {}

  static Map<String, Facts> of(Workbench bench, Repository repo, Collection<String> roles) {
    Map<String, Facts> out = new ConcurrentHashMap<>();
    List<String> published = new ArrayList<>();
    List<String> decode = new ArrayList<>();
    for (String r : roles) {
      if (RoleType.isTopLevel(r) && !r.equals("targets")) {
        decode.add(r);
      } else if (repo.isStaged(r)) {
        MetadataPeek p = repo.staging().peek(r);
        out.put(r, new Facts(p.expires(), p.targets()));
      } else if (repo.published().version(r) > 0) {
        published.add(r);
      }
    }
    PublishedIndex.load(bench.workspace(), repo.published(), published)
        .forEach((r, e) -> out.put(r, new Facts(e.expires(), e.targets())));
    published.stream().filter(r -> !out.containsKey(r)).forEach(decode::add);
    decode.parallelStream().forEach(r -> repo.metadata(r).ifPresent(md -> out.put(r, facts(md))));
    return out;
  }

  private static Facts facts(Metadata<?> md) {
    return new Facts(md.signed().expires(), md.signed() instanceof Targets t ? t.targets().size() : 0);
  }

  /**
   * Whether the published, unstaged role delegates nothing, seen from its canonical bytes (no
   * {@code signed.delegations} member) without decoding them; false when that is not known so.
   */
  static boolean delegatesNothing(Repository repo, String role) {
    int v = repo.published().version(role);
    if (repo.isStaged(role) || v <= 0) {
      return false;
    }
    Path f = repo.workspace().metadataDir().resolve(FileNames.metadata(role, v));
    if (!Files.isRegularFile(f)) {
      return false;
    }
    byte[] bytes = AtomicFiles.read(f);
    Map<String, CanonicalScan.Span> members = CanonicalScan.members(bytes, 0, bytes.length, "signed");
    return members != null && members.containsKey("signed._type") && !members.containsKey("signed.delegations");
  }
}
