package dev.tufsh.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.errors.SignatureError;
import dev.tufsh.errors.UsageError;
import dev.tufsh.model.Metadata;
import dev.tufsh.json.Json;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.RoleType;
import dev.tufsh.model.Signature;
import dev.tufsh.model.Signed;
import dev.tufsh.model.Targets;
import dev.tufsh.repo.AtomicFiles;
import dev.tufsh.repo.PublishLock;
import dev.tufsh.repo.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Threshold and offline signing. {@code export} writes each staged role as an ordinary metadata
 * file ({@code ROLE.json}: the exact {@code signed} content and the signatures so far), which
 * another admin's tufsh or python-tuf can load, sign and hand back; {@code import} checks that
 * the content is byte for byte what is staged and adds every signature that verifies.
 */
public final class OfflineSigning {
  /** A signature that was not added, and why ({@code key 7b45... is not a root key}). */
  public record Ignored(String keyid, String why) {}

  /** What one file brought: the role it signs, the key ids added, and those left out. */
  public record Outcome(String file, String role, List<String> used, List<Ignored> ignored) {}

  /** Every file's outcome, in the order given. */
  public record ImportResult(List<Outcome> files) {
    public int used() {
      return files.stream().mapToInt(f -> f.used().size()).sum();
    }
  }

  private OfflineSigning() {}

  /** Writes the named staged roles (all staged roles when empty) into {@code dir}. */
  public static List<Path> export(Workbench bench, List<String> roles, Path dir) {
    return export(bench, roles, dir, false);
  }

  /**
   * {@link #export}; with {@code payload}, each role is written as {@code ROLE.payload} instead:
   * exactly the canonical bytes a signature covers, for signers that are not TUF tools.
   */
  public static List<Path> export(Workbench bench, List<String> roles, Path dir, boolean payload) {
    Repository repo = bench.repository();
    List<String> names = roles.isEmpty() ? new ArrayList<>(repo.staging().roles().keySet()) : roles;
    if (names.isEmpty()) {
      throw new UsageError("nothing is staged; there is nothing to sign");
    }
    // Exports are files to carry elsewhere: never into the published or private folders, where a
    // staged ROLE.json would replace what clients fetch without a publish.
    dir = bench.files().output(dir, "sign export --out");
    AtomicFiles.publicDirs(dir); // 0755 whatever the umask: the files are public metadata, 0644
    List<Path> out = new ArrayList<>();
    for (String r : RoleSelector.select(repo, names)) {
      Metadata<? extends Signed> md = repo.staging().role(r);
      if (md == null) {
        throw new UsageError("role '" + r + "' has no staged change to sign");
      }
      Path f = dir.resolve(r + (payload ? ".payload" : ".json"));
      AtomicFiles.write(f, payload ? md.signedBytes() : MetadataCodec.fileBytes(md));
      out.add(f);
    }
    return out;
  }

