package dev.tufsh.keys.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.KeyBackendError;
import dev.tufsh.keys.MetadataSigning;
import dev.tufsh.keys.RegisteredKey;
import dev.tufsh.keys.ScriptedSecrets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PKCS#11 keys on real softhsm2 tokens: signatures that verify, and each failure in one line. */
class Pkcs11TokensTest {
  @BeforeAll
  static void tokens() throws Exception {
    SoftHsm.get();
  }

  private static Pkcs11Tokens backend(String pin) {
    return new Pkcs11Tokens(new ScriptedSecrets(pin), Map.of());
  }

  @Test
  void ecdsa_p256_key_signs_metadata_that_verifies_under_its_tuf_key() {
    ScriptedSecrets pins = new ScriptedSecrets(SoftHsm.PIN);
    Pkcs11Tokens tokens = new Pkcs11Tokens(pins, Map.of());
    RegisteredKey entry = tokens.describe("hsm-ec", SoftHsm.uri(SoftHsm.TOKEN, "ec-1"));
    Key key = entry.key();
    assertEquals(Scheme.ECDSA_P256, key.supportedScheme().orElseThrow());
    assertTrue(key.publicValue().startsWith("-----BEGIN PUBLIC KEY-----\n"), key.publicValue());
    assertEquals(Key.of(Scheme.ECDSA_P256, key.publicValue()).keyId(), key.keyId());

    Signer signer = tokens.signer(entry, key).orElseThrow();
    MetadataSigning.signAndCheck(signer, key);
    byte[] bytes = "a bin's canonical bytes".getBytes(StandardCharsets.US_ASCII);
    byte[] sig = signer.sign(bytes);
    assertEquals(0x30, sig[0] & 0xff, "DER SEQUENCE");
    assertTrue(key.verifier().verify(bytes, sig));
    assertFalse(key.verifier().verify("other".getBytes(StandardCharsets.US_ASCII), sig));
    // The PIN was asked once, though the token was used by two signatures and a check.
    assertEquals(1, pins.count());
  }

  @Test
  void rsa_pss_key_signs_with_a_32_byte_salt_that_verifies() {
    Pkcs11Tokens tokens = backend(SoftHsm.PIN);
    RegisteredKey entry = tokens.describe("hsm-rsa", SoftHsm.uri(SoftHsm.TOKEN, "rsa-1"));
    assertEquals(Scheme.RSA_PSS_SHA256, entry.key().supportedScheme().orElseThrow());
    Signer signer = tokens.signer(entry, entry.key()).orElseThrow();
    MetadataSigning.signAndCheck(signer, entry.key());
    List<byte[]> msgs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      msgs.add(("bin " + i).getBytes(StandardCharsets.US_ASCII));
    }
    List<byte[]> sigs = signer.signAll(msgs);
    for (int i = 0; i < msgs.size(); i++) {
      assertEquals(384, sigs.get(i).length);
      assertTrue(entry.key().verifier().verify(msgs.get(i), sigs.get(i)), "signature " + i);
    }
  }

  @Test
  void wrong_pin_is_one_line_naming_the_token_and_ckr() {
    KeyBackendError e = assertThrows(KeyBackendError.class,
        () -> backend("9999").describe("x", SoftHsm.uri(SoftHsm.PIN_TOKEN, "ec-1")));
    assertTrue(e.getMessage().contains("wrong PIN for token 'tufsh-pin' (CKR_PIN_INCORRECT)"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void missing_token_lists_the_tokens_present() {
    KeyBackendError e = assertThrows(KeyBackendError.class,
        () -> backend(SoftHsm.PIN).describe("x", SoftHsm.uri("no-such-token", "ec-1")));
    assertTrue(e.getMessage().contains("no token 'no-such-token' in module " + SoftHsm.MODULE), e.getMessage());
    assertTrue(e.getMessage().contains("'tufsh-main'"), e.getMessage());
  }

  @Test
  void missing_key_label_names_the_label_and_token() {
    KeyBackendError e = assertThrows(KeyBackendError.class,
        () -> backend(SoftHsm.PIN).describe("x", SoftHsm.uri(SoftHsm.TOKEN, "nope")));
    assertTrue(e.getMessage().endsWith("no private key labelled 'nope' on token 'tufsh-main'"), e.getMessage());
  }

  @Test
  void ed25519_key_signs_through_ckm_eddsa_as_64_raw_bytes() {
    Pkcs11Tokens tokens = backend(SoftHsm.PIN);
    RegisteredKey entry = tokens.describe("hsm-ed", SoftHsm.uri(SoftHsm.TOKEN, "ed-1"));
    assertEquals(Scheme.ED25519, entry.key().supportedScheme().orElseThrow());
    assertEquals(64, entry.key().publicValue().length(), "hex of 32 bytes");
    Signer signer = tokens.signer(entry, entry.key()).orElseThrow();
    MetadataSigning.signAndCheck(signer, entry.key());
    assertEquals(64, signer.sign(new byte[] {1, 2, 3}).length);
  }

  @Test
  void mechanism_the_token_refuses_is_reported_as_unsupported() {
    // ec-restricted allows only CKM_ECDSA_SHA256 (CKA_ALLOWED_MECHANISMS); tufsh signs with CKM_ECDSA.
    KeyBackendError e = assertThrows(KeyBackendError.class,
        () -> backend(SoftHsm.PIN).describe("x", SoftHsm.uri(SoftHsm.TOKEN, "ec-restricted")));
    assertTrue(e.getMessage().contains("unsupported mechanism: token 'tufsh-main' refused to sign with "
        + "ecdsa-sha2-nistp256 (CKR_MECHANISM_INVALID)"), e.getMessage());
  }

  @Test
  void p384_key_is_refused_because_tuf_clients_accept_only_p256() {
    KeyBackendError e = assertThrows(KeyBackendError.class,
        () -> backend(SoftHsm.PIN).describe("x", SoftHsm.uri(SoftHsm.TOKEN, "p384-1")));
    assertTrue(e.getMessage().contains("is not on curve P-256"), e.getMessage());
  }

  @Test
  void module_not_found_names_the_path() {
    KeyBackendError e = assertThrows(KeyBackendError.class,
        () -> backend(SoftHsm.PIN).describe("x", new Pkcs11Uri("/nonexistent/libnope.so", "t", null, "k")));
    assertTrue(e.getMessage().contains("PKCS#11 module /nonexistent/libnope.so not found"), e.getMessage());
  }

  @Test
  void uri_round_trips_with_escapes() {
    Pkcs11Uri u = new Pkcs11Uri("/opt/hsm lib/p11.so", "my token;1", 7L, "root key");
    assertEquals("pkcs11:token=my%20token%3B1;slot-id=7;object=root%20key?module-path=/opt/hsm%20lib/p11.so", u.uri());
    assertEquals(u, Pkcs11Uri.parse(u.uri()));
  }
}
