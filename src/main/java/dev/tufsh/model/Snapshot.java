package dev.tufsh.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.errors.MetadataError;
import dev.tufsh.json.CanonicalJson;
import java.util.Map;

/** snapshot.json: the version of targets.json and of every delegated role ({@code NAME.json}). */
public record Snapshot(
    String specVersion, int version, Expiry expires, Map<String, MetaFile> meta, Map<String, JsonNode> extras)
    implements Signed {
  public Snapshot {
    Checks.specVersion(specVersion);
    Checks.version(version);
    // Entries laid over a snapshot's checked ones (withEntries: one upload's next snapshot) share
    // them, and only the changed ones are checked; anything else is copied and checked whole.
    Map<String, MetaFile> unchecked = meta;
    if (meta instanceof Overlay<String, MetaFile> o && o.checkedBase()) {
      unchecked = o.changes();
    } else {
      meta = Map.copyOf(meta);
      unchecked = meta;
    }
    extras = Map.copyOf(extras);
    // In any order first (16,384 bins: sorting them on every read cost more than checking them);
    // sorted only when one is bad, so that of several the same one is reported on every run.
    try {
      for (String name : unchecked.keySet()) {
        checkEntry(name);
      }
    } catch (MetadataError bad) {
      for (String name : CanonicalJson.sortedEntries(meta).stream().map(Map.Entry::getKey).toList()) {
        checkEntry(name);
      }
      throw bad;
    }
  }

  private static void checkEntry(String name) {
    if (!name.endsWith(".json")) {
      throw MetadataError.field("meta", "entry '" + Names.printable(name) + "' does not end in .json");
    }
    // Older repositories list root.json here too; only path safety matters for reading.
    Names.checkFileSafe(name.substring(0, name.length() - 5), "meta." + name);
  }

  @Override
  public RoleType type() {
    return RoleType.SNAPSHOT;
  }

  /** The entry for role {@code name}, or null. */
  public MetaFile entry(String roleName) {
    return meta.get(roleName + ".json");
  }

  @Override
  public Snapshot withVersion(int v) {
    return new Snapshot(specVersion, v, expires, meta, extras);
  }

  @Override
  public Snapshot withExpires(Expiry e) {
    return new Snapshot(specVersion, version, e, meta, extras);
  }

  /**
   * This snapshot with {@code changed} entries laid over its own (see {@link Overlay}): its other
   * entries, checked when it was made, are shared, not copied or checked again.
   */
  public Snapshot withEntries(Map<String, MetaFile> changed) {
    return new Snapshot(specVersion, version, expires, Overlay.of(meta, changed, true), extras);
  }

  public Snapshot withMeta(Map<String, MetaFile> m) {
    return new Snapshot(specVersion, version, expires, m, extras);
  }
}
