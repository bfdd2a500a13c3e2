package dev.tufsh.keys;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Signer;
import dev.tufsh.model.Metadata;
import dev.tufsh.model.MetadataCodec;
import dev.tufsh.model.Role;
import dev.tufsh.model.Signatures;
import dev.tufsh.model.Signed;
import dev.tufsh.testing.TestRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Signs a real targets role with a backend's signer, writes it as a metadata file, reads it back
 * and checks the signature as a client does (threshold 1 of {@code key}). Throws when it fails.
 */
public final class MetadataSigning {
  private MetadataSigning() {}

  /** The file bytes of a targets role signed by {@code signer}, checked against {@code key}. */
  public static byte[] signAndCheck(Signer signer, Key key) {
    Signed targets = TestRepository.create(Instant.parse("2030-01-01T00:00:00Z")).role("targets");
    byte[] file = TestRepository.sign(targets, List.of(signer));
    Metadata<? extends Signed> md = MetadataCodec.decode(file, "targets.json");
    Signatures.require("targets.json", "targets", md, md.signedBytes(), Map.of(key.keyId(), key),
        new Role(List.of(key.keyId()), 1));
    return file;
  }
}
