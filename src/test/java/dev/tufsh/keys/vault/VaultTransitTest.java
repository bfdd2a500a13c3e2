package dev.tufsh.keys.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Signer;
import dev.tufsh.json.Json;
import dev.tufsh.keys.KeyBackendError;
import dev.tufsh.keys.KeyStoreError;
import dev.tufsh.keys.MetadataSigning;
import dev.tufsh.keys.RegisteredKey;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vault Transit keys against the HTTP stand-in: encodings, batching, pinning and every failure. */
class VaultTransitTest {
  private static final String TOKEN = "s.root-token";
  private TransitStandIn vault;

  @BeforeEach
  void start() throws Exception {
    vault = new TransitStandIn().token(TOKEN);
    vault.createKey(null, "transit", "tuf-ed", "ed25519");
    vault.createKey(null, "transit", "tuf-ec", "ecdsa-p256");
  }

  /** RSA key generation is slow, so only the tests that sign with RSA make one. */
  private void rsaKey() throws Exception {
    vault.createKey(null, "transit", "tuf-rsa", "rsa-3072");
  }

  @AfterEach
  void stop() {
    vault.close();
  }

  private Map<String, String> env(String token) {
    return Map.of("VAULT_ADDR", vault.address(), "VAULT_TOKEN", token);
  }

  private VaultTransit transit() {
    return new VaultTransit(env(TOKEN));
  }

  @ParameterizedTest
  @CsvSource({"tuf-ed, ED25519", "tuf-ec, ECDSA_P256", "tuf-rsa, RSA_PSS_SHA256"})
  void each_key_type_signs_metadata_that_verifies_and_has_the_usual_key_id(String name, Scheme scheme)
      throws Exception {
    if (scheme == Scheme.RSA_PSS_SHA256) {
      rsaKey();
    }
    RegisteredKey entry = transit().describe("v-" + name, "transit", name, 0, null, null);
    Key key = entry.key();
    assertEquals(scheme, key.supportedScheme().orElseThrow());
    assertEquals("vault:transit/" + name + "#1", entry.uri());
    assertEquals(Key.of(scheme, key.publicValue()).keyId(), key.keyId());
    if (scheme == Scheme.ED25519) {
      assertTrue(key.publicValue().matches("[0-9a-f]{64}"), key.publicValue());
    } else {
      assertTrue(key.publicValue().startsWith("-----BEGIN PUBLIC KEY-----\n")
          && key.publicValue().endsWith("\n-----END PUBLIC KEY-----\n"), key.publicValue());
    }
    Signer signer = transit().signer(entry, key).orElseThrow();
    MetadataSigning.signAndCheck(signer, key);
    byte[] sig = signer.sign("x".getBytes(StandardCharsets.US_ASCII));
    switch (scheme) {
      case ED25519 -> assertEquals(64, sig.length);
      case ECDSA_P256 -> assertEquals(0x30, sig[0] & 0xff, "DER, not JWS r||s");
      case RSA_PSS_SHA256 -> assertEquals(384, sig.length);
    }
  }

  @Test
  void ed25519_public_key_is_vaults_base64_as_hex() {
    RegisteredKey entry = transit().describe("v", "transit", "tuf-ed", 0, null, null);
    ObjectNode raw = (ObjectNode) new VaultClient(VaultSettings.resolve(Map.of(), env(TOKEN)), "t")
        .get("transit/keys/tuf-ed");
    String b64 = raw.get("keys").get("1").get("public_key").asText();
    assertEquals(Hex.encode(Base64.getDecoder().decode(b64)), entry.key().publicValue());
  }

  @Test
  void sixteen_thousand_bins_take_a_handful_of_requests() {
    for (String name : List.of("tuf-ed", "tuf-ec")) {
      RegisteredKey entry = transit().describe("v", "transit", name, 0, null, null);
      Signer signer = transit().signer(entry, entry.key()).orElseThrow();
      List<byte[]> bins = new ArrayList<>();
      for (int i = 0; i < 16384; i++) {
        bins.add(("{\"signed\":{\"_type\":\"targets\",\"bin\":" + i + ",\"targets\":{}}}").getBytes(StandardCharsets.UTF_8));
      }
      int before = vault.requests();
      List<byte[]> sigs = signer.signAll(bins);
      int used = vault.requests() - before;
      assertEquals(16384, sigs.size());
      assertTrue(used <= 20, name + ": " + used + " requests");
      assertEquals(1 + (16384 + VaultSigner.BATCH - 1) / VaultSigner.BATCH, used, "one key read, then batches");
      for (int i = 0; i < sigs.size(); i += name.equals("tuf-ed") ? 1 : 97) {
        assertTrue(entry.key().verifies(bins.get(i), sigs.get(i)), name + " bin " + i);
      }
    }
  }

