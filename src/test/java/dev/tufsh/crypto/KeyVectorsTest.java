package dev.tufsh.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Key ids and signatures from tuf-reference.md section 10. */
class KeyVectorsTest {
  private static final String ECDSA_PEM =
      "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEJu/OvQ7p40pmkYfhizqRIrL3M5Rb\nZJzJ+fkh6fna2BKQI4venMe7Mw0VDGdwTdJa5wVSBXRLbzG/QHB0WHLQ5g==\n-----END PUBLIC KEY-----\n";

  @Test
  void ed25519_seed_gives_reference_key_id_and_signature() {
    LocalSigner s =
        KeyPairs.ed25519FromSeed(
            Hex.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "seed"));
    assertEquals("03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8", s.key().publicValue());
    assertEquals("63d00ee3cf4f5c61ad94efa696c68f13b608fe56ecea13fb144a6fd18e9235b9", s.keyId());
    byte[] msg =
        "{\"_type\":\"timestamp\",\"expires\":\"2030-01-01T00:00:00Z\",\"meta\":{\"snapshot.json\":{\"version\":1}},\"spec_version\":\"1.0.31\",\"version\":1}"
            .getBytes(StandardCharsets.UTF_8);
    byte[] sig = s.sign(msg);
    assertEquals(
        "62f7d456d25a35462e22b7be1cff895cfc5a7fdc90b4856e934cd27a975711c79c6a95239a96a323de7bfa17d2fbc7aac1b487d3163bbe45d193332c91ad3e09",
        Hex.encode(sig));
    assertTrue(s.key().verifies(msg, sig));
    sig[5] ^= 1;
    assertFalse(s.key().verifies(msg, sig));
  }

  @Test
  void ecdsa_key_ids_depend_on_keytype_spelling_and_exact_pem() {
    assertEquals(
        "1b680a9b047f61c06aa7a6bfff05db6741ee261d5230cb708b7fda33a9611328",
        Key.of(Scheme.ECDSA_P256, ECDSA_PEM).keyId());
    assertEquals(
        "d931b635be6d2465e7776454d8412e7fa195d5b9d86c6846ab65e09a536f5612",
        new Key("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", ECDSA_PEM, Map.of(), Map.of()).keyId());
    assertEquals(
        "0bea237d0b8df01ee8c3c0a0e51a208ee9e040835d0ed4f899f8064b282cb248",
        Key.of(Scheme.ECDSA_P256, ECDSA_PEM.substring(0, ECDSA_PEM.length() - 1)).keyId());
  }

  @Test
  void spec_example_key_with_and_without_legacy_member() {
    String pub = "72378e5bc588793e58f81c8533da64a2e8f1565c1fcc7f253496394ffc52542c";
    assertEquals("1bf1c6e3cdd3d3a8420b19199e27511999850f4b376c4547b2f32fba7e80fca3", Key.of(Scheme.ED25519, pub).keyId());
    var algs = JsonNodeFactory.instance.arrayNode().add("sha256").add("sha512");
    assertEquals(
        "506a349b85945d0d99c7289c3f0f1f6c550218089d1d38a3f64824db31e827ac",
        new Key("ed25519", "ed25519", pub, Map.of(), Map.of("keyid_hash_algorithms", algs)).keyId());
  }

  @Test
  void generated_keys_of_every_scheme_sign_and_verify() {
    byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
    for (Scheme scheme : Scheme.values()) {
      LocalSigner s = KeyPairs.generate(scheme);
      byte[] sig = s.sign(msg);
      assertTrue(s.key().verifies(msg, sig), scheme.toString());
      assertFalse(s.key().verifies("hellp".getBytes(StandardCharsets.UTF_8), sig), scheme.toString());
      LocalSigner again = KeyPairs.fromPkcs8(s.privateKeyPkcs8());
      assertEquals(s.keyId(), again.keyId(), scheme + " PKCS#8 round trip");
    }
  }
}
