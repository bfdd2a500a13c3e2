package dev.tufsh.keys.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.MetadataSigning;
import dev.tufsh.keys.RegisteredKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Against a real Vault: run only through {@code mvn -B test -P vault-live} with VAULT_ADDR and
 * VAULT_TOKEN set, after creating Transit keys tuf-ed (ed25519), tuf-ec (ecdsa-p256) and tuf-rsa
 * (rsa-3072) as the README shows. Fails, never skips, when the environment is missing.
 */
class LiveVaultCheck {
  @ParameterizedTest
  @CsvSource({"tuf-ed, ED25519", "tuf-ec, ECDSA_P256", "tuf-rsa, RSA_PSS_SHA256"})
  void real_transit_key_signs_metadata_that_verifies(String name, Scheme scheme) {
    Map<String, String> env = System.getenv();
    assertTrue(env.containsKey("VAULT_ADDR") && env.containsKey("VAULT_TOKEN"),
        "set VAULT_ADDR and VAULT_TOKEN to run the live Vault check");
    String mount = env.getOrDefault("TUFSH_VAULT_MOUNT", VaultTransit.DEFAULT_MOUNT);
    VaultTransit transit = new VaultTransit(env);
    RegisteredKey entry = transit.describe("live-" + name, mount, name, 0, null, null);
    assertEquals(scheme, entry.key().supportedScheme().orElseThrow());
    Signer signer = transit.signer(entry, entry.key()).orElseThrow();
    MetadataSigning.signAndCheck(signer, entry.key());
    List<byte[]> bins = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      bins.add(("bin " + i).getBytes(StandardCharsets.US_ASCII));
    }
    List<byte[]> sigs = signer.signAll(bins);
    for (int i = 0; i < bins.size(); i += 97) {
      assertTrue(entry.key().verifies(bins.get(i), sigs.get(i)), name + " bin " + i);
    }
  }
}