  @Test
  void requests_ask_for_der_pss_salt_32_and_prehashed_digests() throws Exception {
    // Vault's default RSA salt ("auto": the longest that fits) fails clients that expect 32 bytes.
    rsaKey();
    VaultClient c = new VaultClient(VaultSettings.resolve(Map.of(), env(TOKEN)), "t");
    byte[] msg = "bin".getBytes(StandardCharsets.US_ASCII);
    ObjectNode body = Json.object();
    body.put("input", Base64.getEncoder().encodeToString(Crypto.sha256(msg)));
    body.put("prehashed", true);
    String auto = c.post("transit/sign/tuf-rsa/sha2-256", body).get("signature").asText();
    RegisteredKey entry = transit().describe("v", "transit", "tuf-rsa", 0, null, null);
    byte[] autoSig = Base64.getDecoder().decode(auto.substring("vault:v1:".length()));
    assertFalse(entry.key().verifies(msg, autoSig), "salt 'auto' must not pass a salt-32 verifier");
    Signer signer = transit().signer(entry, entry.key()).orElseThrow();
    assertTrue(entry.key().verifies(msg, signer.sign(msg)));
  }

  @Test
  void version_is_pinned_when_added_and_survives_rotation() throws Exception {
    RegisteredKey v1 = transit().describe("v", "transit", "tuf-ec", 0, null, null);
    vault.rotate(null, "transit", "tuf-ec");
    Signer signer = transit().signer(v1, v1.key()).orElseThrow();
    MetadataSigning.signAndCheck(signer, v1.key());
    RegisteredKey v2 = transit().describe("v", "transit", "tuf-ec", 0, null, null);
    assertEquals("vault:transit/tuf-ec#2", v2.uri());
    assertFalse(v1.key().keyId().equals(v2.key().keyId()));
  }

  @Test
  void namespace_comes_from_the_environment_and_travels_as_a_header() throws Exception {
    vault.createKey("team-a", "transit", "ns-key", "ed25519");
    Map<String, String> env = Map.of("VAULT_ADDR", vault.address(), "VAULT_TOKEN", TOKEN, "VAULT_NAMESPACE", "team-a");
    RegisteredKey entry = new VaultTransit(env).describe("v", "transit", "ns-key", 0, null, null);
    MetadataSigning.signAndCheck(new VaultTransit(env).signer(entry, entry.key()).orElseThrow(), entry.key());
    assertTrue(vault.log().contains("POST transit/sign/ns-key team-a"), vault.log().toString());
    KeyBackendError e = assertThrows(KeyBackendError.class,
        () -> transit().describe("v", "transit", "ns-key", 0, null, null));
    assertTrue(e.getMessage().contains("(404"), e.getMessage());
  }

  @Test
  void sealed_vault_is_one_line_saying_so() {
    RegisteredKey entry = transit().describe("v", "transit", "tuf-ed", 0, null, null);
    vault.seal(true);
    Signer signer = transit().signer(entry, entry.key()).orElseThrow();
    KeyBackendError e = assertThrows(KeyBackendError.class, () -> signer.sign(new byte[] {1}));
    assertEquals("vault:transit/tuf-ed#1: Vault at " + vault.address() + " is sealed (503); unseal it and try again",
        e.getMessage());
  }

  @Test
  void policy_that_denies_the_path_is_told_apart_from_a_bad_token() {
    vault.token("s.read-only", "transit/keys/");
    RegisteredKey entry = transit().describe("v", "transit", "tuf-ed", 0, null, null);
    Signer limited = new VaultTransit(env("s.read-only")).signer(entry, entry.key()).orElseThrow();
    KeyBackendError denied = assertThrows(KeyBackendError.class, () -> limited.sign(new byte[] {1}));
    assertTrue(denied.getMessage().contains("denied transit/sign/tuf-ed (403 permission denied"), denied.getMessage());
    assertFalse(denied.getMessage().contains("\n"), denied.getMessage());

    KeyBackendError bad = assertThrows(KeyBackendError.class,
        () -> new VaultTransit(env("s.wrong")).describe("v", "transit", "tuf-ed", 0, null, null));
    assertTrue(bad.getMessage().contains("rejected the token (403 bad token)"), bad.getMessage());
  }

