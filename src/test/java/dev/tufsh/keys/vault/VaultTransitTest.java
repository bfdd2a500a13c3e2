package dev.tufsh.keys.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.keys.KeyBackendError;
import dev.tufsh.keys.KeyStoreError;
import dev.tufsh.keys.MetadataSigning;
import dev.tufsh.keys.RegisteredKey;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Vault Transit against the HTTP stand-in, for what OpenBao ({@link OpenBaoTest}, the real server)
 * cannot be made to do here: Vault Enterprise namespaces; and what needs no server at all (connection
 * refused, a missing address or token, key URIs).
 */
class VaultTransitTest {
  private static final String TOKEN = "s.root-token";
  private TransitStandIn vault;

  @BeforeEach
  void start() throws Exception {
    vault = new TransitStandIn().token(TOKEN);
    vault.createKey(null, "transit", "tuf-ed", "ed25519");
    vault.createKey(null, "transit", "tuf-ec", "ecdsa-p256");
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
