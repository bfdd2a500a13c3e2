package dev.tufsh.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.KeyPairs;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.SecretSource;
import dev.tufsh.json.Json;
import dev.tufsh.keys.offline.OfflineKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keys.json and the combined store: round trips, hand edits caught, offline keys never sign. */
class KeyRegistryTest {
  @TempDir Path dir;

  @Test
  void registered_keys_round_trip_and_offline_keys_have_no_signer() {
    CombinedKeyStore store = KeyStores.standard(dir, SecretSource.NONE, Map.of());
    Key off = KeyPairs.generate(Scheme.ECDSA_P256).key();
    store.register(OfflineKeys.entry("alice", off));
    assertEquals(List.of("alice"), store.list().stream().map(KeyEntry::name).toList());
    assertEquals("offline:" + off.keyId(), store.find("alice").orElseThrow().backend());
    assertTrue(store.signerFor(off).isEmpty());
    // A fresh store reads the same file.
    CombinedKeyStore again = KeyStores.standard(dir, SecretSource.NONE, Map.of());
    assertEquals(off.keyId(), again.find("alice").orElseThrow().key().keyId());
    assertTrue(again.unregister("alice"));
    assertTrue(again.list().isEmpty());
  }

  @Test
  void a_hand_edited_key_id_is_reported_with_file_and_entry() throws Exception {
    KeyRegistry reg = new KeyRegistry(dir.resolve("keys.json"));
    reg.add(OfflineKeys.entry("bob", KeyPairs.generate(Scheme.ED25519).key()));
    ObjectNode root = (ObjectNode) Json.parse(Files.readAllBytes(reg.file()), "keys.json");
    ((ObjectNode) root.get("keys").get(0)).put("keyid", "00".repeat(32));
    Files.writeString(reg.file(), root.toString(), StandardCharsets.UTF_8);
    KeyStoreError e = assertThrows(KeyStoreError.class, reg::list);
    assertTrue(e.getMessage().contains("keys[0] (bob): field 'keyid' is not the key id"), e.getMessage());
  }

  @Test
  void public_keys_read_from_pem_and_json_get_the_ids_tufsh_gives_its_own_keys() {
    for (Scheme s : Scheme.values()) {
      Key k = KeyPairs.generate(s).key();
      assertEquals(k.keyId(), PublicKeys.read(KeyExport.publicPem(k), "pem").keyId(), s.wireName());
      assertEquals(k.keyId(), PublicKeys.read(k.toJson().toString(), "json").keyId(), s.wireName());
    }
    ObjectNode withId = KeyPairs.generate(Scheme.ED25519).key().toJson();
    withId.put("keyid", "ab".repeat(32));
    KeyStoreError e = assertThrows(KeyStoreError.class, () -> PublicKeys.read(withId.toString(), "f.json"));
    assertTrue(e.getMessage().startsWith("f.json: field 'keyid'"), e.getMessage());
  }
}