  @Test
  void unknown_key_names_the_path() {
    KeyBackendError e = assertThrows(KeyBackendError.class,
        () -> transit().describe("v", "transit", "no-such-key", 0, null, null));
    assertTrue(e.getMessage().contains("no such key or path at " + vault.address() + "/v1/transit/keys/no-such-key (404"),
        e.getMessage());
  }

  @Test
  void unknown_key_at_sign_time_reports_encryption_key_not_found() {
    VaultClient c = new VaultClient(VaultSettings.resolve(Map.of(), env(TOKEN)), "vault:transit/gone#1");
    ObjectNode body = Json.object();
    body.put("input", "AAAA");
    KeyBackendError e = assertThrows(KeyBackendError.class, () -> c.post("transit/sign/gone", body));
    assertTrue(e.getMessage().contains("Vault has no Transit key for") && e.getMessage().contains("encryption key not found"),
        e.getMessage());
  }

  @Test
  void key_types_that_cannot_sign_for_tuf_are_refused() throws Exception {
    vault.createKey(null, "transit", "aes", "aes256-gcm96");
    KeyBackendError e = assertThrows(KeyBackendError.class,
        () -> transit().describe("v", "transit", "aes", 0, null, null));
    assertTrue(e.getMessage().contains("Transit key type aes256-gcm96 cannot sign"), e.getMessage());
  }

  @Test
  void connection_refused_says_where() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = Map.of("VAULT_ADDR", "http://127.0.0.1:" + port, "VAULT_TOKEN", TOKEN);
    KeyBackendError e = assertThrows(KeyBackendError.class,
        () -> new VaultTransit(env).describe("v", "transit", "tuf-ed", 0, null, null));
    assertTrue(e.getMessage().contains("cannot reach Vault at http://127.0.0.1:" + port + ": connection refused"),
        e.getMessage());
  }

  @Test
  void missing_address_or_token_is_explained() throws Exception {
    KeyStoreError noAddr = assertThrows(KeyStoreError.class,
        () -> new VaultTransit(Map.of("VAULT_TOKEN", TOKEN)).describe("v", "transit", "k", 0, null, null));
    assertTrue(noAddr.getMessage().startsWith("no Vault address: set VAULT_ADDR"), noAddr.getMessage());
    KeyStoreError noToken = assertThrows(KeyStoreError.class,
        () -> new VaultTransit(Map.of("VAULT_ADDR", vault.address(), "HOME", "/nonexistent"))
            .describe("v", "transit", "k", 0, null, null));
    assertTrue(noToken.getMessage().startsWith("no Vault token: set VAULT_TOKEN"), noToken.getMessage());
    // A passphrase is never a token: a secret source is not even consulted; the key's own file is.
    Map<String, String> noEnvToken = Map.of("VAULT_ADDR", vault.address(), "HOME", "/nonexistent");
    java.nio.file.Path tokenFile = java.nio.file.Files.createTempFile("vault-token", "");
    try {
      java.nio.file.Files.writeString(tokenFile, TOKEN + "\n");
      RegisteredKey entry = new VaultTransit(noEnvToken).describe("v", "transit", "tuf-ed", 0, null, null, tokenFile);
      assertEquals("vault:transit/tuf-ed#1", entry.uri());
      assertEquals(tokenFile.toString(), entry.options().get(VaultSettings.TOKEN_FILE));
    } finally {
      java.nio.file.Files.deleteIfExists(tokenFile);
    }
  }

  @Test
  void uri_round_trips_and_rejects_path_tricks() {
    assertEquals(new VaultKeyRef("transit", "tuf", 3), VaultKeyRef.parse("vault:transit/tuf#3"));
    assertEquals(new VaultKeyRef("team/transit", "tuf", 1), VaultKeyRef.parse("vault:team/transit/tuf#1"));
    assertThrows(KeyStoreError.class, () -> VaultKeyRef.parse("vault:transit/../sys#1"));
    assertThrows(KeyStoreError.class, () -> VaultKeyRef.parse("vault:transit/tuf"));
  }
}
