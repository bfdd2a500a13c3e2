package dev.tufsh.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.LocalSigner;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import dev.tufsh.crypto.SignerResolver;
import dev.tufsh.keys.file.FileKeyStore;
import dev.tufsh.keys.file.ScryptParams;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignerRegistryTest {
  @TempDir Path tmp;

  @Test
  void asks_backends_in_order_and_returns_the_first_signer() {
    FileKeyStore files = new FileKeyStore(tmp, new ScriptedSecrets("pw"), ScryptParams.withLog2N(10));
    Signer inFile = files.generate(Scheme.ED25519, "a");
    LocalSigner elsewhere = KeyPairs.generate(Scheme.ED25519);
    // A second backend that holds one in-memory key (as an offline or PKCS#11 backend would).
    SignerResolver second = key -> key.equals(elsewhere.key()) ? Optional.of(elsewhere) : Optional.empty();
    SignerRegistry registry = new SignerRegistry(files, second);

    Signer a = registry.signerFor(inFile.key()).orElseThrow();
    assertEquals(inFile.key(), a.key());
    assertTrue(a.describe().startsWith("file:"));
    assertSame(elsewhere, registry.signerFor(elsewhere.key()).orElseThrow());
    assertTrue(registry.signerFor(KeyPairs.generate(Scheme.ED25519).key()).isEmpty());
    assertEquals(2, registry.resolvers().size());
    assertTrue(new SignerRegistry().signerFor(inFile.key()).isEmpty());
  }
}
