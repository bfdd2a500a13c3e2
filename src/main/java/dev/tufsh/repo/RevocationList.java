package dev.tufsh.repo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.errors.UsageError;
import dev.tufsh.json.CanonicalJson;
import dev.tufsh.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every key id ever revoked and when ({@code .tufsh/revoked.json}): a revoked key is one that
 * leaked, so trusting it again is refused unless the operator says {@code --force}.
 */
public final class RevocationList {
  private final Path file;
  private final Map<String, String> revoked;

  private RevocationList(Path file, Map<String, String> revoked) {
    this.file = file;
    this.revoked = revoked;
  }

  public static RevocationList load(Workspace ws) {
    Path f = ws.privateDir().resolve("revoked.json");
    Map<String, String> m = new TreeMap<>();
    if (Files.exists(f)) {
      var doc = Json.parse(new String(AtomicFiles.readBounded(f, 16L << 20), StandardCharsets.UTF_8), f.toString());
      dev.tufsh.json.FormatMember.check(doc, f.toString(), "revocation list", 1);
      doc.path("keys").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    }
    return new RevocationList(f, m);
  }

  /** Records {@code keyId} as revoked at {@code time}. */
  public void add(String keyId, String time) {
    revoked.putIfAbsent(keyId, time);
    ObjectNode o = Json.object();
    ObjectNode keys = o.putObject("keys");
    revoked.forEach(keys::put);
    AtomicFiles.writePrivate(file, CanonicalJson.encodeFile(o));
  }

  /** Refuses to trust {@code keyId} for {@code role} again when it was revoked, unless {@code force}. */
  public void refuseRevoked(String keyId, String role, boolean force) {
    String when = revoked.get(keyId);
    if (when != null && !force) {
      throw new UsageError("key " + keyId.substring(0, Math.min(16, keyId.length())) + " was revoked on " + when
          + "; refusing to trust it again for role '" + role + "' (give --force if it is certain it did not leak)");
    }
  }
}