  /**
   * Adds the signatures in {@code files} (metadata files as {@code sign export} wrote them, under
   * any name) to the staged roles. The role comes from the file's content: its {@code _type}, and
   * for a targets role the staged role whose signed bytes it carries.
   */
  public static ImportResult importSignatures(Workbench bench, List<Path> files) {
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      List<Outcome> out = new ArrayList<>();
      for (Path f : files) {
        Metadata<? extends Signed> in = MetadataCodec.decode(AtomicFiles.read(f), f.toString());
        byte[] got = MetadataCodec.canonicalSigned(in.signed());
        String role = roleOf(repo, f, in, got);
        out.add(add(repo, f.toString(), role, got, in.signatures()));
      }
      repo.save();
      return new ImportResult(out);
    }
  }

  /**
   * Adds detached signatures ({@code {"keyid": ..., "sig": ...}} objects, one or a list per file)
   * made over the payload of {@code role} that {@code sign export --payload} wrote.
   */
  public static ImportResult importDetached(Workbench bench, String role, List<Path> files) {
    try (PublishLock lock = bench.lock()) {
      Repository repo = bench.repository();
      Metadata<? extends Signed> staged = staged(repo, role, role);
      List<Outcome> out = new ArrayList<>();
      for (Path f : files) {
        out.add(add(repo, f.toString(), role, staged.signedBytes(), detached(f)));
      }
      repo.save();
      return new ImportResult(out);
    }
  }

  static List<Signature> detached(Path f) {
    JsonNode node = Json.parse(AtomicFiles.read(f), f.toString());
    List<Signature> sigs = new ArrayList<>();
    for (JsonNode s : node.isArray() ? node : List.of(node)) {
      JsonNode id = s.get("keyid");
      JsonNode sig = s.get("sig");
      if (id == null || !id.isTextual() || sig == null || !sig.isTextual()) {
        throw new UsageError(f + ": expected a signature object {\"keyid\": ..., \"sig\": ...} or a list of them");
      }
      sigs.add(new Signature(id.textValue(), sig.textValue()));
    }
    return sigs;
  }

  /** Judges each signature against what is staged for {@code role} and adds those that count. */
  static Outcome add(Repository repo, String file, String role, byte[] got, List<Signature> sigs) {
    Metadata<? extends Signed> staged = staged(repo, role, file);
    byte[] want = staged.signedBytes();
    if (!Arrays.equals(want, got)) {
      throw new SignatureError(file + ": role '" + role + "': the signed content differs from what is staged"
          + " (version " + staged.signed().version() + " is staged); export again");
    }
    Judged j = judge(role, repo.signingKeys(role), staged.signatures(), want, sigs);
    repo.addSignatures(role, j.used());
    return new Outcome(file, role, j.used().stream().map(Signature::keyid).toList(), j.ignored());
  }

  /** Signatures that count, and those left out with the reason. */
  record Judged(List<Signature> used, List<Ignored> ignored) {}

  /**
   * Judges signatures over {@code message} made for {@code role}, whose keys are {@code keys} and
   * which already carries {@code present}: each must be by one of its keys, new, and verify.
   */
  static Judged judge(String role, Map<String, Key> keys, List<Signature> present, byte[] message,
      List<Signature> sigs) {
    byte[] want = message;
    List<Signature> good = new ArrayList<>();
    List<Ignored> ignored = new ArrayList<>();
    java.util.Set<String> have = new java.util.HashSet<>();
    present.forEach(x -> have.add(x.keyid()));
    for (Signature s : sigs) {
      String shortId = s.keyid().substring(0, Math.min(16, s.keyid().length())) + "...";
      Key k = keys.get(s.keyid());
      if (k == null) {
        ignored.add(new Ignored(s.keyid(), "key " + shortId + " is not a " + role + " key"));
      } else if (have.contains(s.keyid())) {
        ignored.add(new Ignored(s.keyid(), "key " + shortId + " has already signed " + role));
      } else if (!verifies(k, want, s.sig())) {
        ignored.add(new Ignored(s.keyid(), "the signature of key " + shortId + " does not verify"));
      } else {
        good.add(s);
        have.add(s.keyid());
      }
    }
    return new Judged(List.copyOf(good), List.copyOf(ignored));
  }

  private static boolean verifies(Key k, byte[] message, String sigHex) {
    try {
      return k.verifies(message, Hex.decode(sigHex, "signature"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Metadata<? extends Signed> staged(Repository repo, String role, String file) {
    Metadata<? extends Signed> staged = repo.staging().role(role);
    if (staged == null) {
      throw new UsageError(file + ": role '" + role + "' has no staged change to sign");
    }
    return staged;
  }

  /**
   * The role a file signs: root, snapshot or timestamp from {@code _type}; for targets metadata the
   * staged targets role with exactly these signed bytes (the file's name breaks a tie).
   */
  static String roleOf(Repository repo, Path f, Metadata<? extends Signed> in, byte[] signed) {
    if (in.signed().type() != RoleType.TARGETS) {
      return in.signed().type().wire();
    }
    String named = roleOf(f);
    List<String> matches = new ArrayList<>();
    repo.staging().roles().forEach((name, md) -> {
      if (md.signed() instanceof Targets && Arrays.equals(md.signedBytes(), signed)) {
        matches.add(name);
      }
    });
    if (matches.contains(named)) {
      return named;
    }
    if (matches.isEmpty()) {
      if (repo.staging().has(named)) {
        return named;
      }
      throw new UsageError(f + ": its targets content matches no staged targets role; export again");
    }
    return matches.get(0);
  }

  static String roleOf(Path f) {
    String n = f.getFileName().toString();
    n = n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
    int dot = n.indexOf('.');
    if (dot > 0 && n.substring(0, dot).chars().allMatch(Character::isDigit)) {
      n = n.substring(dot + 1);
    }
    return n;
  }
}
