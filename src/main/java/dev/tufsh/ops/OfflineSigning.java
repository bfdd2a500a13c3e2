package dev.tufsh.ops;

import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.errors.SignatureError;
import dev.tufsh.errors.UsageError;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Signature;
import dev.tufsh.model.Signed;
import dev.tufsh.repo.AtomicFiles;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Threshold and offline signing. {@code export} writes each staged role as an ordinary metadata
 * file ({@code ROLE.json}: the exact {@code signed} content and the signatures so far), which
 * another admin's tufsh or python-tuf can load, sign and hand back; {@code import} checks that
 * the content is byte for byte what is staged and adds every signature that verifies.
 */
public final class OfflineSigning {
  /** Per role: the key ids whose signatures were added. */
  public record ImportResult(Map<String, List<String>> added) {}

  private OfflineSigning() {}

  /** Writes the named staged roles (all staged roles when empty) into {@code dir}. */
  public static List<Path> export(Workbench bench, List<String> roles, Path dir) {
    Repository repo = bench.repository();
    List<String> names = roles.isEmpty() ? new ArrayList<>(repo.staging().roles().keySet()) : roles;
    if (names.isEmpty()) {
      throw new UsageError("nothing is staged; there is nothing to sign");
    }
    // Exports are files to carry elsewhere: never into the published or private folders, where a
    // staged ROLE.json would replace what clients fetch without a publish.
    dir = bench.files().output(dir, "sign export --out");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UsageError("cannot create " + dir + ": " + e.getMessage());
    }
    List<Path> out = new ArrayList<>();
    for (String r : RoleSelector.select(repo, names)) {
      Metadata<? extends Signed> md = repo.staging().role(r);
      if (md == null) {
        throw new UsageError("role '" + r + "' has no staged change to sign");
      }
      Path f = dir.resolve(r + ".json");
      AtomicFiles.write(f, MetadataCodec.fileBytes(md));
      out.add(f);
    }
    return out;
  }

  /** Adds the signatures in {@code files} (ROLE.json or V.ROLE.json) to the staged roles. */
  public static ImportResult importSignatures(Workbench bench, List<Path> files) {
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      Map<String, List<String>> added = new LinkedHashMap<>();
      for (Path f : files) {
        String role = roleOf(f);
        Metadata<? extends Signed> staged = repo.staging().role(role);
        if (staged == null) {
          throw new UsageError(f + ": role '" + role + "' has no staged change to sign");
        }
        Metadata<? extends Signed> in = MetadataCodec.decode(AtomicFiles.read(f), f.toString());
        byte[] want = MetadataCodec.canonicalSigned(staged.signed());
        byte[] got = MetadataCodec.canonicalSigned(in.signed());
        if (!Arrays.equals(want, got)) {
          throw new SignatureError(f + ": role '" + role + "': the signed content differs from what is staged "
              + "(version " + in.signed().version() + " vs " + staged.signed().version() + "); export again");
        }
        Map<String, Key> keys = repo.signingKeys(role);
        List<Signature> good = new ArrayList<>();
        for (Signature s : in.signatures()) {
          Key k = keys.get(s.keyid());
          if (k == null || staged.signatures().stream().anyMatch(x -> x.keyid().equals(s.keyid()))) {
            continue;
          }
          if (!k.verifies(want, Hex.decode(s.sig(), "signature"))) {
            throw new SignatureError(f + ": role '" + role + "': the signature of key " + k.shortId()
                + " does not verify");
          }
          good.add(s);
        }
        repo.addSignatures(role, good);
        added.computeIfAbsent(role, x -> new ArrayList<>()).addAll(good.stream().map(Signature::keyid).toList());
      }
      repo.save();
      return new ImportResult(added);
    }
  }

  static String roleOf(Path f) {
    String n = f.getFileName().toString();
    if (!n.endsWith(".json")) {
      throw new UsageError(f + ": expected ROLE.json");
    }
    n = n.substring(0, n.length() - 5);
    int dot = n.indexOf('.');
    if (dot > 0 && n.substring(0, dot).chars().allMatch(Character::isDigit)) {
      n = n.substring(dot + 1);
    }
    return n;
  }
}
