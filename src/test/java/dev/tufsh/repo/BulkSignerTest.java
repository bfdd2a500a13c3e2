package dev.tufsh.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.file.FileKeyStore;
import dev.tufsh.keys.file.ScryptParams;
import dev.tufsh.model.Signature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many payloads signed at once: identical bytes are signed once and share a signature valid for each. */
class BulkSignerTest {
  @TempDir Path dir;

  @Test
  void identical_payloads_are_signed_once_and_every_signature_verifies() {
    for (Scheme scheme : List.of(Scheme.ED25519, Scheme.ECDSA_P256)) {
      Signer real = new FileKeyStore(dir.resolve(scheme.name()), (p, c) -> new Secret("pw".toCharArray()),
          ScryptParams.withLog2N(10)).generate(scheme, "k");
      AtomicInteger signed = new AtomicInteger();
      Signer counting = new Signer() {
        @Override
        public Key key() {
          return real.key();
        }

        @Override
        public byte[] sign(byte[] message) {
          signed.incrementAndGet();
          return real.sign(message);
        }
      };
      List<byte[]> payloads = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        // 998 empty bins alike, two that differ: three distinct payloads.
        String body = i == 10 ? "bin with a target" : i == 500 ? "another" : "empty bin";
        payloads.add(body.getBytes(StandardCharsets.UTF_8));
      }
      List<Signature> sigs = BulkSigner.sign(counting, payloads);
      assertEquals(3, signed.get(), scheme + ": one signing a distinct payload");
      assertEquals(1000, sigs.size());
      for (int i = 0; i < payloads.size(); i++) {
        assertEquals(real.keyId(), sigs.get(i).keyid());
        assertTrue(real.key().verifies(payloads.get(i), Hex.decode(sigs.get(i).sig(), "sig")), scheme + " " + i);
      }
      assertTrue(!real.key().verifies(payloads.get(0), Hex.decode(sigs.get(10).sig(), "sig")),
          "a distinct payload's signature is its own");
    }
  }
}
