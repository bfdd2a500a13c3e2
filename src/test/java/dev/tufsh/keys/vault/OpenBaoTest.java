package dev.tufsh.keys.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tufsh.crypto.Crypto;
import dev.tufsh.crypto.Hex;
import dev.tufsh.crypto.Key;
import dev.tufsh.crypto.Scheme;
import dev.tufsh.crypto.Secret;
import dev.tufsh.crypto.SecretSource;
import dev.tufsh.crypto.Signer;
import dev.tufsh.keys.CombinedKeyStore;
import dev.tufsh.keys.KeyBackendError;
import dev.tufsh.keys.KeyRegistry;
import dev.tufsh.keys.MetadataSigning;
import dev.tufsh.keys.RegisteredKey;
import dev.tufsh.keys.file.FileKeyStore;
import dev.tufsh.keys.file.ScryptParams;
import dev.tufsh.ops.Init;
import dev.tufsh.ops.Publishing;
import dev.tufsh.ops.Resign;
import dev.tufsh.ops.Rotate;
import dev.tufsh.ops.TargetOps;
import dev.tufsh.ops.TargetSpec;
import dev.tufsh.ops.Workbench;
import dev.tufsh.testing.Benches;
import dev.tufsh.testing.OpenBao;
import dev.tufsh.testing.StaticHttpServer;
import dev.tufsh.testing.TufClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Vault Transit for real: an OpenBao dev server ({@link OpenBao}) started for this class, with
 * Transit keys ed25519, ecdsa-p256 and rsa-3072. 16,384 bins are signed through it, published and
 * verified by python-tuf, with the server's own count of sign requests; a token revoked by the
 * server mid-batch, a sealed server and a policy without {@code sign} each fail with one line and
 * leave the published repository as it was. Only what a real server cannot be made to do (Vault's
 * 1 MiB string cap, namespaces, odd answers) stays with {@link TransitStandIn}. Figures (requests,
 * seconds, signatures/s, beside the file keystore's) go to {@code target/interop/openbao.md}.
 */
class OpenBaoTest {
  private static final String TARGET = "packages/hello-1.0.tar.gz";
  private static final byte[] CONTENT = "signed through OpenBao\n".getBytes(StandardCharsets.UTF_8);
  private static final List<String> FIGURES = new ArrayList<>();
  private static OpenBao bao;
  private static Path baoDir;

  @TempDir Path tmp;

  @BeforeAll
  static void start() throws IOException {
    baoDir = Files.createTempDirectory("openbao");
    bao = new OpenBao(baoDir);
    bao.createKey("tuf-ed", "ed25519");
    bao.createKey("tuf-ec", "ecdsa-p256");
    bao.createKey("tuf-rsa", "rsa-3072");
  }

  @AfterAll
  static void stop() throws IOException {
    if (bao != null) {
      bao.close();
    }
    Path out = Path.of(System.getProperty("basedir", "."), "target", "interop", "openbao.md");
    Files.createDirectories(out.getParent());
    List<String> lines = new ArrayList<>(List.of("| signer | messages | requests | seconds | signatures/s |",
        "|---|---|---|---|---|"));
    lines.addAll(FIGURES);
    Files.write(out, lines, StandardCharsets.UTF_8);
  }

  private static Map<String, String> env(String token) {
    return Map.of("VAULT_ADDR", bao.address(), "VAULT_TOKEN", token);
  }

  private static VaultTransit transit(String token) {
    return new VaultTransit(env(token));
  }

  /** A workbench whose key store is the usual one (file keys plus Vault) with this token. */
  private static Workbench bench(Path dir, String token) {
    SecretSource pass = (purpose, confirm) -> new Secret(Benches.PASSPHRASE.toCharArray());
    return new Workbench(dir,
        ws -> new CombinedKeyStore(new FileKeyStore(ws.keysDir(), pass, ScryptParams.withLog2N(10)),
            new KeyRegistry(ws.privateDir().resolve(KeyRegistry.FILE)), List.of(transit(token))),
        Clock.systemUTC(), "test@local");
  }

  private static List<byte[]> messages(int n) {
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(("{\"signed\":{\"_type\":\"targets\",\"bin\":" + i + ",\"targets\":{}}}").getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  private static synchronized void figure(String signer, int messages, int requests, double seconds) {
    FIGURES.add(String.format(java.util.Locale.ROOT, "| %s | %d | %s | %.2f | %.0f |", signer, messages,
        requests < 0 ? "-" : Integer.toString(requests), seconds, messages / seconds));
  }

  @ParameterizedTest
  @CsvSource({"tuf-ed, ED25519, 16384", "tuf-ec, ECDSA_P256, 16384", "tuf-rsa, RSA_PSS_SHA256, 2048"})
  void each_key_type_signs_batches_that_verify(String name, Scheme scheme, int count) {
    RegisteredKey entry = transit(bao.rootToken()).describe("bao-" + name, "transit", name, 0, null, null);
    assertEquals(scheme, entry.key().supportedScheme().orElseThrow());
    Signer signer = transit(bao.rootToken()).signer(entry, entry.key()).orElseThrow();
    MetadataSigning.signAndCheck(signer, entry.key());
    List<byte[]> msgs = messages(count);
    int before = bao.requests("transit/sign/" + name);
    long t0 = System.nanoTime();
    List<byte[]> sigs = signer.signAll(msgs);
    double s = (System.nanoTime() - t0) / 1e9;
    int used = bao.requests("transit/sign/" + name) - before;
    assertEquals((count + VaultSigner.BATCH - 1) / VaultSigner.BATCH, used, "batches of " + VaultSigner.BATCH);
    for (int i = 0; i < sigs.size(); i += 61) {
      assertTrue(entry.key().verifies(msgs.get(i), sigs.get(i)), name + " message " + i);
    }
    figure("OpenBao " + name, msgs.size(), used, s);
  }

  @Test
  void file_keystore_baseline() throws IOException {
    FileKeyStore files = new FileKeyStore(tmp, (p, c) -> new Secret(Benches.PASSPHRASE.toCharArray()),
        ScryptParams.withLog2N(10));
    for (Scheme scheme : List.of(Scheme.ED25519, Scheme.ECDSA_P256)) {
      Signer signer = files.generate(scheme, "baseline-" + scheme.name().toLowerCase(java.util.Locale.ROOT));
      List<byte[]> msgs = messages(scheme == Scheme.ED25519 ? 16384 : 4096);
      long t0 = System.nanoTime();
      List<byte[]> sigs = signer.signAll(msgs);
      double s = (System.nanoTime() - t0) / 1e9;
      assertTrue(signer.key().verifies(msgs.get(msgs.size() - 1), sigs.get(msgs.size() - 1)));
      figure("file keystore " + scheme, msgs.size(), -1, s);
    }
  }

  /** PEP 458's 16,384 bins under an OpenBao ecdsa-p256 key, published and fetched by python-tuf. */
  @Test
  void sixteen_thousand_bins_signed_through_openbao_verify_in_python_tuf() throws IOException {
    Path repo = tmp.resolve("repo");
    Workbench b = bench(repo, bao.rootToken());
    Init.run(b, Init.Request.defaults().withBins(16384));
    Path f = tmp.resolve("hello-1.0.tar.gz");
    Files.write(f, CONTENT);
    TargetOps.add(b, List.of(TargetSpec.ofFile(TARGET, f)));
    // A target in every bin: bins with the same bytes share one signature, and 16,384 must go through Transit.
    TargetOps.add(b, oneTargetPerBin(16384));
    RegisteredKey vaultKey = transit(bao.rootToken()).describe("bao-bins", "transit", "tuf-ec", 0, null, null);
    ((CombinedKeyStore) b.keys()).register(vaultKey);
    Publishing.publish(b);
    byte[] ts = Files.readAllBytes(repo.resolve("metadata/timestamp.json"));

    // Rotating the bin key to the Transit key re-signs every bin through OpenBao, with a token the
    // server revokes after three uses: the key read, then two of the sign batches.
    String limited = bao.token(List.of("root"), 3);
    int start = bao.requests("transit/sign/tuf-ec");
    KeyBackendError revoked = assertThrows(KeyBackendError.class,
        () -> Rotate.run(bench(repo, limited), new Rotate.Request("bin-0000", null, "bao-bins", null, 0)));
    assertOneLine(revoked, "rejected the token (403 bad token)");
    int cutAt = bao.requests("transit/sign/tuf-ec") - start;
    // Batches go out from parallel signing threads, so how many got in before the cut varies.
    assertTrue(cutAt >= 1 && cutAt < (16384 + VaultSigner.BATCH - 1) / VaultSigner.BATCH, cutAt + " sign requests");
    // Publishing with nothing staged writes nothing and succeeds (a quiet cron day).
    var nothing = Publishing.publish(b);
    assertTrue(nothing.versions().isEmpty(), "the failed rotation staged nothing: " + nothing);
    assertEquals(-1, java.util.Arrays.mismatch(ts, Files.readAllBytes(repo.resolve("metadata/timestamp.json"))));

    int before = bao.requests("transit/sign/tuf-ec");
    long t0 = System.nanoTime();
    Rotate.run(b, new Rotate.Request("bin-0000", null, "bao-bins", null, 0));
    double s = (System.nanoTime() - t0) / 1e9;
    int used = bao.requests("transit/sign/tuf-ec") - before;
    // The re-sign renews Repository.RENEW_CHUNK bins at a time (bounded memory); BulkSigner hands
    // Transit chunks of at least VaultSigner.BATCH, so each renewal chunk costs ceil(chunk / BATCH)
    // requests (64-message chunks, 256 requests, before the signer could say its batch size).
    int least = (16384 + VaultSigner.BATCH - 1) / VaultSigner.BATCH;
    int renewals = (16384 + dev.tufsh.repo.Repository.RENEW_CHUNK - 1) / dev.tufsh.repo.Repository.RENEW_CHUNK;
    int most = renewals * ((dev.tufsh.repo.Repository.RENEW_CHUNK + VaultSigner.BATCH - 1) / VaultSigner.BATCH) + 2;
    assertTrue(used >= least && used <= most, used + " sign requests, expected " + least + ".." + most);
    figure("rotate bin key to OpenBao ecdsa-p256: 16,384 bins re-signed (plus bins, snapshot, timestamp)", 16384,
        used, s);
    Publishing.publish(b);

    try (StaticHttpServer server = StaticHttpServer.serve(repo)) {
      TufClient.Result r = TufClient.PYTHON_TUF.refresh(server, repo.resolve("metadata/1.root.json"), tmp.resolve("py"))
          .target(TARGET).run();
      assertTrue(r.ok(), r.toString());
      assertEquals(List.of(new TufClient.Target(TARGET, CONTENT.length, Hex.encode(Crypto.sha256(CONTENT)))),
          r.targets());
    }
  }

  /** Paths {@code d/N} until each of {@code bins} succinct bins has one, by the bin a client computes for it. */
  private static List<TargetSpec> oneTargetPerBin(int bins) {
    int bits = Integer.numberOfTrailingZeros(bins);
    java.util.Set<Long> hit = new java.util.HashSet<>();
    List<TargetSpec> out = new java.util.ArrayList<>();
    for (int i = 0; hit.size() < bins; i++) {
      String p = "d/" + i;
      byte[] h = Crypto.sha256(p.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      long bin = ((h[0] & 0xffL) << 24 | (h[1] & 0xffL) << 16 | (h[2] & 0xffL) << 8 | (h[3] & 0xffL)) >>> (32 - bits);
      if (hit.add(bin)) {
        out.add(TargetSpec.external(p, i, java.util.Map.of("sha256", "ab".repeat(32))));
      }
    }
    return out;
  }

  /** A small repository whose bin key is in OpenBao, published. */
  private Path published(String keyName) throws IOException {
    Path repo = tmp.resolve("small");
    Workbench b = bench(repo, bao.rootToken());
    Init.run(b, Init.Request.defaults().withBins(16));
    ((CombinedKeyStore) b.keys()).register(transit(bao.rootToken()).describe("bao", "transit", keyName, 0, null, null));
    Rotate.run(b, new Rotate.Request("bin-0", null, "bao", null, 0));
    Publishing.publish(b);
    return repo;
  }

  /** The bump of every bin (each re-signed with the Transit key) as {@code token}. */
  private static void bump(Path repo, String token) {
    Workbench b = bench(repo, token);
    Resign.bump(b, new Resign.Selection(List.of("bin-*"), null, null), new Resign.NewExpiry(null, Duration.ofDays(3)));
    Publishing.publish(b);
  }

  private static List<String> files(Path repo) throws IOException {
    try (Stream<Path> s = Files.list(repo.resolve("metadata"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void assertOneLine(Exception e, String contains) {
    assertTrue(e.getMessage().contains(contains), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertFalse(e.getMessage().contains(bao.rootToken()), "no token in errors");
  }

  @Test
  void policy_without_sign_is_refused_in_one_line_and_nothing_is_published() throws IOException {
    Path repo = published("tuf-ed");
    List<String> before = files(repo);
    byte[] ts = Files.readAllBytes(repo.resolve("metadata/timestamp.json"));
    bao.policy("read-keys", "path \"transit/keys/*\" { capabilities = [\"read\"] }");
    String token = bao.token(List.of("read-keys"), 0);
    KeyBackendError e = assertThrows(KeyBackendError.class, () -> bump(repo, token));
    assertOneLine(e, "denied transit/sign/tuf-ed (403 permission denied");
    assertEquals(before, files(repo));
    assertEquals(-1, java.util.Arrays.mismatch(ts, Files.readAllBytes(repo.resolve("metadata/timestamp.json"))));
    bump(repo, bao.rootToken());
    assertFalse(before.equals(files(repo)), "the same bump publishes with a token that may sign");
  }

  @Test
  void sealed_server_is_one_line_and_nothing_is_published() throws IOException {
    Path repo = published("tuf-rsa");
    List<String> before = files(repo);
    bao.seal();
    try {
      KeyBackendError e = assertThrows(KeyBackendError.class, () -> bump(repo, bao.rootToken()));
      assertOneLine(e, "is sealed (503); unseal it and try again");
      assertEquals(before, files(repo));
    } finally {
      bao.unseal();
    }
  }

  @Test
  void revoked_token_is_one_line() {
    String token = bao.token(List.of("root"), 0);
    RegisteredKey entry = transit(token).describe("v", "transit", "tuf-ed", 0, null, null);
    Signer signer = transit(token).signer(entry, entry.key()).orElseThrow();
    signer.sign(new byte[] {1});
    bao.revoke(token);
    KeyBackendError e = assertThrows(KeyBackendError.class, () -> signer.sign(new byte[] {2}));
    assertOneLine(e, "rejected the token (403 bad token)");
  }

  @Test
  void ed25519_message_over_vaults_string_cap_is_refused_before_any_request() {
    RegisteredKey entry = transit(bao.rootToken()).describe("v", "transit", "tuf-ed", 0, null, null);
    Signer signer = transit(bao.rootToken()).signer(entry, entry.key()).orElseThrow();
    byte[] small = new byte[700 * 1024];
    assertTrue(entry.key().verifies(small, signer.sign(small)), "700 KiB fits");
    int before = bao.requests("transit/sign/tuf-ed");
    KeyBackendError e = assertThrows(KeyBackendError.class, () -> signer.signAll(List.of(small, new byte[800 * 1024])));
    assertOneLine(e, "message 1 is 819200 bytes");
    assertTrue(e.getMessage().contains("ecdsa-p256 or rsa"), e.getMessage());
    assertEquals(before, bao.requests("transit/sign/tuf-ed"), "refused before sending");
  }

  @Test
  void key_read_pins_the_version_and_the_public_key_matches_tufs_key_id() {
    RegisteredKey entry = transit(bao.rootToken()).describe("v", "transit", "tuf-ec", 0, null, null);
    assertTrue(entry.uri().matches("vault:transit/tuf-ec#\\d+"), entry.uri());
    Key k = entry.key();
    assertEquals(Key.of(Scheme.ECDSA_P256, k.publicValue()).keyId(), k.keyId());
  }

  @Test
  void ed25519_public_key_is_the_servers_base64_as_hex() {
    RegisteredKey entry = transit(bao.rootToken()).describe("v", "transit", "tuf-ed", 0, null, null);
    String b64 = bao.call("GET", "transit/keys/tuf-ed", null, bao.rootToken()).path("data").path("keys").path("1")
        .path("public_key").asText();
    assertEquals(Hex.encode(java.util.Base64.getDecoder().decode(b64)), entry.key().publicValue());
    assertTrue(entry.key().publicValue().matches("[0-9a-f]{64}"));
  }

  @Test
  void servers_default_pss_salt_fails_tuf_clients_so_signer_asks_for_32() {
    // The server's default RSA-PSS salt ("auto": the longest that fits) fails verifiers that expect 32 bytes.
    byte[] msg = "bin".getBytes(StandardCharsets.US_ASCII);
    var body = dev.tufsh.json.Json.object()
        .put("input", java.util.Base64.getEncoder().encodeToString(Crypto.sha256(msg))).put("prehashed", true);
    String auto = bao.call("POST", "transit/sign/tuf-rsa/sha2-256", body, bao.rootToken()).path("data")
        .path("signature").asText();
    RegisteredKey entry = transit(bao.rootToken()).describe("v", "transit", "tuf-rsa", 0, null, null);
    byte[] autoSig = java.util.Base64.getDecoder().decode(auto.substring(auto.lastIndexOf(':') + 1));
    assertFalse(entry.key().verifies(msg, autoSig), "salt 'auto' must not pass a salt-32 verifier");
    Signer signer = transit(bao.rootToken()).signer(entry, entry.key()).orElseThrow();
    assertTrue(entry.key().verifies(msg, signer.sign(msg)));
  }

  @Test
  void version_is_pinned_when_added_and_survives_rotation() {
    bao.createKey("tuf-rotating", "ecdsa-p256");
    RegisteredKey v1 = transit(bao.rootToken()).describe("v", "transit", "tuf-rotating", 0, null, null);
    bao.call("POST", "transit/keys/tuf-rotating/rotate", null, bao.rootToken());
    Signer signer = transit(bao.rootToken()).signer(v1, v1.key()).orElseThrow();
    MetadataSigning.signAndCheck(signer, v1.key());
    RegisteredKey v2 = transit(bao.rootToken()).describe("v", "transit", "tuf-rotating", 0, null, null);
    assertEquals("vault:transit/tuf-rotating#2", v2.uri());
    assertFalse(v1.key().keyId().equals(v2.key().keyId()));
  }

  @Test
  void unknown_key_names_the_path_on_read_and_at_sign_time() {
    KeyBackendError read = assertThrows(KeyBackendError.class,
        () -> transit(bao.rootToken()).describe("v", "transit", "no-such-key", 0, null, null));
    assertOneLine(read, "/v1/transit/keys/no-such-key");
    bao.createKey("short-lived", "ed25519");
    RegisteredKey entry = transit(bao.rootToken()).describe("v", "transit", "short-lived", 0, null, null);
    Signer signer = transit(bao.rootToken()).signer(entry, entry.key()).orElseThrow();
    signer.sign(new byte[] {1});
    bao.call("POST", "transit/keys/short-lived/config", dev.tufsh.json.Json.object().put("deletion_allowed", true),
        bao.rootToken());
    bao.call("DELETE", "transit/keys/short-lived", null, bao.rootToken());
    KeyBackendError sign = assertThrows(KeyBackendError.class, () -> signer.sign(new byte[] {2}));
    assertOneLine(sign, "transit/sign/short-lived");
  }

  @ParameterizedTest
  @CsvSource({"aes256-gcm96, cannot sign", "ecdsa-p384, is not accepted by TUF clients"})
  void key_types_tuf_clients_cannot_use_are_refused(String type, String says) {
    String name = "k-" + type;
    bao.createKey(name, type);
    KeyBackendError e = assertThrows(KeyBackendError.class,
        () -> transit(bao.rootToken()).describe("v", "transit", name, 0, null, null));
    assertOneLine(e, "Transit key type " + type + " " + says);
  }
}
